import type { Condition, ReadStore } from '../../src/read-store/read-store.port';
import type { Page } from '../recipient-registry/recipient-registry.queries';
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

/** Audit entries in log order. */
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
      ...(search.from === undefined ? {} : { gte: search.from }),
      ...(search.to === undefined
        ? {}
        : { lte: search.to.length === 10 ? `${search.to}T23:59:59.999Z` : search.to }),
    };
  }
  const [items, total] = await Promise.all([
    readStore.find<AuditEntry>(collection, {
      filter,
      sort: { field: 'position', direction: 'asc' },
      limit: search.limit,
      offset: search.offset,
    }),
    readStore.count(collection, filter),
  ]);
  return { items, total, limit: search.limit, offset: search.offset };
}
