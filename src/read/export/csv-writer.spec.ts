import { csvCell, toCsv } from './csv-writer';
import type { ExportTable } from './export-table';

interface Row {
  code: string;
  note: string | null;
  rupiah: number | null;
  on: string | null;
  at: string | null;
}

const table = (rows: Row[]): ExportTable<Row> => ({
  title: 'Test',
  columns: [
    { header: 'code', kind: 'text', value: (r) => r.code },
    { header: 'note', kind: 'text', value: (r) => r.note },
    { header: 'value_rupiah', kind: 'rupiah', value: (r) => r.rupiah },
    { header: 'on', kind: 'date', value: (r) => r.on },
    { header: 'at', kind: 'timestamp', value: (r) => r.at },
  ],
  rows,
});

describe('CSV writer', () => {
  it('starts with a byte-order mark and a header, ends every line with CRLF', () => {
    const csv = toCsv(
      table([
        {
          code: '64.72',
          note: 'biasa',
          rupiah: 5_000_000,
          on: '2025-06-15',
          at: '2025-03-15T02:00:00.000Z',
        },
      ]),
    );
    expect(csv).toBe(
      '\uFEFFcode,note,value_rupiah,on,at\r\n' +
        '"64.72",biasa,5000000,2025-06-15,2025-03-15T10:00:00.000+08:00\r\n',
    );
  });

  it('writes instants in WITA with their offset, and empty cells for nothing', () => {
    const csv = toCsv(
      table([{ code: 'x', note: null, rupiah: null, on: null, at: '2025-06-30T16:00:00.000Z' }]),
      ';',
    );
    expect(csv.split('\r\n')[1]).toBe('x;;;;2025-07-01T00:00:00.000+08:00');
  });

  it('quotes a cell holding the delimiter in use, a quote or a line break', () => {
    expect(csvCell('a;b', 'text', ';')).toBe('"a;b"');
    expect(csvCell('a;b', 'text', ',')).toBe('a;b');
    expect(csvCell('a,b', 'text', ',')).toBe('"a,b"');
    expect(csvCell('a,b', 'text', ';')).toBe('a,b');
    expect(csvCell('kata "x"', 'text', ';')).toBe('"kata ""x"""');
    expect(csvCell('baris\nbaru', 'text', ',')).toBe('"baris\nbaru"');
  });

  it.each(['=HYPERLINK("http://x")', '+62 812', '-1+1', '@SUM(A1)', '\t=1', '\r=1'])(
    'neutralises text a spreadsheet would run as a formula: %j',
    (text) => {
      const cell = csvCell(text, 'text', ';');
      expect(cell.replace(/^"/, '').startsWith(`'`)).toBe(true);
    },
  );

  it('quotes text that a spreadsheet would take for a number or a date, never a number', () => {
    for (const text of ['64.72', '081234567890', '2025', '0812 3456 7890', '2025-06-15'])
      expect(csvCell(text, 'text', ';')).toBe(`"${text}"`);
    for (const text of ['6472********0001', 'r1.1', 'Kota Samarinda'])
      expect(csvCell(text, 'text', ';')).toBe(text);
    expect(csvCell(5_000_000, 'rupiah', ';')).toBe('5000000');
    expect(csvCell('2025-06-15', 'date', ';')).toBe('2025-06-15');
  });

  it('leaves numbers alone, negative ones too: they are ours, not text', () => {
    expect(csvCell(-5, 'rupiah', ',')).toBe('-5');
    expect(csvCell(0, 'integer', ',')).toBe('0');
  });
});
