import { localDate } from '../domain/programme/aid-programme';
import { isCalendarDate } from '../domain/programme/calendar-date';

/**
 * Every day this service names is a calendar day in Kalimantan Timur (WITA, UTC+8, no daylight
 * saving): "as of 2025-06-30", "recorded up to 2025-06-30" and the date of an exported timestamp
 * all end at midnight WITA, 16:00 UTC. Events store recorded times as UTC instants (…Z); these
 * helpers are the one place outside the domain that turns a day into instants and an instant into
 * WITA text; the domain's localDate (what "today" is for a command) is the same day.
 */
export const WITA_OFFSET = '+08:00';
const WITA_MS = 8 * 3_600_000;

function checked(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a date written YYYY-MM-DD`);
  const [year, month, day] = date.split('-').map(Number);
  return [year, month, day];
}

/** The instant (ISO, UTC) at which the WITA day `date` begins: 2025-06-30 → 2025-06-29T16:00:00.000Z. */
export function startOfWitaDay(date: string): string {
  const [year, month, day] = checked(date);
  return new Date(Date.UTC(year, month - 1, day) - WITA_MS).toISOString();
}

/** The instant (ISO, UTC) at which the WITA day `date` ends, exclusive: the next day's start. */
export function endOfWitaDay(date: string): string {
  const [year, month, day] = checked(date);
  return new Date(Date.UTC(year, month - 1, day + 1) - WITA_MS).toISOString();
}

/** An instant as WITA wall-clock text with its offset: 2025-03-15T02:00:00.000Z → 2025-03-15T10:00:00.000+08:00. */
export function witaTimestamp(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`"${String(instant)}" is not an instant`);
  return `${new Date(ms + WITA_MS).toISOString().slice(0, 23)}${WITA_OFFSET}`;
}

/** The WITA calendar day an instant falls on. */
export function witaDateOf(instant: string | Date): string {
  return localDate(typeof instant === 'string' ? new Date(witaTimestamp(instant)) : instant);
}

/**
 * An instant as WITA wall-clock time in a Date whose UTC fields read that time: for a spreadsheet
 * cell, which has no time zone (2025-03-15T02:00Z → a cell showing 2025-03-15 10:00).
 */
export function witaWallClock(instant: string | Date): Date {
  return new Date(`${witaTimestamp(instant).slice(0, 23)}Z`);
}
