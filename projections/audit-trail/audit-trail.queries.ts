import { endOfWitaDay, startOfWitaDay } from '../../src/read/wita-time';
import type { Condition, ReadStore } from '../../src/platform/read-store/read-store.port';
import type { Page } from '../../src/read/page';
import type { AuditEntry } from './audit-trail.projection';

export interface AuditSearch {
  recipientId?: string;
  actor?: string;
  /** Recorded on or after: a date (YYYY-MM-DD, from midnight WITA) or an ISO instant (…Z, …+08:00). */
  from?: string;
  /** Recorded on or before: a date (to the end of that day, WITA) or an ISO instant (…Z, …+08:00). */
  to?: string;
  limit: number;
  offset: number;
}

/** Audit entries in log order (the order of their ids). */
export async function findAuditEntries(
  readStore: ReadStore,
  collection: string,
  search: AuditSearch,
): Promise<Page<AuditEntry>> {
  const filter: Record<string, Condition> = {};
  if (search.recipientId !== undefined) filter.recipientId = search.recipientId;
  if (search.actor !== undefined) filter.actor = search.actor;
  if (search.from !== undefined || search.to !== undefined) {
    filter.recordedAt = {
      ...(search.from === undefined ? {} : { gte: lowerBound(search.from) }),
      ...(search.to === undefined ? {} : upperBound(search.to)),
    };
  }
  const [items, total] = await Promise.all([
    readStore.find<AuditEntry>(collection, {
      filter,
      limit: search.limit,
      offset: search.offset,
    }),
    readStore.count(collection, filter),
  ]);
  return { items, total, limit: search.limit, offset: search.offset };
}

/**
 * Recorded times are stored as full ISO instants in UTC (…T02:00:30.000Z), so a bound is compared
 * in the same form: an instant written with an offset (…T10:00:30.000+08:00, as exports write
 * recorded times) becomes that UTC instant. A date is a calendar day in Kalimantan Timur (WITA), as everywhere else: it
 * begins at 16:00 UTC the day before and ends, exclusive, at 16:00 UTC on the day.
 */
function lowerBound(bound: string): string {
  return isDay(bound) ? startOfWitaDay(bound) : new Date(bound).toISOString();
}

function upperBound(bound: string): { lt: string } | { lte: string } {
  return isDay(bound) ? { lt: endOfWitaDay(bound) } : { lte: new Date(bound).toISOString() };
}

const isDay = (bound: string) => bound.length === 10;
