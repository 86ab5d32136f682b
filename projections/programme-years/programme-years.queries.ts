import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import type { ProgrammeYearDocument } from './programme-years.projection';

export interface ProgrammeAnswer {
  years: ProgrammeYearDocument[];
}

/** Every defined year, oldest first. */
export async function programmeYears(
  readStore: ReadStore,
  collection: string,
): Promise<ProgrammeAnswer> {
  const years = await readStore.find<ProgrammeYearDocument>(collection, {
    sort: { field: 'year', direction: 'asc' },
  });
  return { years };
}
