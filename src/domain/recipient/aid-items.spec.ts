import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { DomainError } from '../domain-error';
import {
  AID_UNITS,
  COUNTED_UNITS,
  fractionalLineValue,
  itemProblem,
  lineValueRupiah,
  MEASURED_UNITS,
  quantityProblem,
  thousandths,
  unitOf,
} from './aid-items';
import type { AidItem, DisburseAid } from './recipient.commands';
import { recipientDecider } from './recipient.decider';
import { aidValue } from './recipient.disbursement';
import type { RecipientEvent } from './recipient.events';

describe('aid item units', () => {
  it('are a closed list of lower-case codes, counted or measured, never both', () => {
    expect(AID_UNITS).toEqual([...COUNTED_UNITS, ...MEASURED_UNITS]);
    expect(new Set(AID_UNITS).size).toBe(AID_UNITS.length);
    for (const unit of AID_UNITS) expect(unit).toMatch(/^[a-z0-9]+$/);
    expect(COUNTED_UNITS).toContain('unit');
    expect(MEASURED_UNITS).toEqual(expect.arrayContaining(['kg', 'g', 'l', 'm']));
  });

  it('are `unit` where an item names none (older events)', () => {
    expect(unitOf({})).toBe('unit');
    expect(unitOf({ unit: 'kg' })).toBe('kg');
  });
});

describe('thousandths', () => {
  it.each([
    [2.5, 2500],
    [0.333, 333],
    [0.001, 1],
    [1, 1000],
    [1_000_000, 1_000_000_000],
  ])('%p is %p thousandths', (quantity, expected) => {
    expect(thousandths(quantity)).toBe(expected);
  });

  it('refuses more than 3 decimals, and what is not a finite number', () => {
    for (const quantity of [0.0005, 1.0001, 0.1 + 0.2, NaN, Infinity, '2.5', null]) {
      expect(thousandths(quantity)).toBeUndefined();
    }
  });
});

describe('quantityProblem', () => {
  it.each([
    [2.5, 'kg', undefined],
    [0.001, 'l', undefined],
    [3, 'pcs', undefined],
    [2.5, 'unit', 'NOT_WHOLE_FOR_UNIT'],
    [1.5, 'paket', 'NOT_WHOLE_FOR_UNIT'],
    [0, 'kg', 'NOT_POSITIVE'],
    [-1, 'unit', 'NOT_POSITIVE'],
    [1_000_000.5, 'kg', 'TOO_LARGE'],
    [0.0005, 'kg', 'TOO_MANY_DECIMALS'],
    ['2', 'kg', 'NOT_A_NUMBER'],
  ])('%p %s: %p', (quantity, unit, problem) => {
    expect(quantityProblem(quantity, unit)).toBe(problem);
  });
});

describe('line values', () => {
  it('are exact: 2.5 kg at Rp14,000 is Rp35,000', () => {
    expect(lineValueRupiah({ quantity: 2.5, unitPriceRupiah: 14_000 })).toBe(35_000);
    // Floating point would give 0.1 × 3 = 0.30000000000000004 and 1.1 × 3 = 3.3000000000000003.
    expect(lineValueRupiah({ quantity: 0.1, unitPriceRupiah: 30_000 })).toBe(3_000);
    expect(lineValueRupiah({ quantity: 1.005, unitPriceRupiah: 1_000 })).toBe(1_005);
    expect(lineValueRupiah({ quantity: 1_000_000, unitPriceRupiah: 1_000_000_000 })).toBe(1e15);
  });

  it('say how far a line is from whole rupiah', () => {
    expect(fractionalLineValue({ quantity: 0.333, unitPriceRupiah: 10 })).toBe('3.33');
    expect(fractionalLineValue({ quantity: 0.001, unitPriceRupiah: 1 })).toBe('0.001');
    expect(fractionalLineValue({ quantity: 0.333, unitPriceRupiah: 1000 })).toBeUndefined();
  });

  it('value older events (whole quantities, no unit) as before', () => {
    const items = [
      { description: 'Oven gas 2 rak', quantity: 1, unitPriceRupiah: 3_250_000 },
      { description: 'Loyang kue', quantity: 10, unitPriceRupiah: 75_000 },
      { description: 'Mixer', quantity: 2, unitPriceRupiah: 500_000 },
    ];
    expect(aidValue(items)).toBe(
      items.reduce((sum, item) => sum + item.quantity * item.unitPriceRupiah, 0),
    );
    expect(aidValue(items)).toBe(5_000_000);
  });

  it('sum decimal lines exactly', () => {
    expect(
      aidValue([
        { quantity: 2.5, unitPriceRupiah: 14_000 },
        { quantity: 0.75, unitPriceRupiah: 36_000 },
        { quantity: 12.125, unitPriceRupiah: 8_000 },
      ]),
    ).toBe(35_000 + 27_000 + 97_000);
  });
});

