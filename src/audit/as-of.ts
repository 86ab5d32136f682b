import { isCalendarDate } from '../domain/programme/calendar-date';

/** Kalimantan Timur's offset from UTC (WITA), in hours: a day ends at 16:00 UTC. */
const WITA_HOURS = 8;

/**
 * "As of 2025-06-30" is what the system knew at the end of that day in Kalimantan Timur: the
 * events recorded before midnight WITA. Answers that instant as an ISO string, so that it
 * compares with `recordedAt` as text. Throws on a date that does not exist.
 */
export function endOfDay(date: string): string {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date written YYYY-MM-DD`);
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1, -WITA_HOURS)).toISOString();
}

/** Whether an event recorded at `recordedAt` was known at the end of the day `cutoff` names. */
export function knownBy(recordedAt: string, cutoff: string | undefined): boolean {
  return cutoff === undefined || recordedAt < cutoff;
}
