import type { DomainEvent } from '../decider';
import type { AidKind } from '../programme/aid-programme';
import type { AidForm, AidItem, BusinessStatus, Challenge, MemberRole } from './recipient.commands';

/** NIKs are stored as a keyed hash (to match) and masked (to show), never in clear. */
export interface StoredNik {
  nikHash: string;
  nikMasked: string;
}

export interface KubeMember extends StoredNik {
  name: string;
  role: MemberRole;
}

export type RseRegistered = StoredNik & {
  recipientId: string;
  kind: 'RSE';
  regencyCode: string;
  name: string;
  businessType: string;
  phone?: string;
  address?: string;
};

export type KubeRegistered = {
  recipientId: string;
  kind: 'KUBE';
  regencyCode: string;
  groupName: string;
  businessType: string;
  members: KubeMember[];
};

export type RecipientRegistered = DomainEvent<
  'RecipientRegistered',
  RseRegistered | KubeRegistered
>;

/**
 * Older logs: a fence that closed a registration whose request died half-way, from the time a
 * registration took several appends. No longer written; replayed as it stands.
 */
export type RegistrationAbandoned = DomainEvent<'RegistrationAbandoned', { recipientId: string }>;

export type AidDisbursed = DomainEvent<
  'AidDisbursed',
  {
    recipientId: string;
    disbursementId: string;
    kind: AidKind;
    regencyCode: string;
    year: number;
    form: AidForm;
    items: AidItem[];
    valueRupiah: number;
    disbursedOn: string;
  }
>;

/** Older logs: a fence that closed a disbursement whose request died after reserving its slot. */
export type DisbursementAbandoned = DomainEvent<
  'DisbursementAbandoned',
  { recipientId: string; disbursementId: string }
>;

export type DisbursementReversed = DomainEvent<
  'DisbursementReversed',
  {
    recipientId: string;
    disbursementId: string;
    kind: AidKind;
    regencyCode: string;
    year: number;
    valueRupiah: number;
    reason: string;
    reversedOn: string;
  }
>;

export type MonitoringRecorded = DomainEvent<
  'MonitoringRecorded',
  {
    recipientId: string;
    disbursementId: string;
    visitDate: string;
    businessStatus: BusinessStatus;
    monthlyTurnoverRupiah: number;
    workers: number;
    workersFromPoorHouseholds: number;
    challenges: Challenge[];
    notes?: string;
  }
>;

export type MentoringRecorded = DomainEvent<
  'MentoringRecorded',
  { recipientId: string; disbursementId: string; partner: string; topic: string; date: string }
>;

export type ExhibitionParticipationRecorded = DomainEvent<
  'ExhibitionParticipationRecorded',
  { recipientId: string; disbursementId: string; name: string; date: string }
>;

export type RecipientEvent =
  | RecipientRegistered
  | RegistrationAbandoned
  | AidDisbursed
  | DisbursementAbandoned
  | DisbursementReversed
  | MonitoringRecorded
  | MentoringRecorded
  | ExhibitionParticipationRecorded;
