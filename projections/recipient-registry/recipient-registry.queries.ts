import type { Filter, ReadStore } from '../../src/platform/read-store/read-store.port';
import type { Page } from '../../src/read/page';
import type { RecipientDocument } from './recipient-registry.projection';

export interface RecipientSearch {
  regencyCode?: string;
  kind?: string;
  status?: string;
  limit: number;
  offset: number;
}

/** Recipients in order of registration, filtered by regency, kind and status. */
export async function findRecipients(
  readStore: ReadStore,
  collection: string,
  search: RecipientSearch,
): Promise<Page<RecipientDocument>> {
  const filter: Record<string, string> = {};
  for (const field of ['regencyCode', 'kind', 'status'] as const) {
    const value = search[field];
    if (value !== undefined) filter[field] = value;
  }
  const [items, total] = await Promise.all([
    readStore.find<RecipientDocument>(collection, {
      filter: filter as Filter,
      sort: { field: 'registeredPosition', direction: 'asc' },
      limit: search.limit,
      offset: search.offset,
    }),
    readStore.count(collection, filter as Filter),
  ]);
  return { items, total, limit: search.limit, offset: search.offset };
}
