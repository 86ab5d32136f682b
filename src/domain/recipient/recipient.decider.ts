import type { Decider } from '../decider';
import { invalid, notFound, ruleViolated, type DomainError } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { isCalendarDate } from '../programme/calendar-date';
import { checkNik, maskNik, NIK_PROBLEMS, type NikProblem } from '../programme/nik';
import { findRegency } from '../programme/regencies';
import { describeTextProblem, textProblems, type TextKind } from '../programme/text';
import { itemProblem, lineValueRupiah } from './aid-items';
import type {
  CorrectDetails,
  CorrectNik,
  DisburseAid,
  KubeRegistration,
  RecipientCommand,
  RecordDeath,
  RecordMove,
  RecordWithdrawal,
  RegisterRecipient,
  ReplaceMember,
  ReverseDisbursement,
  RseRegistration,
} from './recipient.commands';
import type {
  CorrectableField,
  DetailChange,
  KubeMember,
  RecipientEvent,
  StoredNik,
} from './recipient.events';

export const KUBE_SIZE = 5;

export interface DisbursementRecord {
  year: number;
  /** Where it was made and counted: a reversal takes it back out there, even after a move. */
  regencyCode: string;
  valueRupiah: number;
  disbursedOn: string;
  reversed: boolean;
}

/** The details as corrected so far: what a correction's `before` values are read from. */
export interface RseDetails {
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

export interface KubeDetails {
  kind: 'KUBE';
  groupName: string;
  businessType: string;
  members: CurrentMember[];
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
};

export type RecipientState = UnregisteredRecipient | AbandonedRegistration | RegisteredRecipient;

export const recipientDecider: Decider<RecipientCommand, RecipientEvent, RecipientState> = {
  initialState: () => ({ status: 'unregistered' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterRecipient':
        return register(command, state);

      case 'DisburseAid':
        return disburse(command, state);

      case 'ReverseDisbursement':
        return reverse(command, state);

      case 'RecordMonitoring': {
        const { recipientId, disbursementId } = requireAidedOn(
          state,
          command.visitDate,
          command.today,
          'visitDate',
        );
        for (const field of [
          'monthlyTurnoverRupiah',
          'workers',
          'workersFromPoorHouseholds',
        ] as const) {
          if (!Number.isSafeInteger(command[field]) || command[field] < 0) {
            throw invalid('INVALID_NUMBER', `${field} must be a whole number from 0`, field);
          }
        }
        requireText(command.notes, 'lines', 'notes');
        if (command.workersFromPoorHouseholds > command.workers) {
          throw invalid(
            'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
            'workersFromPoorHouseholds must not exceed workers',
            'workersFromPoorHouseholds',
          );
        }
        const { type: _type, today: _today, ...visit } = command;
        return [
          {
            type: 'MonitoringRecorded',
            data: { recipientId, disbursementId, ...visit },
          },
        ];
      }

      case 'RecordMentoring': {
        const { recipientId, disbursementId } = requireAidedOn(
          state,
          command.date,
          command.today,
          'date',
        );
        const { partner, topic, date } = command;
        requireText(partner, 'text', 'partner');
        requireText(topic, 'text', 'topic');
        return [
          {
            type: 'MentoringRecorded',
            data: { recipientId, disbursementId, partner, topic, date },
          },
        ];
      }

      case 'CorrectDetails':
        return correctDetails(command, state);

      case 'CorrectNik':
        return correctNik(command, state);

      case 'ReplaceMember':
        return replaceMember(command, state);

      case 'RecordMove':
        return recordMove(command, state);

      case 'RecordDeath':
        return recordDeath(command, state);

      case 'RecordWithdrawal':
        return recordWithdrawal(command, state);

      case 'RecordExhibitionParticipation': {
        const { recipientId, disbursementId } = requireAidedOn(
          state,
          command.date,
          command.today,
          'date',
        );
        const { name, date } = command;
        requireText(name, 'text', 'name');
        return [
          {
            type: 'ExhibitionParticipationRecorded',
            data: { recipientId, disbursementId, name, date },
          },
        ];
      }

      default: {
        const unhandled: never = command;
        throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
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
        };
      }
      case 'RegistrationAbandoned':
        return { status: 'abandoned' };
      default:
        // Only a registered recipient's stream was ever given these events.
        return state.status === 'registered' ? evolveRegistered(state, event) : state;
    }
  },
};

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
      const members = details.members.map((member) =>
        member.nikHash === left.nikHash ? { ...joined, joinedOn: effectiveOn } : member,
      );
      return { ...state, details: { ...details, members } };
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
    const { groupName, businessType, members } = registered;
    return {
      kind: 'KUBE',
      groupName,
      businessType,
      members: members.map(({ name, role, nikHash, nikMasked }) => ({
        name,
        role,
        nikHash,
        nikMasked,
        joinedOn: null,
      })),
    };
  }
  const { name, businessType, phone, address, nikHash, nikMasked } = registered;
  return {
    kind: 'RSE',
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

/**
 * A disbursement id names its recipient and counts its attempts (`<recipientId>.<n>`), so a
 * reversal finds the recipient's stream without a lookup and ids never repeat.
 */
export function nextDisbursementId(recipientId: string, state: RecipientState): string {
  // A recipient not registered has had no attempts (and refuses this one).
  const attempts =
    state.status === 'registered'
      ? Object.keys(state.disbursements).length + state.abandoned.length
      : 0;
  return `${recipientId}.${attempts + 1}`;
}

/** The recipient a disbursement id names, or '' when the id is not of that form. */
export function recipientIdOf(disbursementId: string): string {
  const dot = disbursementId.lastIndexOf('.');
  return dot > 0 ? disbursementId.slice(0, dot) : '';
}

function register(command: RegisterRecipient, state: RecipientState): RecipientEvent[] {
  if (state.status === 'registered') {
    throw ruleViolated('RECIPIENT_ALREADY_REGISTERED', 'This recipient is already registered');
  }
  if (state.status === 'abandoned') {
    throw ruleViolated(
      'REGISTRATION_ABANDONED',
      'This registration took too long and was abandoned; register again',
    );
  }
  const { registration, recipientId } = command;
  if (!findRegency(registration.regencyCode)) {
    throw invalid(
      'UNKNOWN_REGENCY',
      `regencyCode ${registration.regencyCode} is not one of the ten regencies/cities of Kalimantan Timur`,
      'regencyCode',
    );
  }
  if (registration.kind === 'RSE') {
    requireText(registration.name, 'name', 'name');
    requireText(registration.address, 'text', 'address');
  } else {
    requireText(registration.groupName, 'name', 'groupName');
    registration.members.forEach((member, index) =>
      requireText(member.name, 'name', `members.${index}.name`),
    );
  }
  requireText(registration.businessType, 'text', 'businessType');
  return registration.kind === 'RSE'
    ? [registerRse(recipientId, registration)]
    : [registerKube(recipientId, registration)];
}

function registerRse(recipientId: string, registration: RseRegistration): RecipientEvent {
  const facts = requireValidNik(registration.nik, 'nik');
  if (!facts.female) {
    throw invalid(
      'NIK_NOT_FEMALE',
      'nik must be marked female (day of birth 41–71): RSE aid is for women',
      'nik',
    );
  }
  const { nik, nikHash, kind, regencyCode, name, businessType, phone, address } = registration;
  return {
    type: 'RecipientRegistered',
    data: {
      recipientId,
      kind,
      regencyCode,
      name,
      businessType,
      nikHash,
      nikMasked: maskNik(nik),
      ...(phone === undefined ? {} : { phone }),
      ...(address === undefined ? {} : { address }),
    },
  };
}

function registerKube(recipientId: string, registration: KubeRegistration): RecipientEvent {
  const { members, kind, regencyCode, groupName, businessType } = registration;
  if (members.length !== KUBE_SIZE) {
    throw invalid(
      'KUBE_NOT_FIVE_MEMBERS',
      `members must hold exactly ${KUBE_SIZE} people`,
      'members',
    );
  }
  members.forEach((member, index) => {
    requireValidNik(member.nik, `members.${index}.nik`);
    if (members.findIndex((other) => other.nik === member.nik) !== index) {
      throw invalid(
        'DUPLICATE_MEMBER_NIK',
        'a NIK appears twice in the group',
        `members.${index}.nik`,
      );
    }
  });
  const chairs = members.filter((member) => member.role === 'CHAIR').length;
  if (chairs !== 1) {
    throw invalid('ONE_CHAIR_REQUIRED', `a KUBe has exactly one CHAIR (got ${chairs})`, 'members');
  }
  return {
    type: 'RecipientRegistered',
    data: {
      recipientId,
      kind,
      regencyCode,
      groupName,
      businessType,
      members: members.map(({ nik, nikHash, name, role }) => ({
        name,
        role,
        nikHash,
        nikMasked: maskNik(nik),
      })),
    },
  };
}

function requireValidNik(nik: string, field: string) {
  const checked = checkNik(nik);
  if (!checked.ok) throw nikError(checked.problem, field);
  return checked.facts;
}

function nikError(problem: NikProblem, field: string): DomainError {
  return invalid('INVALID_NIK', `${field} ${NIK_PROBLEMS[problem]}`, field);
}

/** Free text as the HTTP layer checks it too (domain/programme/text): absent optional text passes. */
function requireText(text: string | undefined, kind: TextKind, field: string): void {
  if (text === undefined) return;
  const [problem] = textProblems(text, kind);
  if (problem) {
    throw invalid('INVALID_TEXT', `${field} ${describeTextProblem(problem, kind)}`, field);
  }
}

/** The recipient, narrowed to registered, or the not-found refusal every command gives. */
export function requireRegistered(state: RecipientState): RegisteredRecipient {
  if (state.status !== 'registered') throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
  return state;
}

function disburse(command: DisburseAid, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireStillInProgramme(recipient, 'No new aid');
  if (recipient.liveDisbursementId !== null) {
    throw ruleViolated(
      'ALREADY_DISBURSED',
      `The recipient already holds disbursement ${recipient.liveDisbursementId}; reverse it first`,
    );
  }
  const { disbursementId, year, form, items, disbursedOn, today } = command;
  if (recipientIdOf(disbursementId) !== recipient.recipientId) {
    throw invalid(
      'FOREIGN_DISBURSEMENT_ID',
      `Disbursement ${disbursementId} names another recipient`,
    );
  }
  if (recipient.disbursements[disbursementId] || recipient.abandoned.includes(disbursementId)) {
    throw ruleViolated('DISBURSEMENT_ID_TAKEN', `Disbursement ${disbursementId} already exists`);
  }
  if (!isCalendarDate(disbursedOn)) {
    throw invalid(
      'INVALID_DATE',
      'disbursedOn must be a real date written YYYY-MM-DD',
      'disbursedOn',
    );
  }
  if (Number(disbursedOn.slice(0, 4)) !== year) {
    throw invalid('DATE_NOT_IN_YEAR', `disbursedOn must fall in ${year}`, 'disbursedOn');
  }
  if (disbursedOn > today) {
    throw ruleViolated(
      'DATE_IN_FUTURE',
      `disbursedOn ${disbursedOn} is after today (${today})`,
      'disbursedOn',
    );
  }
  items.forEach((item, index) => {
    requireText(item.description, 'text', `items.${index}.description`);
    // Unit, quantity (whole or ≤ 3 decimals), price, and a line of whole rupiah.
    const problem = itemProblem(item);
    if (problem) {
      const { code, message, field, params } = problem;
      throw invalid(code, message, `items.${index}.${field}`, params);
    }
  });
  const valueRupiah = aidValue(items);
  if (valueRupiah <= 0) {
    throw invalid('VALUE_ZERO', 'the items must be worth more than Rp0', 'items');
  }
  return [
    {
      type: 'AidDisbursed',
      data: {
        recipientId: recipient.recipientId,
        disbursementId,
        kind: recipient.kind,
        regencyCode: recipient.regencyCode,
        year,
        form,
        items,
        valueRupiah,
        disbursedOn,
      },
    },
  ];
}

/**
 * The value of aid in kind: the sum of quantity × unit price, in whole rupiah, computed exactly
 * (2.5 × 14,000 is 35,000, not a float near it).
 */
export function aidValue(items: readonly { quantity: number; unitPriceRupiah: number }[]): number {
  return items.reduce((sum, item) => sum + lineValueRupiah(item), 0);
}

function reverse(command: ReverseDisbursement, state: RecipientState): RecipientEvent[] {
  if (state.status !== 'registered' || !state.disbursements[command.disbursementId]) {
    throw notFound('DISBURSEMENT_NOT_FOUND', 'No such disbursement');
  }
  const record = state.disbursements[command.disbursementId];
  requireText(command.reason, 'text', 'reason');
  if (record.reversed) {
    throw ruleViolated(
      'ALREADY_REVERSED',
      `Disbursement ${command.disbursementId} is already reversed`,
    );
  }
  return [
    {
      type: 'DisbursementReversed',
      data: {
        recipientId: state.recipientId,
        disbursementId: command.disbursementId,
        kind: state.kind,
        regencyCode: record.regencyCode,
        year: record.year,
        valueRupiah: record.valueRupiah,
        reason: command.reason,
        reversedOn: command.today,
      },
    },
  ];
}

/** Follow-up needs aid that stands: a live disbursement on or before the date, and no future date. */
function requireAidedOn(
  state: RecipientState,
  date: string,
  today: string,
  field: string,
): { recipientId: string; disbursementId: string } {
  const recipient = requireRegistered(state);
  const disbursementId = recipient.liveDisbursementId;
  if (disbursementId === null) {
    throw ruleViolated('NOT_DISBURSED', 'The recipient holds no disbursement to follow up');
  }
  if (!isCalendarDate(date)) {
    throw invalid('INVALID_DATE', `${field} must be a real date written YYYY-MM-DD`, field);
  }
  const disbursedOn = recipient.disbursements[disbursementId].disbursedOn;
  if (date < disbursedOn) {
    throw ruleViolated(
      'DATE_BEFORE_DISBURSEMENT',
      `${field} ${date} is before the aid was disbursed (${disbursedOn})`,
      field,
    );
  }
  if (date > today) {
    throw ruleViolated('DATE_IN_FUTURE', `${field} ${date} is after today (${today})`, field);
  }
  return { recipientId: recipient.recipientId, disbursementId };
}

/** Dead or withdrawn: refused with a code a client can switch on; `what` says what is refused. */
function requireStillInProgramme(recipient: RegisteredRecipient, what: string): void {
  const { standing } = recipient;
  if (standing.status === 'deceased') {
    throw ruleViolated('RECIPIENT_DECEASED', `${what}: the recipient died on ${standing.diedOn}`);
  }
  if (standing.status === 'withdrawn') {
    throw ruleViolated(
      'RECIPIENT_WITHDRAWN',
      `${what}: the recipient withdrew from the programme on ${standing.withdrawnOn}`,
    );
  }
}

/** Every correction and life event says why, for auditors. */
function requireReason(reason: string): void {
  if (!/\S/.test(reason)) {
    throw invalid('REASON_REQUIRED', 'reason must say why, for auditors', 'reason');
  }
  requireText(reason, 'text', 'reason');
}

/** A real date, not after today in Kalimantan Timur. */
function requirePastDate(date: string, today: string, field: string): void {
  if (!isCalendarDate(date)) {
    throw invalid('INVALID_DATE', `${field} must be a real date written YYYY-MM-DD`, field);
  }
  if (date > today) {
    throw ruleViolated('DATE_IN_FUTURE', `${field} ${date} is after today (${today})`, field);
  }
}

/** A fact of a life cannot precede a move already recorded: the moves would contradict it. */
function requireNotBeforeMove(recipient: RegisteredRecipient, date: string, field: string): void {
  if (recipient.lastMovedOn !== null && date < recipient.lastMovedOn) {
    throw ruleViolated(
      'DATE_BEFORE_MOVE',
      `${field} ${date} is before the move recorded on ${recipient.lastMovedOn}`,
      field,
    );
  }
}

/** Aid that stands was handed over to someone alive and in the programme on that day. */
function requireNotBeforeLiveAid(recipient: RegisteredRecipient, date: string, field: string) {
  const live = recipient.liveDisbursementId;
  if (live === null) return;
  const { disbursedOn } = recipient.disbursements[live];
  if (date < disbursedOn) {
    throw ruleViolated(
      'DATE_BEFORE_DISBURSEMENT',
      `${field} ${date} is before disbursement ${live} was handed over (${disbursedOn}); reverse it first`,
      field,
    );
  }
}

const notForKind = (field: string, kind: AidKind): DomainError =>
  invalid(
    'FIELD_NOT_FOR_KIND',
    `${field} cannot be corrected on ${kind === 'RSE' ? 'an RSE recipient' : 'a KUBe'}`,
    field,
  );

function correctDetails(command: CorrectDetails, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireReason(command.reason);
  const { details } = recipient;
  const changes: DetailChange[] = [];
  const change = (
    field: CorrectableField,
    before: string | null,
    after: string | null | undefined,
  ) => {
    if (after !== undefined && after !== before) changes.push({ field, before, after });
  };
  if (details.kind === 'RSE') {
    for (const field of ['groupName', 'memberNames'] as const) {
      if (command[field] !== undefined) {
        throw notForKind(field === 'memberNames' ? 'members' : field, 'RSE');
      }
    }
    requireText(command.name, 'name', 'name');
    requireText(command.phone ?? undefined, 'text', 'phone');
    requireText(command.address ?? undefined, 'text', 'address');
    requireText(command.businessType, 'text', 'businessType');
    change('name', details.name, command.name);
    change('phone', details.phone, command.phone);
    change('address', details.address, command.address);
    change('businessType', details.businessType, command.businessType);
  } else {
    for (const field of ['name', 'phone', 'address'] as const) {
      if (command[field] !== undefined) throw notForKind(field, 'KUBE');
    }
    requireText(command.groupName, 'name', 'groupName');
    requireText(command.businessType, 'text', 'businessType');
    change('groupName', details.groupName, command.groupName);
    change('businessType', details.businessType, command.businessType);
    const corrections = command.memberNames ?? [];
    corrections.forEach(({ nikHash, name }, index) => {
      requireText(name, 'name', `members.${index}.name`);
      if (corrections.findIndex((other) => other.nikHash === nikHash) !== index) {
        throw invalid(
          'DUPLICATE_MEMBER_NIK',
          'a member appears twice in the correction',
          `members.${index}.nik`,
        );
      }
      const member = details.members.find((candidate) => candidate.nikHash === nikHash);
      if (!member) throw notAMember(`members.${index}.nik`);
      if (member.name !== name) {
        changes.push({
          field: 'memberName',
          memberNikHash: nikHash,
          before: member.name,
          after: name,
        });
      }
    });
  }
  if (changes.length === 0) {
    throw invalid(
      'NOTHING_TO_CORRECT',
      'The correction changes nothing: every value given is the one already recorded',
    );
  }
  return [
    {
      type: 'RecipientDetailsCorrected',
      data: { recipientId: recipient.recipientId, changes, reason: command.reason },
    },
  ];
}

const notAMember = (field: string): DomainError =>
  ruleViolated('NOT_A_MEMBER', `${field} is not the NIK of a current member of this KUBe`, field);

function correctNik(command: CorrectNik, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  requireReason(command.reason);
  const { details } = recipient;
  const { newNik, nikHash } = command;
  let before: StoredNik;
  if (details.kind === 'RSE') {
    if (nikHash !== undefined && nikHash !== details.nik.nikHash) {
      throw ruleViolated('NIK_NOT_OF_RECIPIENT', 'nik is not the NIK recorded for her', 'nik');
    }
    before = details.nik;
  } else {
    if (nikHash === undefined) {
      throw invalid(
        'NIK_REQUIRED',
        'nik (the member’s NIK as recorded) is required to correct a KUBe member’s NIK',
        'nik',
      );
    }
    const member = details.members.find((candidate) => candidate.nikHash === nikHash);
    if (!member) throw notAMember('nik');
    before = { nikHash: member.nikHash, nikMasked: member.nikMasked };
  }
  const facts = requireValidNik(newNik.nik, 'newNik');
  if (details.kind === 'RSE' && !facts.female) {
    throw invalid(
      'NIK_NOT_FEMALE',
      'newNik must be marked female (day of birth 41–71): RSE aid is for women',
      'newNik',
    );
  }
  if (newNik.nikHash === before.nikHash) {
    throw invalid('NIK_UNCHANGED', 'newNik is the NIK already recorded', 'newNik');
  }
  if (
    details.kind === 'KUBE' &&
    details.members.some((member) => member.nikHash === newNik.nikHash)
  ) {
    throw invalid('DUPLICATE_MEMBER_NIK', 'newNik is another member’s NIK', 'newNik');
  }
  return [
    {
      type: 'NikCorrected',
      data: {
        recipientId: recipient.recipientId,
        before,
        after: { nikHash: newNik.nikHash, nikMasked: maskNik(newNik.nik) },
        reason: command.reason,
      },
    },
  ];
}

function replaceMember(command: ReplaceMember, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  const { details } = recipient;
  if (details.kind !== 'KUBE') {
    throw ruleViolated('NOT_A_KUBE', 'Only a KUBe has members to replace');
  }
  requireStillInProgramme(recipient, 'No member can be replaced');
  requireReason(command.reason);
  const { departure, effectiveOn, leavingNikHash, newMember, today } = command;
  const leaving = details.members.find((member) => member.nikHash === leavingNikHash);
  if (!leaving) throw notAMember('leavingNik');
  requirePastDate(effectiveOn, today, 'effectiveOn');
  if (leaving.joinedOn !== null && effectiveOn < leaving.joinedOn) {
    throw ruleViolated(
      'DATE_BEFORE_MEMBER_JOINED',
      `effectiveOn ${effectiveOn} is before the leaving member joined (${leaving.joinedOn})`,
      'effectiveOn',
    );
  }
  requireText(newMember.name, 'name', 'newMember.name');
  requireValidNik(newMember.nik, 'newMember.nik');
  if (details.members.some((member) => member.nikHash === newMember.nikHash)) {
    throw invalid(
      'DUPLICATE_MEMBER_NIK',
      'newMember.nik is the NIK of a current member',
      'newMember.nik',
    );
  }
  const role = newMember.role ?? leaving.role;
  const chairs =
    details.members.filter((member) => member !== leaving && member.role === 'CHAIR').length +
    (role === 'CHAIR' ? 1 : 0);
  if (chairs !== 1) {
    throw invalid(
      'ONE_CHAIR_REQUIRED',
      `a KUBe has exactly one CHAIR (the replacement would leave ${chairs})`,
      'newMember.role',
    );
  }
  const { joinedOn: _joinedOn, ...left } = leaving;
  return [
    {
      type: 'MemberReplaced',
      data: {
        recipientId: recipient.recipientId,
        departure,
        left,
        joined: {
          name: newMember.name,
          role,
          nikHash: newMember.nikHash,
          nikMasked: maskNik(newMember.nik),
        },
        effectiveOn,
        reason: command.reason,
      },
    },
  ];
}

function recordMove(command: RecordMove, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  if (recipient.standing.status === 'deceased') {
    throw ruleViolated(
      'RECIPIENT_DECEASED',
      `No move can be recorded: the recipient died on ${recipient.standing.diedOn}`,
    );
  }
  requireReason(command.reason);
  const { toRegencyCode, movedOn, today } = command;
  if (!findRegency(toRegencyCode)) {
    throw invalid(
      'UNKNOWN_REGENCY',
      `toRegencyCode ${toRegencyCode} is not one of the ten regencies/cities of Kalimantan Timur`,
      'toRegencyCode',
    );
  }
  if (toRegencyCode === recipient.regencyCode) {
    throw invalid(
      'SAME_REGENCY',
      `The recipient already lives in ${toRegencyCode}`,
      'toRegencyCode',
    );
  }
  requirePastDate(movedOn, today, 'movedOn');
  requireNotBeforeMove(recipient, movedOn, 'movedOn');
  return [
    {
      type: 'RecipientMoved',
      data: {
        recipientId: recipient.recipientId,
        fromRegencyCode: recipient.regencyCode,
        toRegencyCode,
        movedOn,
        reason: command.reason,
      },
    },
  ];
}

function recordDeath(command: RecordDeath, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  if (recipient.kind !== 'RSE') {
    throw ruleViolated(
      'NOT_AN_RSE',
      'A KUBe is a group: record a member’s death as a member replacement (departure DIED)',
    );
  }
  const { standing } = recipient;
  if (standing.status === 'deceased') {
    throw ruleViolated('ALREADY_DECEASED', `Her death is already recorded (${standing.diedOn})`);
  }
  requireReason(command.reason);
  const { diedOn, today } = command;
  requirePastDate(diedOn, today, 'diedOn');
  requireNotBeforeMove(recipient, diedOn, 'diedOn');
  requireNotBeforeLiveAid(recipient, diedOn, 'diedOn');
  if (standing.status === 'withdrawn' && diedOn < standing.withdrawnOn) {
    throw ruleViolated(
      'DATE_BEFORE_WITHDRAWAL',
      `diedOn ${diedOn} is before her withdrawal recorded on ${standing.withdrawnOn}`,
      'diedOn',
    );
  }
  return [
    {
      type: 'RecipientDied',
      data: { recipientId: recipient.recipientId, diedOn, reason: command.reason },
    },
  ];
}

function recordWithdrawal(command: RecordWithdrawal, state: RecipientState): RecipientEvent[] {
  const recipient = requireRegistered(state);
  const { standing } = recipient;
  if (standing.status === 'withdrawn') {
    throw ruleViolated(
      'ALREADY_WITHDRAWN',
      `The withdrawal is already recorded (${standing.withdrawnOn})`,
    );
  }
  requireStillInProgramme(recipient, 'No withdrawal can be recorded');
  requireReason(command.reason);
  const { withdrawnOn, today } = command;
  requirePastDate(withdrawnOn, today, 'withdrawnOn');
  requireNotBeforeLiveAid(recipient, withdrawnOn, 'withdrawnOn');
  return [
    {
      type: 'RecipientWithdrew',
      data: { recipientId: recipient.recipientId, withdrawnOn, reason: command.reason },
    },
  ];
}
