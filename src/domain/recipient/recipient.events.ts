import type { DomainEvent } from '../decider';
import type { AidKind } from '../programme/aid-programme';
import type { AidForm, AidItem, BusinessStatus, Challenge, MemberRole } from './recipient.commands';

/** NIKs are stored as a keyed hash (to match) and masked (to show), never in clear. */
export interface StoredNik {
  nikHash: string;
  nikMasked: string;
}

/**
 * Personal data is encrypted with the data key of the person it belongs to (see
 * platform/personal-data): an object of an event that names a `dataKeyId` has its names, phone,
 * address, notes and before/after values encrypted with that key. Events written before data
 * keys existed name none and hold clear text; so does the field of a person already erased.
 */
export interface PersonalDataKeyed {
  dataKeyId?: string;
}

/**
 * What an erased person's personal field reads as, in the state and in the events written after
 * her erasure; the same text as platform/personal-data's ERASED_TEXT, which the application's
 * event store gives for a destroyed key (a spec in src/write checks they agree).
 */
export const ERASED_TEXT = '[dihapus]';

export interface KubeMember extends StoredNik, PersonalDataKeyed {
  name: string;
  role: MemberRole;
}

/** `dataKeyId`: the woman's key (name, phone, address). */
export type RseRegistered = StoredNik &
  PersonalDataKeyed & {
    recipientId: string;
    kind: 'RSE';
    regencyCode: string;
    name: string;
    businessType: string;
    phone?: string;
    address?: string;
  };

/** `dataKeyId`: the group's key (its name); each member has her own. */
export type KubeRegistered = PersonalDataKeyed & {
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
    /** With notes: the recipient's key (the woman's, or the group's), as notes may name people. */
    dataKeyId?: string;
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

/**
 * One field's correction; `before`/`after` null where the field was or becomes absent.
 * `dataKeyId`: the key of the person the value belongs to (none for businessType).
 */
export interface DetailChange extends PersonalDataKeyed {
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

/**
 * Personal data erased on request (admin, with the legal reason and its reference): the data
 * keys of the people named are destroyed right after this event is appended, so that their
 * names, phone, address and notes read as erased in every copy of the log. The whole recipient
 * (the RSE woman; a KUBe's group and every member, former ones too), or one member of a KUBe
 * (`memberNikHash`). Holds no personal data itself. `dataKeyIds`: the keys this erasure
 * destroyed, those of earlier erasures excepted.
 */
export type PersonalDataErased = DomainEvent<
  'PersonalDataErased',
  {
    recipientId: string;
    dataKeyIds: string[];
    memberNikHash?: string;
    reason: string;
    reference: string;
  }
>;

export type RecipientEvent =
  | RecipientRegistered
  | RecipientDetailsCorrected
  | NikCorrected
  | MemberReplaced
  | RecipientMoved
  | RecipientDied
  | RecipientWithdrew
  | PersonalDataErased
  | RegistrationAbandoned
  | AidDisbursed
  | DisbursementAbandoned
  | DisbursementReversed
  | MonitoringRecorded
  | MentoringRecorded
  | ExhibitionParticipationRecorded;
