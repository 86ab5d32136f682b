import { csvLines, toCsv as tableToCsv, type CsvDelimiter } from '../../read/export/csv-writer';
import type { ExportColumn, ExportTable } from '../../read/export/export-table';
import { jsonArrayLines, tableLines } from '../text-output';
import type { DisbursementRecord } from './disbursement-history';

export const HISTORY_FORMATS = ['table', 'csv', 'json', 'xlsx'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** The columns of the CSV and xlsx exports, in order; one row per disbursement. */
export const HISTORY_COLUMNS: readonly ExportColumn<DisbursementRecord>[] = [
  { header: 'disbursement_id', kind: 'text', value: (r) => r.disbursementId },
  { header: 'recipient_id', kind: 'text', value: (r) => r.recipientId },
  { header: 'kind', kind: 'text', value: (r) => r.kind },
  { header: 'regency_code', kind: 'text', value: (r) => r.regencyCode },
  { header: 'regency_name', kind: 'text', value: (r) => r.regencyName },
  { header: 'year', kind: 'integer', value: (r) => r.year },
  { header: 'masked_niks', kind: 'text', value: (r) => r.maskedNiks.join(' ') },
  { header: 'form', kind: 'text', value: (r) => r.form },
  { header: 'items', kind: 'text', value: (r) => itemsText(r) },
  { header: 'value_rupiah', kind: 'rupiah', value: (r) => r.valueRupiah },
  { header: 'disbursed_on', kind: 'date', value: (r) => r.disbursedOn },
  { header: 'recorded_at', kind: 'timestamp', value: (r) => r.recordedAt },
  { header: 'actor', kind: 'text', value: (r) => r.actor },
  { header: 'reversed_on', kind: 'date', value: (r) => r.reversal?.reversedOn ?? null },
  { header: 'reversal_reason', kind: 'text', value: (r) => r.reversal?.reason ?? null },
  { header: 'reversed_by', kind: 'text', value: (r) => r.reversal?.actor ?? null },
  {
    header: 'reversal_recorded_at',
    kind: 'timestamp',
    value: (r) => r.reversal?.recordedAt ?? null,
  },
];

/** The CSV columns, in order. */
export const CSV_COLUMNS = HISTORY_COLUMNS.map((column) => column.header);

/** "description (quantity [unit] × unit price)" per item, joined by "; "; the default unit unsaid. */
export function itemsText(record: DisbursementRecord): string {
  return record.items
    .map(
      (item) =>
        `${item.description} (${item.quantity}${item.unit ? ` ${item.unit}` : ''} × ${item.unitPriceRupiah})`,
    )
    .join('; ');
}

export function historyTable(
  records: readonly DisbursementRecord[],
): ExportTable<DisbursementRecord> {
  return { title: 'Disbursements', columns: HISTORY_COLUMNS, rows: records };
}

/** The history as CSV (see csvLines): ISO dates, WITA timestamps, whole rupiah. */
export function toCsv(
  records: readonly DisbursementRecord[],
  delimiter: CsvDelimiter = ',',
): string {
  return tableToCsv(historyTable(records), delimiter);
}

/** A fixed-width table for a terminal, with a totals line. */
function* historyTextTable(records: readonly DisbursementRecord[]): Generator<string> {
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
  format: Exclude<HistoryFormat, 'xlsx'>,
  delimiter: CsvDelimiter = ',',
): Iterable<string> {
  return format === 'csv'
    ? csvLines(historyTable(records), delimiter)
    : format === 'json'
      ? jsonArrayLines(records)
      : historyTextTable(records);
}
