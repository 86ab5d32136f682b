import { witaTimestamp } from '../wita-time';
import type { CellValue, ColumnKind, ExportTable } from './export-table';

/**
 * `,` as RFC 4180 says; `;` for spreadsheets set to Indonesian (or any decimal-comma) regional
 * settings, which open a comma-separated file in one column.
 */
export const CSV_DELIMITERS = [',', ';'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/**
 * RFC 4180 with CRLF, UTF-8 with a byte-order mark (so spreadsheets do not guess another
 * encoding), whole numbers, ISO dates, instants in WITA with their offset. A text cell that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or CR that hides one) gets
 * a leading apostrophe; numbers are written by us and need none. Text that looks like a number is
 * quoted (see NUMBER_LIKE).
 */
export function* csvLines<Row>(
  table: ExportTable<Row>,
  delimiter: CsvDelimiter = ',',
): Generator<string> {
  const { columns } = table;
  yield `\uFEFF${columns.map((column) => csvCell(column.header, 'text', delimiter)).join(delimiter)}\r\n`;
  for (const row of table.rows) {
    yield `${columns
      .map((column) => csvCell(column.value(row), column.kind, delimiter))
      .join(delimiter)}\r\n`;
  }
}

export function toCsv<Row>(table: ExportTable<Row>, delimiter: CsvDelimiter = ','): string {
  return [...csvLines(table, delimiter)].join('');
}

export function csvCell(value: CellValue, kind: ColumnKind, delimiter: CsvDelimiter): string {
  if (value === null || value === '') return '';
  if (typeof value === 'number') return String(value);
  const text =
    kind === 'timestamp' ? witaTimestamp(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  const special = delimiter === ',' ? /[",\r\n]/ : /[";\r\n]/;
  const quoted = special.test(text) || (kind === 'text' && NUMBER_LIKE.test(text));
  return quoted ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text a spreadsheet would take for a number or a date (64.72, a phone number's leading zero, 2025):
 * quoted, so that one told to keep quoted fields as text (LibreOffice's "Format quoted field as
 * text") does. A number column is never quoted.
 */
const NUMBER_LIKE = /^[\d\s.,:/+-]*\d[\d\s.,:/+-]*$/;
