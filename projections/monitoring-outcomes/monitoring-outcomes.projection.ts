import type { AidKind } from '../../src/domain/programme/aid-programme';
import type { BusinessStatus, Challenge } from '../../src/domain/recipient/recipient.commands';
import type { ProgrammeProjection } from '../programme-event';

/**
 * How each aided business is doing, from its latest monitoring visit: one document per recipient
 * holding aid (a reversal removes it). The outcomes endpoint adds them up per year and regency.
 */
export interface MonitoringOutcomeDocument {
  recipientId: string;
  kind: AidKind;
  regencyCode: string;
  /** The programme year of the aid. */
  year: number;
  /** Null until the first monitoring visit. */
  businessStatus: BusinessStatus | null;
  visitDate: string | null;
  workers: number;
  workersFromPoorHouseholds: number;
  challenges: Challenge[];
}

export const monitoringOutcomesProjection: ProgrammeProjection<MonitoringOutcomeDocument> = {
  name: 'monitoring-outcomes',
  version: 1,
  indexes: ['year', 'regencyCode', 'kind'],
  handles: ['AidDisbursed', 'DisbursementReversed', 'MonitoringRecorded'],

  documentIds(event) {
    return 'recipientId' in event.data ? [event.data.recipientId] : [];
  },

  evolve(document, event) {
    switch (event.type) {
      case 'AidDisbursed': {
        const { recipientId, kind, regencyCode, year } = event.data;
        return {
          recipientId,
          kind,
          regencyCode,
          year,
          businessStatus: null,
          visitDate: null,
          workers: 0,
          workersFromPoorHouseholds: 0,
          challenges: [],
        };
      }
      case 'DisbursementReversed':
        return null;
      case 'MonitoringRecorded': {
        if (document === null) return null;
        const { visitDate, businessStatus, workers, workersFromPoorHouseholds, challenges } =
          event.data;
        if (document.visitDate !== null && document.visitDate > visitDate) return document;
        return {
          ...document,
          visitDate,
          businessStatus,
          workers,
          workersFromPoorHouseholds,
          challenges,
        };
      }
      default:
        return document;
    }
  },
};
