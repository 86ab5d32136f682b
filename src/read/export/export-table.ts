/**
 * A table to export, independent of its format: the CSV and xlsx writers read the same columns.
 * Each column says what its cells are, so that a spreadsheet neither turns a code into a number
 * (64.72, a NIK mask, a leading zero) nor keeps a date or an amount as text.
 */
export type ColumnKind =
  /** Codes, ids, names: always text, whatever they look like. */
  | 'text'
  /** A whole number such as a year or a count. */
  | 'integer'
  /** Whole rupiah. */
  | 'rupiah'
  /** A calendar date, YYYY-MM-DD (a business date). */
  | 'date'
  /** An instant as stored (ISO, UTC); written in WITA with its offset. */
  | 'timestamp';

export type CellValue = string | number | null;

export interface ExportColumn<Row> {
  header: string;
  kind: ColumnKind;
  value: (row: Row) => CellValue;
}

export interface ExportTable<Row> {
  /** The worksheet's name in an xlsx file (at most 31 characters). */
  title: string;
  columns: readonly ExportColumn<Row>[];
  rows: Iterable<Row>;
}
