import type { AidKind } from '../programme/aid-programme';

/**
 * Commands on one yearly quota stream (`quota-<year>-<kind>`): the consistency boundary that holds
 * the year's target, the regencies' allocations and every slot taken, so that allocations and
 * disbursements are checked against each other in one place.
 */
export type QuotaCommand = DefineYearlyQuota | SetAllocation | TakeSlot | ReleaseSlot;

export interface DefineYearlyQuota {
  type: 'DefineYearlyQuota';
  year: number;
  kind: AidKind;
  target: number;
  ceilingRupiah: number;
  /** Regency code → number of recipients; regencies left out have no allocation. */
  allocations: Record<string, number>;
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
