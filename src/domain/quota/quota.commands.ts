import type { AidKind } from '../programme/aid-programme';

/**
 * Commands on one yearly quota stream (`quota-<year>-<kind>`): the consistency boundary that holds
 * the year's target, the regencies' allocations and every slot taken, so that allocations and
 * disbursements are checked against each other in one place.
 */
export type QuotaCommand =
  DefineYearlyQuota | SetAllocation | ReserveSlot | ConfirmSlot | ReleaseSlot;

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

export interface ReserveSlot {
  type: 'ReserveSlot';
  disbursementId: string;
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
  /** ISO instant; a slot still pending long after it is suspected of belonging to a crashed request. */
  reservedAt: string;
}

export interface ConfirmSlot {
  type: 'ConfirmSlot';
  disbursementId: string;
}

export interface ReleaseSlot {
  type: 'ReleaseSlot';
  disbursementId: string;
  reason: SlotReleaseReason;
}

/** REVERSED: the disbursement was reversed; REFUSED / ABANDONED: it never happened. */
export type SlotReleaseReason = 'REVERSED' | 'REFUSED' | 'ABANDONED';
