/**
 * The items of aid in kind: what each is, how much of it, in which unit, at what unit price. A
 * quantity is counted (whole: 3 sacks, 2 sets) or measured (up to 3 decimals: 2.5 kg, 0.75 l), and
 * every line comes to whole rupiah, so that every value the programme reports stays an integer.
 * Lines are computed in thousandths with BigInt: 2.5 × 14,000 is exactly 35,000, and 0.333 × 10
 * (3.33) is refused rather than rounded.
 */

/** Counted units: the quantity is a whole number. `unit` is the default (older events have none). */
export const COUNTED_UNITS = [
  'unit',
  'pcs',
  'paket',
  'set',
  'pasang',
  'lembar',
  'botol',
  'bungkus',
  'sak',
  'karung',
  'dus',
] as const;

/** Measured units: kilogram, gram, litre, millilitre, metre, square metre; up to 3 decimals. */
export const MEASURED_UNITS = ['kg', 'g', 'l', 'ml', 'm', 'm2'] as const;

export const AID_UNITS = [...COUNTED_UNITS, ...MEASURED_UNITS] as const;
export type AidUnit = (typeof AID_UNITS)[number];

export const DEFAULT_UNIT: AidUnit = 'unit';
export const MAX_QUANTITY = 1_000_000;
export const QUANTITY_DECIMALS = 3;
export const MAX_UNIT_PRICE_RUPIAH = 1_000_000_000;

const SCALE = 10 ** QUANTITY_DECIMALS;

export function isAidUnit(unit: unknown): unit is AidUnit {
  return typeof unit === 'string' && (AID_UNITS as readonly string[]).includes(unit);
}

export function isCountedUnit(unit: AidUnit): boolean {
  return (COUNTED_UNITS as readonly string[]).includes(unit);
}

/** The unit an item is in: absent (older events, requests that name none) means `unit`. */
export const unitOf = (item: { unit?: string }): string => item.unit ?? DEFAULT_UNIT;

/**
 * The quantity in thousandths, exactly, or undefined when it is not a finite number with at most
 * 3 decimals. A decimal written with ≤ 3 decimals parses to the double nearest it, and k / 1000
 * (correctly rounded) is that same double, so the round trip tells the two cases apart.
 */
export function thousandths(quantity: unknown): number | undefined {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return undefined;
  const scaled = Math.round(quantity * SCALE);
  return Number.isSafeInteger(scaled) && scaled / SCALE === quantity ? scaled : undefined;
}

export type QuantityProblem =
  'NOT_A_NUMBER' | 'NOT_POSITIVE' | 'TOO_LARGE' | 'TOO_MANY_DECIMALS' | 'NOT_WHOLE_FOR_UNIT';

/** What is wrong with a quantity in this unit, if anything (an unknown unit is the unit's problem). */
export function quantityProblem(quantity: unknown, unit: string): QuantityProblem | undefined {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return 'NOT_A_NUMBER';
  if (quantity <= 0) return 'NOT_POSITIVE';
  if (quantity > MAX_QUANTITY) return 'TOO_LARGE';
  if (thousandths(quantity) === undefined) return 'TOO_MANY_DECIMALS';
  if (isAidUnit(unit) && isCountedUnit(unit) && !Number.isInteger(quantity)) {
    return 'NOT_WHOLE_FOR_UNIT';
  }
  return undefined;
}

export function isValidUnitPrice(price: unknown): price is number {
  return (
    typeof price === 'number' &&
    Number.isSafeInteger(price) &&
    price >= 0 &&
    price <= MAX_UNIT_PRICE_RUPIAH
  );
}

/** quantity × unit price in thousandths of a rupiah, exactly; undefined when not computable. */
function lineThousandths(item: {
  quantity: unknown;
  unitPriceRupiah: unknown;
}): bigint | undefined {
  const quantity = thousandths(item.quantity);
  const price = item.unitPriceRupiah;
  if (quantity === undefined || typeof price !== 'number' || !Number.isSafeInteger(price)) {
    return undefined;
  }
  return BigInt(quantity) * BigInt(price);
}

