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
  | RecordExhibitionParticipation;

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

export interface RseRegistration extends NikInput {
  kind: 'RSE';
  regencyCode: string;
  name: string;
  businessType: string;
  phone?: string;
  address?: string;
}

export interface KubeMemberInput extends NikInput {
  name: string;
  role: MemberRole;
}

export interface KubeRegistration {
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

export interface AidItem {
  description: string;
  quantity: number;
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
