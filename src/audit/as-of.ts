import { endOfWitaDay } from '../read/wita-time';

/**
 * "As of 2025-06-30" is what the system knew at the end of that day in Kalimantan Timur: the
 * events recorded before midnight WITA. Answers that instant as an ISO string, so that it
 * compares with `recordedAt` as text. Throws on a date that does not exist.
 */
export function endOfDay(date: string): string {
  return endOfWitaDay(date);
}

/** Whether an event recorded at `recordedAt` was known at the end of the day `cutoff` names. */
export function knownBy(recordedAt: string, cutoff: string | undefined): boolean {
  return cutoff === undefined || recordedAt < cutoff;
}
