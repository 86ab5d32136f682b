import type { AidKind } from '../../src/domain/programme/aid-programme';
import { findRegency } from '../../src/domain/programme/regencies';
import type {
  AidForm,
  BusinessStatus,
  Challenge,
  MemberRole,
} from '../../src/domain/recipient/recipient.commands';
import type { ProgrammeProjection } from '../programme-event';

/**
 * The registry screen: one document per recipient. It shows names (the screen needs them) and
 * masked NIKs; phone numbers and addresses stay in the events only.
 */
export interface RecipientDocument {
  recipientId: string;
  kind: AidKind;
  regencyCode: string;
  regencyName: string;
  /** The woman's name, or the KUBe's group name. */
  name: string;
  businessType: string;
  maskedNiks: string[];
  members: { name: string; role: MemberRole; nikMasked: string }[] | null;
  status: 'registered' | 'aided' | 'reversed';
  registeredAt: string;
  /** The position of the registration: the registry's order, even within one millisecond. */
  registeredPosition: number;
  disbursement: {
    disbursementId: string;
    year: number;
    form: AidForm;
    valueRupiah: number;
    disbursedOn: string;
    reversedOn: string | null;
    reversalReason: string | null;
  } | null;
  latestMonitoring: {
    visitDate: string;
    businessStatus: BusinessStatus;
    monthlyTurnoverRupiah: number;
    workers: number;
    workersFromPoorHouseholds: number;
    challenges: Challenge[];
  } | null;
  mentoringCount: number;
  exhibitionCount: number;
}

export const recipientRegistryProjection: ProgrammeProjection<RecipientDocument> = {
  name: 'recipient-registry',
  version: 1,
  indexes: ['regencyCode', 'kind', 'status', 'registeredPosition'],
  handles: [
    'RecipientRegistered',
    'AidDisbursed',
    'DisbursementReversed',
    'MonitoringRecorded',
    'MentoringRecorded',
    'ExhibitionParticipationRecorded',
  ],

  documentIds(event) {
    return 'recipientId' in event.data ? [event.data.recipientId] : [];
  },

  evolve(document, event) {
    if (event.type === 'RecipientRegistered') {
      const data = event.data;
      return {
        recipientId: data.recipientId,
        kind: data.kind,
        regencyCode: data.regencyCode,
        regencyName: findRegency(data.regencyCode)?.name ?? data.regencyCode,
        name: data.kind === 'RSE' ? data.name : data.groupName,
        businessType: data.businessType,
        maskedNiks: data.kind === 'RSE' ? [data.nikMasked] : data.members.map((m) => m.nikMasked),
        members:
          data.kind === 'RSE'
            ? null
            : data.members.map(({ name, role, nikMasked }) => ({ name, role, nikMasked })),
        status: 'registered',
        registeredAt: event.metadata.recordedAt,
        registeredPosition: Number(event.position),
        disbursement: null,
        latestMonitoring: null,
        mentoringCount: 0,
        exhibitionCount: 0,
      };
    }
    if (document === null) return null;
    switch (event.type) {
      case 'AidDisbursed': {
        const { disbursementId, year, form, valueRupiah, disbursedOn } = event.data;
        return {
          ...document,
          status: 'aided',
          disbursement: {
            disbursementId,
            year,
            form,
            valueRupiah,
            disbursedOn,
            reversedOn: null,
            reversalReason: null,
          },
          latestMonitoring: null,
        };
      }
      case 'DisbursementReversed':
        if (document.disbursement?.disbursementId !== event.data.disbursementId) return document;
        return {
          ...document,
          status: 'reversed',
          disbursement: {
            ...document.disbursement,
            reversedOn: event.data.reversedOn,
            reversalReason: event.data.reason,
          },
        };
      case 'MonitoringRecorded': {
        const {
          visitDate,
          businessStatus,
          monthlyTurnoverRupiah,
          workers,
          workersFromPoorHouseholds,
          challenges,
        } = event.data;
        if (document.latestMonitoring && document.latestMonitoring.visitDate > visitDate)
          return document;
        return {
          ...document,
          latestMonitoring: {
            visitDate,
            businessStatus,
            monthlyTurnoverRupiah,
            workers,
            workersFromPoorHouseholds,
            challenges,
          },
        };
      }
      case 'MentoringRecorded':
        return { ...document, mentoringCount: document.mentoringCount + 1 };
      case 'ExhibitionParticipationRecorded':
        return { ...document, exhibitionCount: document.exhibitionCount + 1 };
      default:
        return document;
    }
  },
};
