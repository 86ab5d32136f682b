import { recipientIdOf } from '../../src/domain/recipient/recipient.disbursement';
import type { ProgrammeEvent, ProgrammeProjection } from '../programme-event';
import { summarize } from './audit-summary';

/** One entry per event of the programme, for auditors. */
export interface AuditEntry {
  /** The event's global position (below 2^53 on every store this service supports). */
  position: number;
  recordedAt: string;
  type: string;
  streamName: string;
  recipientId: string | null;
  actor: string;
  correlationId: string;
  causationId: string;
  commandId: string;
  summary: string;
}

export const auditTrailProjection: ProgrammeProjection<AuditEntry> = {
  name: 'audit-trail',
  // 2: no personal values in summaries (a correction names its fields), erasures recorded.
  version: 2,
  // No index on position: the document id is the zero-padded position, so ids are in log order.
  indexes: ['recipientId', 'actor', 'recordedAt'],
  handles: [
    'RecipientRegistered',
    'RecipientDetailsCorrected',
    'NikCorrected',
    'MemberReplaced',
    'RecipientMoved',
    'RecipientDied',
    'RecipientWithdrew',
    'PersonalDataErased',
    'RegistrationAbandoned',
    'AidDisbursed',
    'DisbursementAbandoned',
    'DisbursementReversed',
    'MonitoringRecorded',
    'MentoringRecorded',
    'ExhibitionParticipationRecorded',
    'YearlyQuotaDefined',
    'YearlyQuotaChanged',
    'AllocationSet',
    'AllocationCleared',
    'QuotaSlotTaken',
    'QuotaSlotReserved',
    'QuotaSlotConfirmed',
    'QuotaSlotReleased',
    'NikClaimed',
    'NikReleased',
  ],

  documentIds(event) {
    return [auditEntryId(event.position)];
  },

  evolve(_document, event) {
    const { actor, correlationId, causationId, commandId, recordedAt } = event.metadata;
    return {
      position: Number(event.position),
      recordedAt,
      type: event.type,
      streamName: event.streamName,
      recipientId: recipientOf(event),
      actor,
      correlationId,
      causationId,
      commandId,
      summary: summarize(event),
    };
  },
};

/** The recipient an event concerns: named in it, or by the disbursement id it carries. */
function recipientOf(event: ProgrammeEvent): string | null {
  if ('recipientId' in event.data) return event.data.recipientId;
  if ('disbursementId' in event.data) return recipientIdOf(event.data.disbursementId) || null;
  return null;
}

/** Entries are kept in log order by their ids: positions padded to a fixed width. */
export function auditEntryId(position: bigint): string {
  return position.toString().padStart(20, '0');
}
