import type { StoredEvent } from '../platform/event-store/event-store.port';

/**
 * The two clocks of the log. Recorded time is when the ledger wrote an event (its metadata,
 * the service's clock); the business date is the day the event says something happened in the
 * field: the handover, the visit, the reversal. A disbursement handed over in 2024 may be entered
 * today. The events that carry a business date, and its field:
 */
const BUSINESS_DATE_FIELD: Readonly<Record<string, string>> = {
  AidDisbursed: 'disbursedOn',
  DisbursementReversed: 'reversedOn',
  MonitoringRecorded: 'visitDate',
  MentoringRecorded: 'date',
  ExhibitionParticipationRecorded: 'date',
  MemberReplaced: 'effectiveOn',
  RecipientMoved: 'movedOn',
  RecipientDied: 'diedOn',
  RecipientWithdrew: 'withdrawnOn',
};

/** The business date (YYYY-MM-DD) an event states, or undefined when it states none. */
export function businessDateOf(event: StoredEvent): string | undefined {
  const field = BUSINESS_DATE_FIELD[event.type];
  if (field === undefined) return undefined;
  const value = (event.data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether an event counts "as of the business date" `until` (inclusive): an event that states a
 * business date counts when that date is on or before it; one that states none (a registration,
 * a programme's targets, a quota slot) counts from when it was recorded, as it describes no day
 * in the field.
 */
export function happenedBy(event: StoredEvent, until: string | undefined): boolean {
  if (until === undefined) return true;
  const date = businessDateOf(event);
  return date === undefined || date <= until;
}
