import type { NikClaimEvent } from '../../domain/nik-claim/nik-claim.events';
import type { QuotaEvent } from '../../domain/quota/quota.events';
import type { RecipientEvent } from '../../domain/recipient/recipient.events';
import type { StoredEvent } from '../event-store/event-store.port';

/** The programme's events as stored: metadata and position, with data typed by event type. */
export type ProgrammeEvent = Omit<StoredEvent, 'type' | 'data'> &
  (RecipientEvent | QuotaEvent | NikClaimEvent);

/**
 * A read model, defined without any I/O: which events it handles, which documents an event
 * changes, and how a document evolves. The engine owns storage, batching, checkpoints and
 * rebuilds; the same definition also replays in memory for audits and specs.
 */
export interface ProjectionDefinition<Doc extends object = object> {
  /** kebab-case; stable: the collection is named after it. */
  name: string;
  /** Raise it when documents change shape or meaning: the read model is rebuilt beside the old. */
  version: number;
  /** The fields queries filter or sort on. */
  indexes: readonly string[];
  /** The event types this projection reads; anything else is skipped without loading documents. */
  handles: readonly string[];
  /** The ids of the documents this event changes. */
  documentIds(event: ProgrammeEvent): readonly string[];
  /** The document after the event; null removes it. `document` is null when there is none yet. */
  evolve(document: Doc | null, event: ProgrammeEvent, id: string): Doc | null;
}

/** The collection a projection version lives in. */
export function collectionOf(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return `${definition.name}-v${definition.version}`;
}