describe('itemProblem', () => {
  it('accepts sound items, with or without a unit', () => {
    expect(itemProblem({ quantity: 2, unitPriceRupiah: 1_000_000 })).toBeUndefined();
    expect(itemProblem({ quantity: 2.5, unit: 'kg', unitPriceRupiah: 14_000 })).toBeUndefined();
    expect(itemProblem({ quantity: 3, unit: 'sak', unitPriceRupiah: 0 })).toBeUndefined();
  });

  it('refuses a line that does not come to whole rupiah, on its quantity, with the arithmetic', () => {
    expect(itemProblem({ quantity: 0.333, unit: 'kg', unitPriceRupiah: 10 })).toEqual({
      code: 'LINE_NOT_WHOLE_RUPIAH',
      field: 'quantity',
      message: 'quantity × unitPriceRupiah must come to whole rupiah (0.333 × 10 = 3.33)',
      params: { quantity: '0.333', price: '10', value: '3.33' },
    });
  });

  it.each([
    [{ quantity: 1, unit: 'ton', unitPriceRupiah: 1 }, 'INVALID_UNIT', 'unit'],
    [{ quantity: 1, unit: 'KG', unitPriceRupiah: 1 }, 'INVALID_UNIT', 'unit'],
    [{ quantity: 1.5, unitPriceRupiah: 1_000 }, 'INVALID_QUANTITY', 'quantity'],
    [{ quantity: 0.0001, unit: 'kg', unitPriceRupiah: 1_000 }, 'INVALID_QUANTITY', 'quantity'],
    [{ quantity: 0, unit: 'kg', unitPriceRupiah: 1_000 }, 'INVALID_QUANTITY', 'quantity'],
    [{ quantity: 1, unitPriceRupiah: 1.5 }, 'INVALID_PRICE', 'unitPriceRupiah'],
    [{ quantity: 1, unitPriceRupiah: -1 }, 'INVALID_PRICE', 'unitPriceRupiah'],
    [{ quantity: 1, unitPriceRupiah: 1_000_000_001 }, 'INVALID_PRICE', 'unitPriceRupiah'],
  ])('refuses %p as %s on its %s', (item, code, field) => {
    expect(itemProblem(item)).toMatchObject({ code, field });
  });

  it('says which unit wants whole numbers', () => {
    expect(itemProblem({ quantity: 1.5, unit: 'pcs', unitPriceRupiah: 1_000 })).toMatchObject({
      message:
        'quantity must be a whole number for unit pcs (decimals only for kg, g, l, ml, m, m2)',
      params: { problem: 'NOT_WHOLE_FOR_UNIT', unit: 'pcs' },
    });
  });
});

describe('DisburseAid with items in units', () => {
  const spec = DeciderSpecification.for(recipientDecider);
  const registered: RecipientEvent = {
    type: 'RecipientRegistered',
    data: {
      recipientId: 'rse-7',
      kind: 'RSE',
      regencyCode: '64.72',
      name: 'Siti Aminah',
      businessType: 'Kue basah',
      nikHash: 'hash-7',
      nikMasked: '6472********0001',
    },
  };
  const disburse = (items: AidItem[]): DisburseAid => ({
    type: 'DisburseAid',
    disbursementId: 'rse-7.1',
    year: 2025,
    form: 'MATERIALS',
    items,
    disbursedOn: '2025-03-10',
    today: '2025-03-12',
  });
  const flour: AidItem = {
    description: 'Tepung terigu',
    quantity: 2.5,
    unit: 'kg',
    unitPriceRupiah: 14_000,
  };

  it('records decimal quantities with their unit, valued exactly', () => {
    const oven: AidItem = { description: 'Oven', quantity: 1, unitPriceRupiah: 4_965_000 };
    spec
      .given([registered])
      .when(disburse([flour, oven]))
      .then([
        {
          type: 'AidDisbursed',
          data: {
            recipientId: 'rse-7',
            disbursementId: 'rse-7.1',
            kind: 'RSE',
            regencyCode: '64.72',
            year: 2025,
            form: 'MATERIALS',
            items: [flour, oven],
            valueRupiah: 5_000_000,
            disbursedOn: '2025-03-10',
          },
        },
      ]);
  });

  it('refuses a line of fractional rupiah, naming the item’s quantity, with its parameters', () => {
    spec
      .given([registered])
      .when(disburse([flour, { ...flour, quantity: 0.333, unitPriceRupiah: 10 }]))
      .thenThrows(DomainError, {
        kind: 'invalid',
        code: 'LINE_NOT_WHOLE_RUPIAH',
        field: 'items.1.quantity',
        params: { quantity: '0.333', price: '10', value: '3.33' },
      });
  });

  it('refuses a unit off the list, naming the item’s unit', () => {
    spec
      .given([registered])
      .when(disburse([{ ...flour, unit: 'ton' as AidItem['unit'] }]))
      .thenThrows(DomainError, { code: 'INVALID_UNIT', field: 'items.0.unit' });
  });

  it('refuses half a counted unit', () => {
    spec
      .given([registered])
      .when(disburse([{ ...flour, unit: 'pcs' }]))
      .thenThrows(DomainError, {
        code: 'INVALID_QUANTITY',
        field: 'items.0.quantity',
        params: { problem: 'NOT_WHOLE_FOR_UNIT', unit: 'pcs' },
      });
  });
});
