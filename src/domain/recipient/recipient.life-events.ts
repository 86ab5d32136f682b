/**
 * Life events, each with a reason for auditors: a move to another regency/city, an RSE woman's
 * death, a withdrawal from the programme. Each is dated, and the dates must not contradict the
 * moves and the aid already recorded.
 */
import { invalid, ruleViolated } from '../domain-error';
import { findRegency } from '../programme/regencies';
import type { RecordDeath, RecordMove, RecordWithdrawal } from './recipient.commands';
import type { RecipientEvent } from './recipient.events';
import {
  requirePastDate,
  requireReason,
  requireRegistered,
  requireStillInProgramme,
} from './recipient.requirements';
import type { RecipientState, RegisteredRecipient } from './recipient.state';

export function recordMove(command: RecordMove, state: RecipientState): RecipientEvent[] {
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

export function recordDeath(command: RecordDeath, state: RecipientState): RecipientEvent[] {
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

export function recordWithdrawal(
  command: RecordWithdrawal,
  state: RecipientState,
): RecipientEvent[] {
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
