import type { AidKind } from '../programme/aid-programme';

/**
 * Commands on one yearly quota stream (`quota-<year>-<kind>`): the consistency boundary that holds
 * the year's target, the regencies' allocations and every slot taken, so that allocations and
 * disbursements are checked against each other in one place.
 */
export type QuotaCommand =
  DefineYearlyQuota | SetYearlyQuota | SetAllocation | TakeSlot | ReleaseSlot;

export interface DefineYearlyQuota {
  type: 'DefineYearlyQuota';
  year: number;
  kind: AidKind;
  target: number;
  ceilingRupiah: number;
  /** Regency code → number of recipients; regencies left out have no allocation. */
  allocations: Record<string, number>;
}

/**
 * An admin defines a year, or changes one already defined: target and ceiling as given, and, when
 * `allocationPerRegency` is present, every regency's allocation set to it (null: none, so only
 * the target applies). Absent, the allocations stay as they are.
 */
export interface SetYearlyQuota {
  type: 'SetYearlyQuota';
  year: number;
  kind: AidKind;
  target: number;
  ceilingRupiah: number;
  allocationPerRegency?: number | null;
  reason: string;
}

export interface SetAllocation {
  type: 'SetAllocation';
  regencyCode: string;
  quota: number;
}

/** Holds a slot for a disbursement recorded in the same append as its AidDisbursed. */
export interface TakeSlot {
  type: 'TakeSlot';
  disbursementId: string;
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
}

/** Frees the slot of a disbursement reversed in the same append. */
export interface ReleaseSlot {
  type: 'ReleaseSlot';
  disbursementId: string;
}

/**
 * Why a slot was freed. Only REVERSED is written now; REFUSED and ABANDONED stand in logs from
 * the time a disbursement took several appends.
 */
export type SlotReleaseReason = 'REVERSED' | 'REFUSED' | 'ABANDONED';
