import {
  BUSINESS_STATUSES,
  CHALLENGES,
  type BusinessStatus,
  type Challenge,
} from '../../src/domain/recipient/recipient.commands';
import type { Filter, ReadStore } from '../../src/platform/read-store/read-store.port';
import type { MonitoringOutcomeDocument } from './monitoring-outcomes.projection';

export interface MonitoringOutcomes {
  year: number | null;
  regencyCode: string | null;
  /** Recipients holding aid. */
  recipients: number;
  /** By the status of their latest visit; NOT_MONITORED: no visit yet. */
  byStatus: Record<BusinessStatus | 'NOT_MONITORED', number>;
  workers: number;
  workersFromPoorHouseholds: number;
  /** How many businesses named each challenge at their latest visit. */
  challenges: Record<Challenge, number>;
}

export async function monitoringOutcomes(
  readStore: ReadStore,
  collection: string,
  search: { year?: number; regencyCode?: string },
): Promise<MonitoringOutcomes> {
  const filter: Record<string, string | number> = {};
  if (search.year !== undefined) filter.year = search.year;
  if (search.regencyCode !== undefined) filter.regencyCode = search.regencyCode;
  const documents = await readStore.find<MonitoringOutcomeDocument>(collection, {
    filter: filter as Filter,
  });
  const byStatus = Object.fromEntries(
    [...BUSINESS_STATUSES, 'NOT_MONITORED' as const].map((status) => [status, 0]),
  ) as MonitoringOutcomes['byStatus'];
  const challenges = Object.fromEntries(CHALLENGES.map((challenge) => [challenge, 0])) as Record<
    Challenge,
    number
  >;
  let workers = 0;
  let workersFromPoorHouseholds = 0;
  for (const document of documents) {
    byStatus[document.businessStatus ?? 'NOT_MONITORED']++;
    workers += document.workers;
    workersFromPoorHouseholds += document.workersFromPoorHouseholds;
    for (const challenge of document.challenges) challenges[challenge]++;
  }
  return {
    year: search.year ?? null,
    regencyCode: search.regencyCode ?? null,
    recipients: documents.length,
    byStatus,
    workers,
    workersFromPoorHouseholds,
    challenges,
  };
}
