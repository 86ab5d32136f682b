import type { DisbursementRecord } from './disbursement-history';
import { CSV_COLUMNS, historyText, toCsv } from './history-format';

function record(n: number, overrides: Partial<DisbursementRecord> = {}): DisbursementRecord {
  return {
    disbursementId: `r${n}.1`,
    recipientId: `r${n}`,
    kind: 'RSE',
    regencyCode: '64.72',
    regencyName: 'Kota Samarinda',
    year: 2025,
    maskedNiks: ['6472********0001'],
    form: 'EQUIPMENT',
    items: [{ description: 'Mesin jahit', quantity: 1, unitPriceRupiah: 5_000_000 }],
    valueRupiah: 5_000_000,
    disbursedOn: '2025-06-15',
    recordedAt: '2025-06-20T02:00:00.000Z',
    actor: 'operator',
    reversal: null,
    ...overrides,
  };
}

const text = (records: DisbursementRecord[], format: 'csv' | 'json' | 'table') =>
  [...historyText(records, format)].join('');

describe('history formats', () => {
  it('writes JSON that parses back to the records', () => {
    const records = [record(1), record(2, { reversal: null })];
    expect(JSON.parse(text(records, 'json'))).toEqual(records);
    expect(JSON.parse(text([], 'json'))).toEqual([]);
  });

  it('quotes CSV cells that need it and defuses text a spreadsheet would run as a formula', () => {
    const csv = toCsv([
      record(1, {
        reversal: {
          reversedOn: '2025-07-05',
          reason: '=HYPERLINK("x"), dan "lain"',
          actor: 'operator',
          recordedAt: '2025-07-05T02:00:00.000Z',
        },
      }),
    ]);
    expect(csv).toContain(`,"'=HYPERLINK(""x""), dan ""lain""",`);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('names an item’s unit, leaving the default unit unsaid as older exports did', () => {
    const csv = toCsv([
      record(1, {
        items: [
          { description: 'Tepung terigu', quantity: 2.5, unit: 'kg', unitPriceRupiah: 14_000 },
          { description: 'Mesin jahit', quantity: 1, unitPriceRupiah: 4_965_000 },
        ],
      }),
    ]);
    expect(csv).toContain('Tepung terigu (2.5 kg × 14000); Mesin jahit (1 × 4965000)');
  });

  it('writes recorded times in WITA (+08:00), and separates with ; when asked', () => {
    const csv = toCsv(
      [
        record(1, {
          regencyName: 'Kota Samarinda; ibu kota',
          reversal: {
            reversedOn: '2025-07-05',
            reason: 'Ganda',
            actor: 'operator',
            recordedAt: '2025-07-05T16:30:00.000Z',
          },
        }),
      ],
      ';',
    );
    const [header, row] = csv.slice(1).split('\r\n');
    expect(header.split(';')).toEqual([...CSV_COLUMNS]);
    expect(row).toBe(
      [
        'r1.1',
        'r1',
        'RSE',
        '"64.72"',
        '"Kota Samarinda; ibu kota"',
        '2025',
        '6472********0001',
        'EQUIPMENT',
        'Mesin jahit (1 × 5000000)',
        '5000000',
        '2025-06-15',
        '2025-06-20T10:00:00.000+08:00',
        'operator',
        '2025-07-05',
        'Ganda',
        'operator',
        '2025-07-06T00:30:00.000+08:00',
      ].join(';'),
    );
  });

  it('lays out a table of a quarter of a million rows with a totals line', () => {
    const records = Array.from({ length: 250_000 }, (_, n) =>
      record(
        n,
        n === 0 ? { reversal: { reversedOn: 'x', reason: 'y', actor: 'z', recordedAt: 'w' } } : {},
      ),
    );
    const lines = text(records, 'table').split('\n');
    expect(lines[0]).toMatch(/^disbursement\s+kind\s+regency/);
    expect(lines.at(-2)).toBe('250000 disbursements; Rp1.249.995.000.000 not reversed');
  });
});
