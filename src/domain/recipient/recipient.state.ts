/**
 * What a recipient's stream says about the recipient, as its commands need it: the state types
 * and `evolveRecipient`, which folds one event into them.
 */
import type { AidKind } from '../programme/aid-programme';
import {
  ERASED_TEXT,
  type DetailChange,
  type KubeMember,
  type PersonalDataKeyed,
  type RecipientEvent,
  type StoredNik,
} from './recipient.events';

export interface DisbursementRecord {
  year: number;
  /** Where it was made and counted: a reversal takes it back out there, even after a move. */
  regencyCode: string;
  valueRupiah: number;
  disbursedOn: string;
  reversed: boolean;
}

/**
 * The details as corrected so far: what a correction's `before` values are read from. Each
 * person's `dataKeyId` (absent for one registered before data keys) is copied into the later
 * events that carry her personal data; an erased person's fields read ERASED_TEXT.
 */
export interface RseDetails extends PersonalDataKeyed {
  kind: 'RSE';
  name: string;
  businessType: string;
  phone: string | null;
  address: string | null;
  nik: StoredNik;
}

export interface CurrentMember extends KubeMember {
  /** Null for a founding member; the date she joined for one who replaced another. */
  joinedOn: string | null;
}

/** `dataKeyId`: the group's key (its name). */
export interface KubeDetails extends PersonalDataKeyed {
  kind: 'KUBE';
  groupName: string;
  businessType: string;
  members: CurrentMember[];
  /** Members who died or left, each as she was when she left: erasure reaches them too. */
  formerMembers: KubeMember[];
}

/** Whether the recipient may still receive aid: neither dead nor withdrawn. */
export type LifeStanding =
  | { status: 'active' }
  | { status: 'withdrawn'; withdrawnOn: string }
  | { status: 'deceased'; diedOn: string };

export type UnregisteredRecipient = { status: 'unregistered' };

/** Older logs: a registration whose request died before it registered; it never can. */
export type AbandonedRegistration = { status: 'abandoned' };

export type RegisteredRecipient = {
  status: 'registered';
  recipientId: string;
  kind: AidKind;
  /** Where the recipient lives now: the regency a new disbursement is counted in. */
  regencyCode: string;
  details: RseDetails | KubeDetails;
  standing: LifeStanding;
  /** The date of the latest move, if any: moves are recorded in the order they happened. */
  lastMovedOn: string | null;
  /** Every disbursement ever made to this recipient, by id, reversed or not. */
  disbursements: Record<string, DisbursementRecord>;
  /** Older logs: disbursement ids fenced after their requests died; never usable again. */
  abandoned: string[];
  /** The disbursement that is not reversed, if any: at most one at a time. */
  liveDisbursementId: string | null;
  /** The data keys destroyed by erasures: whose personal data is gone for good. */
  erasedDataKeyIds: string[];
};

export type RecipientState = UnregisteredRecipient | AbandonedRegistration | RegisteredRecipient;

/** The state of a stream with no events. */
export function initialRecipientState(): RecipientState {
  return { status: 'unregistered' };
}

export function evolveRecipient(state: RecipientState, event: RecipientEvent): RecipientState {
  switch (event.type) {
    case 'RecipientRegistered': {
      const { recipientId, kind, regencyCode } = event.data;
      return {
        status: 'registered',
        recipientId,
        kind,
        regencyCode,
        details: detailsOf(event.data),
        standing: { status: 'active' },
        lastMovedOn: null,
        disbursements: {},
        abandoned: [],
        liveDisbursementId: null,
        erasedDataKeyIds: [],
      };
    }
    case 'RegistrationAbandoned':
      return { status: 'abandoned' };
    default:
      // Only a registered recipient's stream was ever given these events.
      return state.status === 'registered' ? evolveRegistered(state, event) : state;
  }
}

type DisbursementEvent = Exclude<
  RecipientEvent,
  { type: 'RecipientRegistered' } | { type: 'RegistrationAbandoned' }
>;

