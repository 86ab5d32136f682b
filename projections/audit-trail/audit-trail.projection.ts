import type { ProjectionDefinition } from '../../src/projection-engine/projection';
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

export const auditTrailProjection: ProjectionDefinition<AuditEntry> = {
  name: 'audit-trail',
  version: 1,
  indexes: ['position', 'recipientId', 'actor', 'recordedAt'],
  handles: [
    'RecipientRegistered',
    'RegistrationAbandoned',
    'AidDisbursed',
    'DisbursementAbandoned',
    'DisbursementReversed',
    'MonitoringRecorded',
    'MentoringRecorded',
    'ExhibitionParticipationRecorded',
    'YearlyQuotaDefined',
    'AllocationSet',
    'QuotaSlotReserved',
    'QuotaSlotConfirmed',
    'QuotaSlotReleased',
    'NikClaimed',
    'NikReleased',
  ],

  documentIds(event) {
    return [event.position.toString()];
  },

  evolve(_document, event) {
    const { actor, correlationId, causationId, commandId, recordedAt } = event.metadata;
    return {
      position: Number(event.position),
      recordedAt,
      type: event.type,
      streamName: event.streamName,
      recipientId: 'recipientId' in event.data ? event.data.recipientId : null,
      actor,
      correlationId,
      causationId,
      commandId,
      summary: summarize(event),
    };
  },
};
