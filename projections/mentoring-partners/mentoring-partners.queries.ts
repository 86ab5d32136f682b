import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import type { MentoringPartnerDocument } from './mentoring-partners.projection';

/** The partners of a year, busiest first. */
export function busiestPartners(
  readStore: ReadStore,
  collection: string,
  year: number,
  limit = 10,
): Promise<MentoringPartnerDocument[]> {
  return readStore.find<MentoringPartnerDocument>(collection, {
    filter: { year },
    sort: { field: 'sessions', direction: 'desc' },
    limit,
  });
}
