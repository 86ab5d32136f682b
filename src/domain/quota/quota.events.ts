import type { DomainEvent } from '../decider';
import type { AidKind } from '../programme/aid-programme';
import type { SlotReleaseReason } from './quota.commands';

/** A year defined: by the service on first start (no reason), or by an admin with a reason. */
export type YearlyQuotaDefined = DomainEvent<
  'YearlyQuotaDefined',
  { year: number; kind: AidKind; target: number; ceilingRupiah: number; reason?: string }
>;

/** An admin changed a defined year's target or ceiling; the previous figures stay for auditors. */
export type YearlyQuotaChanged = DomainEvent<
  'YearlyQuotaChanged',
  {
    target: number;
    ceilingRupiah: number;
    previousTarget: number;
    previousCeilingRupiah: number;
    reason: string;
  }
>;

export type AllocationSet = DomainEvent<
  'AllocationSet',
  { regencyCode: string; quota: number; previousQuota: number | null }
>;

/** A regency's allocation removed: from now on only the year's target bounds it. */
export type AllocationCleared = DomainEvent<
  'AllocationCleared',
  { regencyCode: string; previousQuota: number }
>;

/** A slot held by a disbursement, written in the same append as its AidDisbursed. */
export type QuotaSlotTaken = DomainEvent<
  'QuotaSlotTaken',
  { disbursementId: string; recipientId: string; regencyCode: string; valueRupiah: number }
>;

/**
 * Older logs: a slot held for a disbursement in progress, before the aid was recorded in an
 * append of its own; QuotaSlotConfirmed followed once it was. No longer written.
 */
export type QuotaSlotReserved = DomainEvent<
  'QuotaSlotReserved',
  {
    disbursementId: string;
    recipientId: string;
    regencyCode: string;
    valueRupiah: number;
    reservedAt: string;
  }
>;

/** Older logs: the disbursement a reserved slot was held for is recorded on its recipient. */
export type QuotaSlotConfirmed = DomainEvent<'QuotaSlotConfirmed', { disbursementId: string }>;

export type QuotaSlotReleased = DomainEvent<
  'QuotaSlotReleased',
  { disbursementId: string; reason: SlotReleaseReason }
>;

export type QuotaEvent =
  | YearlyQuotaDefined
  | YearlyQuotaChanged
  | AllocationSet
  | AllocationCleared
  | QuotaSlotTaken
  | QuotaSlotReleased
  | QuotaSlotReserved
  | QuotaSlotConfirmed;
