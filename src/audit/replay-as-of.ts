import type { EventStore } from '../platform/event-store/event-store.port';
import {
  applyEvents,
  targetsOf,
  type WorkingSet,
} from '../platform/projection-engine/apply-events';
import type { AnyProjection, ProjectionDefinition } from '../platform/projection-engine/projection';
import { knownBy } from './as-of';
import { happenedBy } from './business-date';
import { readLog } from './event-log';
import {
  DisbursementHistory,
  type DisbursementRecord,
  type HistoryFilter,
} from './history/disbursement-history';

export interface ReplayOptions {
  onPage?: (position: bigint) => void;
  /**
   * A business date (YYYY-MM-DD): leave out the events that state a later one (a handover, a
   * visit, a reversal after it). Undated events count as recorded. See business-date.ts.
   */
  happenedBy?: string;
}

/**
 * A read model as it stood at the end of a day: the projection's own definition, the one that
 * builds the live read model, run in memory over the events recorded until then (and, when asked,
 * that happened in the field by a business date).
 */
export async function projectionAsOf<Doc extends object>(
  eventStore: EventStore,
  definition: ProjectionDefinition<Doc, never>,
  knownBefore: string | undefined,
  { onPage, happenedBy: businessDay }: ReplayOptions = {},
): Promise<Map<string, Doc>> {
  const generic = definition as AnyProjection;
  const documents: WorkingSet = new Map();
  for await (const page of readLog(eventStore, { onPage })) {
    const known = page.filter(
      (event) => knownBy(event.metadata.recordedAt, knownBefore) && happenedBy(event, businessDay),
    );
    applyEvents(generic, targetsOf(generic, known), documents);
  }
  const result = new Map<string, Doc>();
  for (const [id, { document }] of documents) if (document) result.set(id, document as Doc);
  return result;
}

/** The disbursement history straight from the event log, as known at the filter's cut-off. */
export async function historyAsOf(
  eventStore: EventStore,
  filter: HistoryFilter,
  { onPage }: Pick<ReplayOptions, 'onPage'> = {},
): Promise<DisbursementRecord[]> {
  const history = new DisbursementHistory(filter);
  for await (const page of readLog(eventStore, { onPage })) history.add(page);
  return history.list();
}
