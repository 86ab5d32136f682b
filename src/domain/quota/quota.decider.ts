import type { Decider } from '../decider';
import { PersistentMap } from '../persistent-map';
import { invalid, ruleViolated } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { findRegency, REGENCIES } from '../programme/regencies';
import { describeTextProblem, textProblems } from '../programme/text';
import type { QuotaCommand, SetAllocation, SetYearlyQuota, TakeSlot } from './quota.commands';
import type { QuotaEvent } from './quota.events';

export interface QuotaSlot {
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
  /**
   * Older logs only: reserved by a request that never confirmed it, so it may have died before
   * recording the aid. A new disbursement with the same id takes such a slot over.
   */
  pending: boolean;
}

export interface QuotaState {
  /** Null until the year is defined: a year without a quota stream is outside the programme. */
  definition: { year: number; kind: AidKind; target: number; ceilingRupiah: number } | null;
  allocations: Record<string, number>;
  /**
   * Slots held now, by disbursement id; released slots are gone. A persistent map, so that each
   * event costs the same however many slots the year holds (a year may hold up to a million).
   */
  slots: PersistentMap<QuotaSlot>;
  /** How many slots each regency holds now; regencies holding none may be absent. */
  heldByRegency: PersistentMap<number>;
}

export const quotaDecider: Decider<QuotaCommand, QuotaEvent, QuotaState> = {
  initialState: () => ({
    definition: null,
    allocations: {},
    slots: PersistentMap.empty(),
    heldByRegency: PersistentMap.empty(),
  }),

  decide(command, state) {
    switch (command.type) {
      case 'DefineYearlyQuota': {
        if (state.definition !== null) return [];
        const { year, kind, target, ceilingRupiah, allocations } = command;
        const allocated = Object.values(allocations).reduce((sum, quota) => sum + quota, 0);
        const unknown = Object.keys(allocations).find((code) => !findRegency(code));
        if (unknown || allocated > target || !Object.values(allocations).every(isCount)) {
          throw invalid(
            'INVALID_PROGRAMME',
            'Allocations must be whole numbers for known regencies, totalling at most the target',
          );
        }
        return [
          { type: 'YearlyQuotaDefined', data: { year, kind, target, ceilingRupiah } },
          ...Object.entries(allocations).map(([regencyCode, quota]): QuotaEvent => ({
            type: 'AllocationSet',
            data: { regencyCode, quota, previousQuota: null },
          })),
        ];
      }
      case 'SetYearlyQuota':
        return setYearlyQuota(command, state);
      case 'SetAllocation':
        return setAllocation(command, state);
      case 'TakeSlot':
        return takeSlot(command, state);
      case 'ReleaseSlot':
        if (!state.slots.has(command.disbursementId)) return [];
        return [
          {
            type: 'QuotaSlotReleased',
            data: { disbursementId: command.disbursementId, reason: 'REVERSED' },
          },
        ];
      default: {
        const unhandled: never = command;
        throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'YearlyQuotaDefined': {
        const { year, kind, target, ceilingRupiah } = event.data;
        return { ...state, definition: { year, kind, target, ceilingRupiah } };
      }
      case 'YearlyQuotaChanged': {
        if (state.definition === null) return state;
        const { target, ceilingRupiah } = event.data;
        return { ...state, definition: { ...state.definition, target, ceilingRupiah } };
      }
      case 'AllocationCleared': {
        const { [event.data.regencyCode]: _cleared, ...allocations } = state.allocations;
        return { ...state, allocations };
      }
      case 'AllocationSet':
        return {
          ...state,
          allocations: { ...state.allocations, [event.data.regencyCode]: event.data.quota },
        };
      case 'QuotaSlotTaken':
      case 'QuotaSlotReserved': {
        const { disbursementId, recipientId, regencyCode, valueRupiah } = event.data;
        const slot: QuotaSlot = {
          recipientId,
          regencyCode,
          valueRupiah,
          pending: event.type === 'QuotaSlotReserved',
        };
        // A slot taken over (an older log's reservation) leaves the regency it was held in.
        const replaced = state.slots.get(disbursementId);
        const heldByRegency = replaced
          ? countIn(state.heldByRegency, replaced.regencyCode, -1)
          : state.heldByRegency;
        return {
          ...state,
          slots: state.slots.set(disbursementId, slot),
          heldByRegency: countIn(heldByRegency, regencyCode, 1),
        };
      }
      case 'QuotaSlotConfirmed': {
        const slot = state.slots.get(event.data.disbursementId);
        if (!slot) return state;
        const confirmed: QuotaSlot = { ...slot, pending: false };
        return { ...state, slots: state.slots.set(event.data.disbursementId, confirmed) };
      }
      case 'QuotaSlotReleased': {
        const released = state.slots.get(event.data.disbursementId);
        if (!released) return state;
        return {
          ...state,
          slots: state.slots.delete(event.data.disbursementId),
          heldByRegency: countIn(state.heldByRegency, released.regencyCode, -1),
        };
      }
    }
  },
};

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/** The counts with one regency's moved by `change`. */
function countIn(
  counts: PersistentMap<number>,
  regencyCode: string,
  change: number,
): PersistentMap<number> {
  return counts.set(regencyCode, (counts.get(regencyCode) ?? 0) + change);
}

/** How many slots a regency holds now. */
export function slotsHeldIn(state: QuotaState, regencyCode: string): number {
  return state.heldByRegency.get(regencyCode) ?? 0;
}

function requireDefinition(state: QuotaState) {
  if (state.definition === null) {
    throw ruleViolated(
      'YEAR_OUTSIDE_PROGRAMME',
      'The year is outside the programme: an admin defines a programme year first',
      'year',
    );
  }
  return state.definition;
}

/** Upper bounds that keep figures far inside safe integers and sensible for one province. */
const MAX_TARGET = 1_000_000;
const MAX_CEILING_RUPIAH = 1_000_000_000_000;

function setYearlyQuota(command: SetYearlyQuota, state: QuotaState): QuotaEvent[] {
  const { year, kind, target, ceilingRupiah, allocationPerRegency, reason } = command;
  if (!isCount(target) || target > MAX_TARGET) {
    throw invalid(
      'INVALID_TARGET',
      `targets.${kind} must be a whole number from 0 to ${MAX_TARGET}`,
      `targets.${kind}`,
    );
  }
  if (
    !Number.isSafeInteger(ceilingRupiah) ||
    ceilingRupiah < 1 ||
    ceilingRupiah > MAX_CEILING_RUPIAH
  ) {
    throw invalid(
      'INVALID_CEILING',
      `ceilingsRupiah.${kind} must be a whole number of rupiah from 1 to ${MAX_CEILING_RUPIAH}`,
      `ceilingsRupiah.${kind}`,
    );
  }
  if (
    typeof allocationPerRegency === 'number' &&
    (!isCount(allocationPerRegency) || allocationPerRegency > MAX_TARGET)
  ) {
    throw invalid(
      'INVALID_QUOTA',
      `allocationPerRegency.${kind} must be null or a whole number from 0 to ${MAX_TARGET}`,
      `allocationPerRegency.${kind}`,
    );
  }
  const [problem] = textProblems(reason, 'text');
  if (problem) {
    throw invalid('INVALID_TEXT', `reason ${describeTextProblem(problem, 'text')}`, 'reason');
  }
  const allocations =
    allocationPerRegency === undefined
      ? state.allocations
      : allocationPerRegency === null
        ? {}
        : Object.fromEntries(REGENCIES.map(({ code }) => [code, allocationPerRegency]));
  requireRoomForHeldSlots(state, { year, kind, target, ceilingRupiah }, allocations);

  if (state.definition === null) {
    return [
      { type: 'YearlyQuotaDefined', data: { year, kind, target, ceilingRupiah, reason } },
      ...Object.entries(allocations).map(([regencyCode, quota]): QuotaEvent => ({
        type: 'AllocationSet',
        data: { regencyCode, quota, previousQuota: null },
      })),
    ];
  }
  const previous = state.definition;
  const changed: QuotaEvent[] =
    previous.target === target && previous.ceilingRupiah === ceilingRupiah
      ? []
      : [
          {
            type: 'YearlyQuotaChanged',
            data: {
              target,
              ceilingRupiah,
              previousTarget: previous.target,
              previousCeilingRupiah: previous.ceilingRupiah,
              reason,
            },
          },
        ];
  return [...changed, ...allocationChanges(state.allocations, allocations)];
}

/**
 * A year's figures may not drop below what it already holds: the target below its slots, the
 * ceiling below its largest disbursement, an allocation below its regency's slots, nor may the
 * allocations add up past the target.
 */
function requireRoomForHeldSlots(
  state: QuotaState,
  {
    year,
    kind,
    target,
    ceilingRupiah,
  }: { year: number; kind: AidKind; target: number; ceilingRupiah: number },
  allocations: Record<string, number>,
): void {
  const heldInYear = state.slots.size;
  if (target < heldInYear) {
    throw ruleViolated(
      'TARGET_BELOW_DISBURSED',
      `${year} ${kind} already holds ${heldInYear} disbursements; the target cannot drop to ${target}`,
      `targets.${kind}`,
      { year, kind, held: heldInYear, target },
    );
  }
  // Once per change of the year's figures: a pass over its slots is affordable here.
  let largest = 0;
  for (const slot of state.slots.values()) largest = Math.max(largest, slot.valueRupiah);
  if (ceilingRupiah < largest) {
    throw ruleViolated(
      'CEILING_BELOW_DISBURSED',
      `A ${year} ${kind} disbursement is worth Rp${largest}; the ceiling cannot drop to Rp${ceilingRupiah}`,
      `ceilingsRupiah.${kind}`,
      { year, kind, largest, ceiling: ceilingRupiah },
    );
  }
  for (const [regencyCode, quota] of Object.entries(allocations)) {
    const held = slotsHeldIn(state, regencyCode);
    if (quota < held) {
      throw ruleViolated(
        'ALLOCATION_BELOW_DISBURSED',
        `${regencyCode} already holds ${held} ${kind} disbursements in ${year}; its allocation cannot drop to ${quota}`,
        `allocationPerRegency.${kind}`,
        { year, kind, regencyCode, held, quota },
      );
    }
  }
  const allocated = Object.values(allocations).reduce((sum, quota) => sum + quota, 0);
  if (allocated > target) {
    throw ruleViolated(
      'ALLOCATION_ABOVE_TARGET',
      `Allocations would total ${allocated}, above the ${year} ${kind} target of ${target}`,
      `allocationPerRegency.${kind}`,
      { year, kind, total: allocated, target },
    );
  }
}

/** The AllocationSet and AllocationCleared events that turn `before` into `after`. */
function allocationChanges(
  before: Record<string, number>,
  after: Record<string, number>,
): QuotaEvent[] {
  const codes = REGENCIES.map(({ code }) => code).filter((code) => code in before || code in after);
  return codes.flatMap((regencyCode): QuotaEvent[] => {
    const previousQuota = before[regencyCode];
    const quota = after[regencyCode];
    if (quota === previousQuota) return [];
    if (quota === undefined) {
      return [{ type: 'AllocationCleared', data: { regencyCode, previousQuota } }];
    }
    return [
      { type: 'AllocationSet', data: { regencyCode, quota, previousQuota: previousQuota ?? null } },
    ];
  });
}

function setAllocation(command: SetAllocation, state: QuotaState): QuotaEvent[] {
  const definition = requireDefinition(state);
  const { regencyCode, quota } = command;
  if (!findRegency(regencyCode)) {
    throw invalid(
      'UNKNOWN_REGENCY',
      `${regencyCode} is not a regency/city of Kalimantan Timur`,
      'regencyCode',
    );
  }
  if (!isCount(quota)) {
    throw invalid('INVALID_QUOTA', 'quota must be a whole number from 0', 'quota');
  }
  const previousQuota = state.allocations[regencyCode] ?? null;
  if (previousQuota === quota) return [];
  const held = slotsHeldIn(state, regencyCode);
  if (quota < held) {
    throw ruleViolated(
      'ALLOCATION_BELOW_DISBURSED',
      `${regencyCode} already holds ${held} disbursements in ${definition.year}; the allocation cannot drop to ${quota}`,
      'quota',
      { year: definition.year, kind: definition.kind, regencyCode, held, quota },
    );
  }
  const othersTotal = Object.entries(state.allocations)
    .filter(([code]) => code !== regencyCode)
    .reduce((sum, [, allocated]) => sum + allocated, 0);
  if (othersTotal + quota > definition.target) {
    throw ruleViolated(
      'ALLOCATION_ABOVE_TARGET',
      `Allocations would total ${othersTotal + quota}, above the ${definition.year} ${definition.kind} target of ${definition.target}`,
      'quota',
      {
        year: definition.year,
        kind: definition.kind,
        total: othersTotal + quota,
        target: definition.target,
      },
    );
  }
  return [{ type: 'AllocationSet', data: { regencyCode, quota, previousQuota } }];
}

function takeSlot(command: TakeSlot, state: QuotaState): QuotaEvent[] {
  const definition = requireDefinition(state);
  const { disbursementId, recipientId, regencyCode, valueRupiah } = command;
  const held = state.slots.get(disbursementId);
  // The recipient's own stream, appended in the same commit, rules out a second disbursement with
  // this id; a slot held under it is a reservation of an older log whose request died.
  const takingOver = held?.pending === true && held.recipientId === recipientId;
  if (held && !takingOver) {
    throw ruleViolated(
      'DISBURSEMENT_ID_TAKEN',
      `Disbursement ${disbursementId} already holds a slot`,
    );
  }
  if (valueRupiah > definition.ceilingRupiah) {
    throw ruleViolated(
      'VALUE_ABOVE_CEILING',
      `The aid is worth Rp${valueRupiah}, above the ${definition.kind} ceiling of Rp${definition.ceilingRupiah}`,
      'items',
      { kind: definition.kind, value: valueRupiah, ceiling: definition.ceilingRupiah },
    );
  }
  const others = takingOver ? 1 : 0;
  if (state.slots.size - others >= definition.target) {
    throw ruleViolated(
      'QUOTA_EXHAUSTED',
      `The ${definition.year} ${definition.kind} target of ${definition.target} is reached`,
      undefined,
      { year: definition.year, kind: definition.kind, target: definition.target },
    );
  }
  const allocation = state.allocations[regencyCode];
  const heldInRegency =
    slotsHeldIn(state, regencyCode) - (takingOver && held.regencyCode === regencyCode ? 1 : 0);
  if (allocation !== undefined && heldInRegency >= allocation) {
    throw ruleViolated(
      'QUOTA_EXHAUSTED',
      `The ${definition.year} ${definition.kind} allocation of ${allocation} for ${regencyCode} is reached`,
      undefined,
      { year: definition.year, kind: definition.kind, allocation, regencyCode },
    );
  }
  return [
    { type: 'QuotaSlotTaken', data: { disbursementId, recipientId, regencyCode, valueRupiah } },
  ];
}
