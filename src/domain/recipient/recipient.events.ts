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

/** The details an operator may correct: free text, never a NIK (NikCorrected) nor a role. */
export const CORRECTABLE_FIELDS = [
  'name',
  'groupName',
  'phone',
  'address',
  'businessType',
  'memberName',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** One field's correction; `before`/`after` null where the field was or becomes absent. */
export interface DetailChange {
  field: CorrectableField;
  /** For `memberName`: the member whose name changes, by the keyed hash of her NIK. */
  memberNikHash?: string;
  before: string | null;
  after: string | null;
}

/** Details corrected: each change with its value before and after, for auditors. */
export type RecipientDetailsCorrected = DomainEvent<
  'RecipientDetailsCorrected',
  { recipientId: string; changes: DetailChange[]; reason: string }
>;

/**
 * A mistyped NIK corrected: the RSE woman's, or one KUBe member's (found by her old NIK). Written
 * in the same append as the old claim's NikReleased (reason CORRECTED) and the new NikClaimed.
 */
export type NikCorrected = DomainEvent<
  'NikCorrected',
  { recipientId: string; before: StoredNik; after: StoredNik; reason: string }
>;

export const MEMBER_DEPARTURES = ['DIED', 'LEFT'] as const;
export type MemberDeparture = (typeof MEMBER_DEPARTURES)[number];

/**
 * A KUBe member who died or left, replaced by a new member who takes her role. The leaving
 * member's NIK stays claimed (she was part of an aided group); the newcomer's is claimed in the
 * same append.
 */
export type MemberReplaced = DomainEvent<
  'MemberReplaced',
  {
    recipientId: string;
    departure: MemberDeparture;
    left: KubeMember;
    joined: KubeMember;
    /** The WITA calendar date the member left or died. */
    effectiveOn: string;
    reason: string;
  }
>;

/**
 * Moved to another regency/city: counts from now on follow her; disbursements already made stay
 * counted where they were made (their events carry their regency).
 */
export type RecipientMoved = DomainEvent<
  'RecipientMoved',
  {
    recipientId: string;
    fromRegencyCode: string;
    toRegencyCode: string;
    movedOn: string;
    reason: string;
  }
>;

/** An RSE woman who died: no new aid; her record and its follow-up stay. */
export type RecipientDied = DomainEvent<
  'RecipientDied',
  { recipientId: string; diedOn: string; reason: string }
>;

/** A recipient who withdrew from the programme: no new aid; monitoring may continue. */
export type RecipientWithdrew = DomainEvent<
  'RecipientWithdrew',
  { recipientId: string; withdrawnOn: string; reason: string }
>;

export type RecipientEvent =
  | RecipientRegistered
  | RecipientDetailsCorrected
  | NikCorrected
  | MemberReplaced
  | RecipientMoved
  | RecipientDied
  | RecipientWithdrew
  | RegistrationAbandoned
  | AidDisbursed
  | DisbursementAbandoned
  | DisbursementReversed
  | MonitoringRecorded
  | MentoringRecorded
  | ExhibitionParticipationRecorded;
