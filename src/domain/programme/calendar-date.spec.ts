import { isCalendarDate } from './calendar-date';

describe('isCalendarDate', () => {
  it.each(['2025-03-15', '2024-01-01', '2026-12-31', '2025-04-30', '2025-02-28'])(
    'accepts %s',
    (text) => {
      expect(isCalendarDate(text)).toBe(true);
    },
  );

  it.each([
    ['2024-02-29', 'a leap year'],
    ['2000-02-29', 'a leap century'],
  ])('accepts 29 February in %s (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    ['2025-02-29', '29 February of a common year'],
    ['2100-02-29', '29 February of a common century'],
    ['2025-02-30', '30 February'],
    ['2025-04-31', '31 April'],
    ['2025-06-31', '31 June'],
    ['2025-01-32', 'day 32'],
    ['2025-01-00', 'day 00'],
    ['2025-00-10', 'month 00'],
    ['2025-13-01', 'month 13'],
  ])('refuses %s (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it.each([
    ['2025-3-15', 'a one-digit month'],
    ['2025-03-5', 'a one-digit day'],
    ['25-03-15', 'a two-digit year'],
    ['15-03-2025', 'day first'],
    ['2025/03/15', 'slashes'],
    ['20250315', 'no separators'],
    ['2025-03-15T00:00:00Z', 'a time'],
    [' 2025-03-15', 'a leading space'],
    ['2025-03-15 ', 'a trailing space'],
    ['2025-03-15\n', 'a trailing newline'],
    ['', 'nothing'],
    ['abcd-ef-gh', 'letters'],
  ])('refuses %j (%s)', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });
});
