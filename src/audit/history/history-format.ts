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
export function toCsv(records: readonly DisbursementRecord[]): string {
  const lines = [CSV_COLUMNS.join(','), ...records.map((r) => csvRow(r).map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toJson(records: readonly DisbursementRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/** A fixed-width table for a terminal, with a totals line. */
export function toTable(records: readonly DisbursementRecord[]): string {
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
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  const total = records.reduce((sum, r) => sum + (r.reversal ? 0 : r.valueRupiah), 0);
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${records.length} disbursements; Rp${total.toLocaleString('id-ID')} not reversed`,
    '',
  ].join('\n');
}

export function formatHistory(
  records: readonly DisbursementRecord[],
  format: HistoryFormat,
): string {
  return format === 'csv' ? toCsv(records) : format === 'json' ? toJson(records) : toTable(records);
}
