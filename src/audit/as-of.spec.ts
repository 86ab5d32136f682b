import { endOfDay, knownBy } from './as-of';

describe('as of a day', () => {
  it('ends the day at midnight in Kalimantan Timur (WITA, UTC+8)', () => {
    expect(endOfDay('2025-06-30')).toBe('2025-06-30T16:00:00.000Z');
    expect(endOfDay('2024-12-31')).toBe('2024-12-31T16:00:00.000Z');
    expect(endOfDay('2024-02-29')).toBe('2024-02-29T16:00:00.000Z');
  });

  it('counts what was recorded before that midnight, and nothing from it on', () => {
    const cutoff = endOfDay('2025-06-30');
    expect(knownBy('2025-06-30T15:59:59.999Z', cutoff)).toBe(true);
    expect(knownBy('2025-06-30T16:00:00.000Z', cutoff)).toBe(false);
    expect(knownBy('2099-01-01T00:00:00.000Z', undefined)).toBe(true);
  });

  it('refuses a day that does not exist', () => {
    expect(() => endOfDay('2025-02-29')).toThrow(/not a date written YYYY-MM-DD/);
    expect(() => endOfDay('30-06-2025')).toThrow(RangeError);
  });
});
