/**
 * The checks the recipient's commands share: each throws the domain error a client sees, or
 * returns (the narrowed state, the facts of a valid NIK) when the check passes.
 */
import { invalid, notFound, ruleViolated, type DomainError } from '../domain-error';
import { isCalendarDate } from '../programme/calendar-date';
import { checkNik, NIK_PROBLEMS, type NikProblem } from '../programme/nik';
import { describeTextProblem, textProblems, type TextKind } from '../programme/text';
import { isErased, type RecipientState, type RegisteredRecipient } from './recipient.state';

/** The recipient, narrowed to registered, or the not-found refusal every command gives. */
export function requireRegistered(state: RecipientState): RegisteredRecipient {
  if (state.status !== 'registered') throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
  return state;
}

/** Dead or withdrawn: refused with a code a client can switch on; `what` says what is refused. */
export function requireStillInProgramme(recipient: RegisteredRecipient, what: string): void {
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

/**
 * Refuses a command that would write personal data of a person who was erased (her key is gone,
 * and nothing new is to be recorded about her): `field` names what the command carries for her.
 */
export function requireNotErased(
  recipient: RegisteredRecipient,
  dataKeyId: string | undefined,
  field: string,
): void {
  if (isErased(recipient, dataKeyId)) {
    throw ruleViolated(
      'PERSONAL_DATA_ERASED',
      `${field} belongs to a person whose personal data was erased: nothing more is recorded about her`,
      field,
    );
  }
}

/** Free text as the HTTP layer checks it too (domain/programme/text): absent optional text passes. */
export function requireText(text: string | undefined, kind: TextKind, field: string): void {
  if (text === undefined) return;
  const [problem] = textProblems(text, kind);
  if (problem) {
    throw invalid('INVALID_TEXT', `${field} ${describeTextProblem(problem, kind)}`, field);
  }
}

/** Every correction and life event says why, for auditors. */
export function requireReason(reason: string): void {
  if (!/\S/.test(reason)) {
    throw invalid('REASON_REQUIRED', 'reason must say why, for auditors', 'reason');
  }
  requireText(reason, 'text', 'reason');
}

/** A real date, not after today in Kalimantan Timur. */
export function requirePastDate(date: string, today: string, field: string): void {
  if (!isCalendarDate(date)) {
    throw invalid('INVALID_DATE', `${field} must be a real date written YYYY-MM-DD`, field);
  }
  if (date > today) {
    throw ruleViolated('DATE_IN_FUTURE', `${field} ${date} is after today (${today})`, field);
  }
}

/** The facts of a valid NIK (its region, the female marker), or INVALID_NIK naming `field`. */
export function requireValidNik(nik: string, field: string) {
  const checked = checkNik(nik);
  if (!checked.ok) throw nikError(checked.problem, field);
  return checked.facts;
}

function nikError(problem: NikProblem, field: string): DomainError {
  return invalid('INVALID_NIK', `${field} ${NIK_PROBLEMS[problem]}`, field);
}
