import type { Condition, ReadStore } from '../../src/platform/read-store/read-store.port';
import type { Page } from '../../src/read/page';
import type { AuditEntry } from './audit-trail.projection';

export interface AuditSearch {
  recipientId?: string;
  actor?: string;
  /** Recorded on or after: a date (YYYY-MM-DD, start of day UTC) or an ISO instant. */
  from?: string;
  /** Recorded on or before: a date (to the end of that day UTC) or an ISO instant. */
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
      ...(search.from === undefined ? {} : { gte: instant(search.from, 'T00:00:00.000Z') }),
      ...(search.to === undefined ? {} : { lte: instant(search.to, 'T23:59:59.999Z') }),
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
 * Recorded times are stored as full ISO instants (…T02:00:30.000Z), so a bound is compared in
 * the same form: a date is given the time of day that makes it inclusive.
 */
function instant(bound: string, timeOfDay: string): string {
  return new Date(bound.length === 10 ? `${bound}${timeOfDay}` : bound).toISOString();
}
