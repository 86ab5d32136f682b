/**
 * Follow-up after the aid (monitoring and evaluation): a monitoring visit, mentoring, and taking
 * part in an UMKM exhibition, each tied to the disbursement that stands.
 */
import { invalid, ruleViolated } from '../domain-error';
import { isCalendarDate } from '../programme/calendar-date';
import type {
  RecordExhibitionParticipation,
  RecordMentoring,
  RecordMonitoring,
} from './recipient.commands';
import type { RecipientEvent } from './recipient.events';
import { requireNotErased, requireRegistered, requireText } from './recipient.requirements';
import { keyed, type RecipientState } from './recipient.state';

export function recordMonitoring(
  command: RecordMonitoring,
  state: RecipientState,
): RecipientEvent[] {
  const { recipientId, disbursementId } = requireAidedOn(
    state,
    command.visitDate,
    command.today,
    'visitDate',
  );
  for (const field of ['monthlyTurnoverRupiah', 'workers', 'workersFromPoorHouseholds'] as const) {
    if (!Number.isSafeInteger(command[field]) || command[field] < 0) {
      throw invalid('INVALID_NUMBER', `${field} must be a whole number from 0`, field);
    }
  }
  requireText(command.notes, 'lines', 'notes');
  // Notes may name people: they are the recipient's (the woman's, or the group's) personal data.
  const recipient = requireRegistered(state);
  const { dataKeyId } = recipient.details;
  if (command.notes !== undefined) requireNotErased(recipient, dataKeyId, 'notes');
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
      data: {
        recipientId,
        disbursementId,
        ...visit,
        ...(visit.notes === undefined ? {} : keyed(dataKeyId)),
      },
    },
  ];
}

export function recordMentoring(command: RecordMentoring, state: RecipientState): RecipientEvent[] {
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

export function recordExhibitionParticipation(
  command: RecordExhibitionParticipation,
  state: RecipientState,
): RecipientEvent[] {
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
