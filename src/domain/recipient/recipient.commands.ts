import type { MemberDeparture } from './recipient.events';

/**
 * Commands on one recipient's stream (`recipient-<id>`): an RSE woman or a KUBe. Times and ids
 * come in with the command; `today` is the date in Kalimantan Timur when the command arrived.
 */
export type RecipientCommand =
  | RegisterRecipient
  | DisburseAid
  | ReverseDisbursement
  | RecordMonitoring
  | RecordMentoring
  | RecordExhibitionParticipation
  | CorrectDetails
  | CorrectNik
  | ReplaceMember
  | RecordMove
  | RecordDeath
  | RecordWithdrawal
  | EraseRecipientPersonalData;

export const MEMBER_ROLES = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const AID_FORMS = ['MATERIALS', 'EQUIPMENT'] as const;
export type AidForm = (typeof AID_FORMS)[number];

export const BUSINESS_STATUSES = ['GROWING', 'STABLE', 'STRUGGLING', 'CLOSED'] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

export const CHALLENGES = [
  'LIMITED_RESOURCES',
  'MARKET_COMPETITION',
  'MOTIVATION',
  'OTHER',
] as const;
export type Challenge = (typeof CHALLENGES)[number];

/** A NIK as the command carries it: the digits to validate, and their keyed hash to store. */
export interface NikInput {
  nik: string;
  nikHash: string;
}

/**
 * A fresh data key for a person entering the record: her personal data is encrypted with it
 * (platform/personal-data). The handler takes it from the key store; the decider writes it down.
 */
export interface NewDataKey {
  dataKeyId: string;
}

export interface RseRegistration extends NikInput, NewDataKey {
  kind: 'RSE';
  regencyCode: string;
  name: string;
  businessType: string;
  phone?: string;
  address?: string;
}

export interface KubeMemberInput extends NikInput, NewDataKey {
  name: string;
  role: MemberRole;
}

/** `dataKeyId`: the group's own key (its name). */
export interface KubeRegistration extends NewDataKey {
  kind: 'KUBE';
  regencyCode: string;
  groupName: string;
  businessType: string;
  members: KubeMemberInput[];
}

export interface RegisterRecipient {
  type: 'RegisterRecipient';
  recipientId: string;
  registration: RseRegistration | KubeRegistration;
}

/**
 * One line of aid in kind. `quantity` is whole for counted units and has at most 3 decimals for
 * measured ones (kg, l…); `unit` is absent for the default `unit` (and in every older event);
 * quantity × unitPriceRupiah comes to whole rupiah (see aid-items.ts).
 */
export interface AidItem {
  description: string;
  quantity: number;
  unit?: import('./aid-items').AidUnit;
  unitPriceRupiah: number;
}

export interface DisburseAid {
  type: 'DisburseAid';
  disbursementId: string;
  year: number;
  form: AidForm;
  items: AidItem[];
  disbursedOn: string;
  today: string;
}

export interface ReverseDisbursement {
  type: 'ReverseDisbursement';
  disbursementId: string;
  reason: string;
  today: string;
}

export interface RecordMonitoring {
  type: 'RecordMonitoring';
  visitDate: string;
  businessStatus: BusinessStatus;
  monthlyTurnoverRupiah: number;
  workers: number;
  workersFromPoorHouseholds: number;
  challenges: Challenge[];
  notes?: string;
  today: string;
}

export interface RecordMentoring {
  type: 'RecordMentoring';
  partner: string;
  topic: string;
  date: string;
  today: string;
}

export interface RecordExhibitionParticipation {
  type: 'RecordExhibitionParticipation';
  name: string;
  date: string;
  today: string;
}

/** A KUBe member's name corrected: the member found by the keyed hash of her NIK. */
export interface MemberNameCorrection {
  nikHash: string;
  name: string;
}

/**
 * Details an operator corrects, each optional; a field given with the value it already has is
 * not a change. `phone` or `address` null removes it (RSE only; a KUBe registers neither).
 */
export interface CorrectDetails {
  type: 'CorrectDetails';
  name?: string;
  groupName?: string;
  phone?: string | null;
  address?: string | null;
  businessType?: string;
  /** In the order of the request's `members`, whose index names a refused entry. */
  memberNames?: MemberNameCorrection[];
  reason: string;
}

/**
 * A mistyped NIK replaced by the right one: the RSE woman's (`nikHash` optional, checked when
 * given) or the KUBe member's whose old NIK is `nikHash`.
 */
export interface CorrectNik {
  type: 'CorrectNik';
  nikHash?: string;
  newNik: NikInput;
  reason: string;
}

export interface ReplaceMember {
  type: 'ReplaceMember';
  departure: MemberDeparture;
  /** The WITA date she died or left. */
  effectiveOn: string;
  leavingNikHash: string;
  /** `role` absent: the newcomer takes the leaving member's role. */
  newMember: NikInput & NewDataKey & { name: string; role?: MemberRole };
  reason: string;
  today: string;
}

export interface RecordMove {
  type: 'RecordMove';
  toRegencyCode: string;
  movedOn: string;
  reason: string;
  today: string;
}

export interface RecordDeath {
  type: 'RecordDeath';
  diedOn: string;
  reason: string;
  today: string;
}

export interface RecordWithdrawal {
  type: 'RecordWithdrawal';
  withdrawnOn: string;
  reason: string;
  today: string;
}

/**
 * Erases personal data for good, for a legal reason and its reference (a letter, a decision):
 * the whole recipient, or with `memberNikHash` one KUBe member, current or former.
 */
export interface EraseRecipientPersonalData {
  type: 'EraseRecipientPersonalData';
  memberNikHash?: string;
  reason: string;
  reference: string;
}
