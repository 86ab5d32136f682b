import { jsonArrayLines, tableLines } from '../text-output';
import type { DisbursementRecord } from './disbursement-history';

export const HISTORY_FORMATS = ['table', 'csv', 'json'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** The CSV columns, in order; one row per disbursement. */
export const CSV_COLUMNS = [
  'disbursement_id',
  'recipient_id',
  'kind',
  'regency_code',
  'regency_name',
  'year',
  'masked_niks',
  'form',
  'items',
  'value_rupiah',
  'disbursed_on',
  'recorded_at',
  'actor',
  'reversed_on',
  'reversal_reason',
  'reversed_by',
  'reversal_recorded_at',
] as const;

/** "description (quantity × unit price)" per item, joined by "; ". */
export function itemsText(record: DisbursementRecord): string {
  return record.items
    .map((item) => `${item.description} (${item.quantity} × ${item.unitPriceRupiah})`)
    .join('; ');
}

function csvRow(record: DisbursementRecord): (string | number)[] {
  const reversal = record.reversal;
  return [
    record.disbursementId,
    record.recipientId,
    record.kind,
    record.regencyCode,
    record.regencyName,
    record.year,
    record.maskedNiks.join(' '),
    record.form,
    itemsText(record),
    record.valueRupiah,
    record.disbursedOn,
    record.recordedAt,
    record.actor,
    reversal?.reversedOn ?? '',
    reversal?.reason ?? '',
    reversal?.actor ?? '',
    reversal?.recordedAt ?? '',
  ];
}

/**
 * RFC 4180 with CRLF, UTF-8 with a byte-order mark (so spreadsheets do not guess another
 * encoding), integer rupiah, ISO dates. Text that a spreadsheet would run as a formula (starting
 * with = + - @) gets a leading apostrophe.
 */
export function* csvLines(records: readonly DisbursementRecord[]): Generator<string> {
  yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  for (const record of records) yield `${csvRow(record).map(csvCell).join(',')}\r\n`;
}

export function toCsv(records: readonly DisbursementRecord[]): string {
  return [...csvLines(records)].join('');
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A fixed-width table for a terminal, with a totals line. */
function* historyTable(records: readonly DisbursementRecord[]): Generator<string> {
  const rows = records.map((r) => [
    r.disbursementId,
    r.kind,
    r.regencyCode,
    String(r.year),
    r.valueRupiah.toLocaleString('id-ID'),
    r.disbursedOn,
    r.actor,
    r.reversal ? `${r.reversal.reversedOn} (${r.reversal.reason})` : '',
  ]);
  const header = [
    'disbursement',
    'kind',
    'regency',
    'year',
    'value (Rp)',
    'disbursed',
    'actor',
    'reversed',
  ];
  yield* tableLines(header, rows, { rule: true });
  const total = records.reduce((sum, r) => sum + (r.reversal ? 0 : r.valueRupiah), 0);
  yield `\n${records.length} disbursements; Rp${total.toLocaleString('id-ID')} not reversed\n`;
}

/** The history as text in a format, a piece at a time (large histories never sit in one string). */
export function historyText(
  records: readonly DisbursementRecord[],
  format: HistoryFormat,
): Iterable<string> {
  return format === 'csv'
    ? csvLines(records)
    : format === 'json'
      ? jsonArrayLines(records)
      : historyTable(records);
}
