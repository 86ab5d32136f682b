/**
 * Aid and its reversal: disbursing aid in kind to a registered recipient still in the programme
 * (one live disbursement at a time), reversing it, and the ids and value that go with it.
 */
import { invalid, notFound, ruleViolated } from '../domain-error';
import { isCalendarDate } from '../programme/calendar-date';
import { itemProblem, lineValueRupiah } from './aid-items';
import type { DisburseAid, ReverseDisbursement } from './recipient.commands';
import type { RecipientEvent } from './recipient.events';
import { requireRegistered, requireStillInProgramme, requireText } from './recipient.requirements';
import type { RecipientState } from './recipient.state';

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

export function disburseAid(command: DisburseAid, state: RecipientState): RecipientEvent[] {
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

export function reverseDisbursement(
  command: ReverseDisbursement,
  state: RecipientState,
): RecipientEvent[] {
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
