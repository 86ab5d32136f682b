import type { Decider } from '../decider';
import { invalid, notFound, ruleViolated, type DomainError } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { isCalendarDate } from '../programme/calendar-date';
import { checkNik, maskNik, NIK_PROBLEMS, type NikProblem } from '../programme/nik';
import { findRegency } from '../programme/regencies';
import { describeTextProblem, textProblems, type TextKind } from '../programme/text';
import type {
  DisburseAid,
  KubeRegistration,
  RecipientCommand,
  RegisterRecipient,
  ReverseDisbursement,
  RseRegistration,
} from './recipient.commands';
import type { RecipientEvent } from './recipient.events';

export const KUBE_SIZE = 5;

export interface DisbursementRecord {
  year: number;
  valueRupiah: number;
  disbursedOn: string;
  reversed: boolean;
}

export type UnregisteredRecipient = { status: 'unregistered' };

/** Older logs: a registration whose request died before it registered; it never can. */
export type AbandonedRegistration = { status: 'abandoned' };

export type RegisteredRecipient = {
  status: 'registered';
  recipientId: string;
  kind: AidKind;
  regencyCode: string;
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
      const { disbursementId, year, valueRupiah, disbursedOn } = event.data;
      const record: DisbursementRecord = { year, valueRupiah, disbursedOn, reversed: false };
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
    case 'MonitoringRecorded':
    case 'MentoringRecorded':
    case 'ExhibitionParticipationRecorded':
      return state;
  }
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
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw invalid(
        'INVALID_QUANTITY',
        'quantity must be a whole number from 1',
        `items.${index}.quantity`,
      );
    }
    if (!Number.isSafeInteger(item.unitPriceRupiah) || item.unitPriceRupiah < 0) {
      throw invalid(
        'INVALID_PRICE',
        'unitPriceRupiah must be a whole number of rupiah from 0',
        `items.${index}.unitPriceRupiah`,
      );
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

/** The value of aid in kind: the sum of quantity × unit price, in whole rupiah. */
export function aidValue(items: readonly { quantity: number; unitPriceRupiah: number }[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPriceRupiah, 0);
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
        regencyCode: state.regencyCode,
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
