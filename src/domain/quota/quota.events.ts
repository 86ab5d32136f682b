import type { DomainEvent } from '../decider';
import type { AidKind } from '../programme/aid-programme';
import type { SlotReleaseReason } from './quota.commands';

export type YearlyQuotaDefined = DomainEvent<
  'YearlyQuotaDefined',
  { year: number; kind: AidKind; target: number; ceilingRupiah: number }
>;

export type AllocationSet = DomainEvent<
  'AllocationSet',
  { regencyCode: string; quota: number; previousQuota: number | null }
>;

/** A slot held for a disbursement in progress; it counts against the quota from now on. */
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

/** The disbursement the slot was held for is recorded on its recipient. */
export type QuotaSlotConfirmed = DomainEvent<'QuotaSlotConfirmed', { disbursementId: string }>;

export type QuotaSlotReleased = DomainEvent<
  'QuotaSlotReleased',
  { disbursementId: string; reason: SlotReleaseReason }
>;

export type QuotaEvent =
  YearlyQuotaDefined | AllocationSet | QuotaSlotReserved | QuotaSlotConfirmed | QuotaSlotReleased;
