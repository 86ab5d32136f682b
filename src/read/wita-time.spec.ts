import {
  endOfWitaDay,
  startOfWitaDay,
  witaDateOf,
  witaTimestamp,
  witaWallClock,
} from './wita-time';

describe('days and times in Kalimantan Timur (WITA, UTC+8)', () => {
  it('begins and ends a day at midnight WITA, 16:00 UTC the day before and of', () => {
    expect(startOfWitaDay('2025-06-30')).toBe('2025-06-29T16:00:00.000Z');
    expect(endOfWitaDay('2025-06-30')).toBe('2025-06-30T16:00:00.000Z');
    expect(endOfWitaDay('2024-12-31')).toBe('2024-12-31T16:00:00.000Z');
    expect(startOfWitaDay('2025-01-01')).toBe('2024-12-31T16:00:00.000Z');
    expect(endOfWitaDay('2024-02-29')).toBe('2024-02-29T16:00:00.000Z');
  });

  it('writes an instant as WITA wall-clock time with its offset', () => {
    expect(witaTimestamp('2025-03-15T02:00:00.000Z')).toBe('2025-03-15T10:00:00.000+08:00');
    expect(witaTimestamp('2025-06-30T16:00:00.000Z')).toBe('2025-07-01T00:00:00.000+08:00');
    expect(Date.parse(witaTimestamp('2025-06-30T15:59:59.999Z'))).toBe(
      Date.parse('2025-06-30T15:59:59.999Z'),
    );
  });

  it('puts an instant on its WITA day, which at 16:00 UTC is already the next one', () => {
    expect(witaDateOf('2025-06-30T15:59:59.999Z')).toBe('2025-06-30');
    expect(witaDateOf('2025-06-30T16:00:00.000Z')).toBe('2025-07-01');
    expect(witaDateOf(new Date('2025-06-30T16:00:00.000Z'))).toBe('2025-07-01');
  });

  it('gives a spreadsheet the wall-clock time in WITA, as it has no time zone', () => {
    expect(witaWallClock('2025-03-15T02:00:00.000Z').toISOString()).toBe(
      '2025-03-15T10:00:00.000Z',
    );
  });

  it('refuses a day that does not exist and text that is no instant', () => {
    expect(() => startOfWitaDay('2025-02-29')).toThrow(/not a date written YYYY-MM-DD/);
    expect(() => endOfWitaDay('30-06-2025')).toThrow(RangeError);
    expect(() => witaTimestamp('yesterday')).toThrow(/not an instant/);
  });
});
