import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { witaWallClock } from '../wita-time';
import type { CellValue, ColumnKind, ExportTable } from './export-table';

/** How each kind is shown; text is marked as text so that an edit does not turn it into a number. */
const NUMBER_FORMATS: Record<ColumnKind, string> = {
  text: '@',
  integer: '0',
  rupiah: '#,##0',
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm:ss',
};

/**
 * Cells as their kind: text stays a string (a cell that starts with = is text in xlsx, never a
 * formula: no formula is ever written), numbers are numbers, dates and timestamps are real dates.
 * A spreadsheet date has no time zone: timestamps are given as WITA wall-clock time.
 */
function cellValue(value: CellValue, kind: ColumnKind): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  switch (kind) {
    case 'text':
      return String(value);
    case 'integer':
    case 'rupiah':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return new Date(`${String(value)}T00:00:00.000Z`);
    case 'timestamp':
      return witaWallClock(String(value));
  }
}

/**
 * Rows written between two turns of the event loop: a workbook is built and zipped in JavaScript,
 * so without these pauses a large export would hold every other request back (20 rows keep each
 * turn to a few milliseconds).
 */
const ROWS_PER_TURN = 20;

/**
 * Streams the table as an xlsx workbook of one worksheet into `output`, a row at a time, so that
 * a large history does not sit in memory as a workbook. Resolves once the file is complete.
 */
export async function writeXlsx<Row>(table: ExportTable<Row>, output: Writable): Promise<void> {
  // Loaded on the first export: exceljs is large, and every process (a projector, a rebuild)
  // loads the routes that export, most of them never writing a workbook.
  const { stream } = (await import('exceljs')).default;
  const workbook = new stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = table.columns.map((column) => ({
    header: column.header,
    width: Math.max(column.header.length + 2, column.kind === 'timestamp' ? 20 : 12),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  let number = 2;
  for (const row of table.rows) {
    const line = sheet.getRow(number++);
    table.columns.forEach((column, index) => {
      const cell = line.getCell(index + 1);
      cell.value = cellValue(column.value(row), column.kind);
      cell.numFmt = NUMBER_FORMATS[column.kind];
    });
    line.commit();
    if (number % ROWS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
}