/**
 * The line's value written exactly, when it does not come to whole rupiah (`3.33` for 0.333 × 10);
 * undefined when it does, or when the quantity or price is itself wrong (reported as such).
 */
export function fractionalLineValue(item: {
  quantity: unknown;
  unitPriceRupiah: unknown;
}): string | undefined {
  const value = lineThousandths(item);
  if (value === undefined || value % BigInt(SCALE) === 0n) return undefined;
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  const fraction = (magnitude % BigInt(SCALE)).toString().padStart(QUANTITY_DECIMALS, '0');
  return `${sign}${magnitude / BigInt(SCALE)}.${fraction.replace(/0+$/, '')}`;
}

/** One refusal of one item: the code, the item's field, the English text and its parameters. */
export interface ItemProblem {
  code: 'INVALID_QUANTITY' | 'INVALID_UNIT' | 'INVALID_PRICE' | 'LINE_NOT_WHOLE_RUPIAH';
  field: 'quantity' | 'unit' | 'unitPriceRupiah';
  message: string;
  params: Record<string, string | number>;
}

export const QUANTITY_PROBLEMS: Record<QuantityProblem, (unit: string) => string> = {
  NOT_A_NUMBER: () => 'quantity must be a number',
  NOT_POSITIVE: () => 'quantity must be more than 0',
  TOO_LARGE: () => `quantity must be at most ${MAX_QUANTITY}`,
  TOO_MANY_DECIMALS: () => `quantity must have at most ${QUANTITY_DECIMALS} decimals`,
  NOT_WHOLE_FOR_UNIT: (unit) =>
    `quantity must be a whole number for unit ${unit} (decimals only for ${MEASURED_UNITS.join(', ')})`,
};

export const UNIT_RULE = `unit must be one of ${AID_UNITS.join(', ')}`;

/** The first problem of an item, in the order a person would fix them; undefined when it is sound. */
export function itemProblem(item: {
  quantity: unknown;
  unit?: unknown;
  unitPriceRupiah: unknown;
}): ItemProblem | undefined {
  const unit = item.unit ?? DEFAULT_UNIT;
  if (!isAidUnit(unit)) {
    return {
      code: 'INVALID_UNIT',
      field: 'unit',
      message: UNIT_RULE,
      params: { units: AID_UNITS.join(', ') },
    };
  }
  const problem = quantityProblem(item.quantity, unit);
  if (problem) {
    return {
      code: 'INVALID_QUANTITY',
      field: 'quantity',
      message: QUANTITY_PROBLEMS[problem](unit),
      params: { problem, unit },
    };
  }
  if (!isValidUnitPrice(item.unitPriceRupiah)) {
    return {
      code: 'INVALID_PRICE',
      field: 'unitPriceRupiah',
      message: `unitPriceRupiah must be a whole number of rupiah from 0 to ${MAX_UNIT_PRICE_RUPIAH}`,
      params: { max: MAX_UNIT_PRICE_RUPIAH },
    };
  }
  const fractional = fractionalLineValue(item);
  if (fractional !== undefined) {
    return {
      code: 'LINE_NOT_WHOLE_RUPIAH',
      field: 'quantity',
      message: `quantity × unitPriceRupiah must come to whole rupiah (${item.quantity} × ${item.unitPriceRupiah} = ${fractional})`,
      params: {
        quantity: String(item.quantity),
        price: String(item.unitPriceRupiah),
        value: fractional,
      },
    };
  }
  return undefined;
}

/**
 * The value of one line in whole rupiah: exact for every sound item (and for every item of older
 * events, whole quantities without a unit, the same product as before).
 */
export function lineValueRupiah(item: { quantity: number; unitPriceRupiah: number }): number {
  const value = lineThousandths(item);
  // An item refused above (never stored) is valued as plain arithmetic would.
  if (value === undefined) return item.quantity * item.unitPriceRupiah;
  const scale = BigInt(SCALE);
  return value % scale === 0n ? Number(value / scale) : Number(value) / SCALE;
}
