import type { Decider } from '../decider';
import { invalid, notFound, ruleViolated, type DomainError } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { isCalendarDate } from '../programme/calendar-date';
import { checkNik, maskNik, NIK_PROBLEMS, type NikProblem } from '../programme/nik';
import { findRegency } from '../programme/regencies';
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

export interface RecipientState {
  status: 'unregistered' | 'abandoned' | 'registered';
  recipientId: string | null;
  kind: AidKind | null;
  regencyCode: string | null;
  /** Every disbursement ever made to this recipient, by id, reversed or not. */
  disbursements: Record<string, DisbursementRecord>;
  /** Older logs: disbursement ids fenced after their requests died; never usable again. */
  abandoned: string[];
  /** The disbursement that is not reversed, if any: at most one at a time. */
  liveDisbursementId: string | null;
}

export const recipientDecider: Decider<RecipientCommand, RecipientEvent, RecipientState> = {
  initialState: () => ({
    status: 'unregistered',
    recipientId: null,
    kind: null,
    regencyCode: null,
    disbursements: {},
    abandoned: [],
    liveDisbursementId: null,
  }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterRecipient':
        return register(command, state);

      case 'DisburseAid':
        return disburse(command, state);

      case 'ReverseDisbursement':
        return reverse(command, state);

      case 'RecordMonitoring': {
        const disbursementId = requireAidedOn(state, command.visitDate, command.today, 'visitDate');
        for (const field of [
          'monthlyTurnoverRupiah',
          'workers',
          'workersFromPoorHouseholds',
        ] as const) {
          if (!Number.isSafeInteger(command[field]) || command[field] < 0) {
            throw invalid('INVALID_NUMBER', `${field} must be a whole number from 0`, field);
          }
        }
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
            data: { recipientId: state.recipientId as string, disbursementId, ...visit },
          },
        ];
      }

      case 'RecordMentoring': {
        const disbursementId = requireAidedOn(state, command.date, command.today, 'date');
        const { partner, topic, date } = command;
        return [
          {
            type: 'MentoringRecorded',
            data: {
              recipientId: state.recipientId as string,
              disbursementId,
              partner,
              topic,
              date,
            },
          },
        ];
      }

      case 'RecordExhibitionParticipation': {
        const disbursementId = requireAidedOn(state, command.date, command.today, 'date');
        const { name, date } = command;
        return [
          {
            type: 'ExhibitionParticipationRecorded',
            data: { recipientId: state.recipientId as string, disbursementId, name, date },
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
      case 'RecipientRegistered':
        return {
          ...state,
          status: 'registered',
          recipientId: event.data.recipientId,
          kind: event.data.kind,
          regencyCode: event.data.regencyCode,
        };
      case 'RegistrationAbandoned':
        return { ...state, status: 'abandoned' };
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
  },
};

/**
 * A disbursement id names its recipient and counts its attempts (`<recipientId>.<n>`), so a
 * reversal finds the recipient's stream without a lookup and ids never repeat.
 */
export function nextDisbursementId(recipientId: string, state: RecipientState): string {
  const attempts = Object.keys(state.disbursements).length + state.abandoned.length;
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

function requireRegistered(state: RecipientState): void {
  if (state.status !== 'registered') throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
}

function disburse(command: DisburseAid, state: RecipientState): RecipientEvent[] {
  requireRegistered(state);
  if (state.liveDisbursementId !== null) {
    throw ruleViolated(
      'ALREADY_DISBURSED',
      `The recipient already holds disbursement ${state.liveDisbursementId}; reverse it first`,
    );
  }
  const { disbursementId, year, form, items, disbursedOn, today } = command;
  if (recipientIdOf(disbursementId) !== state.recipientId) {
    throw invalid(
      'FOREIGN_DISBURSEMENT_ID',
      `Disbursement ${disbursementId} names another recipient`,
    );
  }
  if (state.disbursements[disbursementId] || state.abandoned.includes(disbursementId)) {
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
        recipientId: state.recipientId as string,
        disbursementId,
        kind: state.kind as AidKind,
        regencyCode: state.regencyCode as string,
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
  const record = state.disbursements[command.disbursementId];
  if (state.status !== 'registered' || !record) {
    throw notFound('DISBURSEMENT_NOT_FOUND', 'No such disbursement');
  }
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
        recipientId: state.recipientId as string,
        disbursementId: command.disbursementId,
        kind: state.kind as AidKind,
        regencyCode: state.regencyCode as string,
        year: record.year,
        valueRupiah: record.valueRupiah,
        reason: command.reason,
        reversedOn: command.today,
      },
    },
  ];
}

/** Follow-up needs aid that stands: a live disbursement on or before the date, and no future date. */
function requireAidedOn(state: RecipientState, date: string, today: string, field: string): string {
  requireRegistered(state);
  const disbursementId = state.liveDisbursementId;
  if (disbursementId === null) {
    throw ruleViolated('NOT_DISBURSED', 'The recipient holds no disbursement to follow up');
  }
  if (!isCalendarDate(date)) {
    throw invalid('INVALID_DATE', `${field} must be a real date written YYYY-MM-DD`, field);
  }
  const disbursedOn = state.disbursements[disbursementId].disbursedOn;
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
  return disbursementId;
}