function evolveRegistered(
  state: RegisteredRecipient,
  event: DisbursementEvent,
): RegisteredRecipient {
  switch (event.type) {
    case 'AidDisbursed': {
      const { disbursementId, year, regencyCode, valueRupiah, disbursedOn } = event.data;
      const record: DisbursementRecord = {
        year,
        regencyCode,
        valueRupiah,
        disbursedOn,
        reversed: false,
      };
      return {
        ...state,
        disbursements: { ...state.disbursements, [disbursementId]: record },
        liveDisbursementId: disbursementId,
      };
    }
    case 'DisbursementAbandoned':
      return { ...state, abandoned: [...state.abandoned, event.data.disbursementId] };
    case 'DisbursementReversed': {
      const { disbursementId } = event.data;
      const record = state.disbursements[disbursementId];
      if (!record) return state;
      return {
        ...state,
        disbursements: {
          ...state.disbursements,
          [disbursementId]: { ...record, reversed: true },
        },
        liveDisbursementId:
          state.liveDisbursementId === disbursementId ? null : state.liveDisbursementId,
      };
    }
    case 'RecipientDetailsCorrected':
      return {
        ...state,
        details: event.data.changes.reduce(applyDetailChange, state.details),
      };
    case 'NikCorrected': {
      const { before, after } = event.data;
      const { details } = state;
      if (details.kind === 'RSE') return { ...state, details: { ...details, nik: after } };
      const members = details.members.map((member) =>
        member.nikHash === before.nikHash ? { ...member, ...after } : member,
      );
      return { ...state, details: { ...details, members } };
    }
    case 'MemberReplaced': {
      const { details } = state;
      if (details.kind !== 'KUBE') return state;
      const { left, joined, effectiveOn } = event.data;
      const leaving = details.members.find((member) => member.nikHash === left.nikHash);
      if (!leaving) return state;
      // As the state knew her, key included: an erased leaver's event names no key.
      const { joinedOn: _joinedOn, ...former } = leaving;
      const members = details.members.map((member) =>
        member === leaving ? { ...joined, joinedOn: effectiveOn } : member,
      );
      const formerMembers = [...details.formerMembers, former];
      return { ...state, details: { ...details, members, formerMembers } };
    }
    case 'PersonalDataErased': {
      const erasedDataKeyIds = [...new Set([...state.erasedDataKeyIds, ...event.data.dataKeyIds])];
      return {
        ...state,
        erasedDataKeyIds,
        details: withErasedFields(state.details, new Set(erasedDataKeyIds)),
      };
    }
    case 'RecipientMoved':
      return { ...state, regencyCode: event.data.toRegencyCode, lastMovedOn: event.data.movedOn };
    case 'RecipientDied':
      return { ...state, standing: { status: 'deceased', diedOn: event.data.diedOn } };
    case 'RecipientWithdrew':
      return state.standing.status === 'deceased'
        ? state
        : { ...state, standing: { status: 'withdrawn', withdrawnOn: event.data.withdrawnOn } };
    case 'MonitoringRecorded':
    case 'MentoringRecorded':
    case 'ExhibitionParticipationRecorded':
      return state;
  }
}

function detailsOf(
  registered: Extract<RecipientEvent, { type: 'RecipientRegistered' }>['data'],
): RseDetails | KubeDetails {
  if (registered.kind === 'KUBE') {
    const { groupName, businessType, members, dataKeyId } = registered;
    return {
      kind: 'KUBE',
      ...keyed(dataKeyId),
      groupName,
      businessType,
      members: members.map(({ name, role, nikHash, nikMasked, dataKeyId: memberKeyId }) => ({
        name,
        role,
        nikHash,
        nikMasked,
        ...keyed(memberKeyId),
        joinedOn: null,
      })),
      formerMembers: [],
    };
  }
  const { name, businessType, phone, address, nikHash, nikMasked, dataKeyId } = registered;
  return {
    kind: 'RSE',
    ...keyed(dataKeyId),
    name,
    businessType,
    phone: phone ?? null,
    address: address ?? null,
    nik: { nikHash, nikMasked },
  };
}

function applyDetailChange(
  details: RseDetails | KubeDetails,
  change: DetailChange,
): RseDetails | KubeDetails {
  const { field, after } = change;
  if (details.kind === 'KUBE') {
    if (field === 'groupName' || field === 'businessType') {
      return after === null ? details : { ...details, [field]: after };
    }
    if (field !== 'memberName' || after === null) return details;
    const members = details.members.map((member) =>
      member.nikHash === change.memberNikHash ? { ...member, name: after } : member,
    );
    return { ...details, members };
  }
  if (field === 'phone' || field === 'address') return { ...details, [field]: after };
  if ((field === 'name' || field === 'businessType') && after !== null) {
    return { ...details, [field]: after };
  }
  return details;
}

/** `{ dataKeyId }`, or nothing for a person registered before data keys: her events name none. */
export function keyed(dataKeyId: string | undefined): PersonalDataKeyed {
  return dataKeyId === undefined ? {} : { dataKeyId };
}

/** Whether the person of this key (absent: registered before data keys) was erased. */
export function isErased(recipient: RegisteredRecipient, dataKeyId: string | undefined): boolean {
  return dataKeyId !== undefined && recipient.erasedDataKeyIds.includes(dataKeyId);
}

/**
 * The details with every erased person's personal fields as ERASED_TEXT: what the events read as
 * once her key is destroyed, and already so in a state cached before that.
 */
function withErasedFields(
  details: RseDetails | KubeDetails,
  erased: ReadonlySet<string>,
): RseDetails | KubeDetails {
  const isGone = (person: PersonalDataKeyed) =>
    person.dataKeyId !== undefined && erased.has(person.dataKeyId);
  if (details.kind === 'RSE') {
    if (!isGone(details)) return details;
    const { phone, address } = details;
    return {
      ...details,
      name: ERASED_TEXT,
      phone: phone === null ? null : ERASED_TEXT,
      address: address === null ? null : ERASED_TEXT,
    };
  }
  const erase = <Member extends KubeMember>(member: Member): Member =>
    isGone(member) ? { ...member, name: ERASED_TEXT } : member;
  return {
    ...details,
    groupName: isGone(details) ? ERASED_TEXT : details.groupName,
    members: details.members.map(erase),
    formerMembers: details.formerMembers.map(erase),
  };
}
