import type { StoredEvent } from '../event-store/event-store.port';

/**
 * A read model, defined without any I/O: which events it handles, which documents an event
 * changes, and how a document evolves. The engine owns storage, batching, checkpoints and
 * rebuilds; the same definition also replays in memory for audits and specs.
 *
 * `Event` is how the definition reads a stored event (a union typed by `type`); the engine hands
 * it only events of the types it `handles`, as they were stored.
 */
export interface ProjectionDefinition<Doc extends object = object, Event = StoredEvent> {
  /** kebab-case; stable: the collection is named after it. */
  name: string;
  /** Raise it when documents change shape or meaning: the read model is rebuilt beside the old. */
  version: number;
  /** The fields queries filter or sort on. */
  indexes: readonly string[];
  /** The event types this projection reads; anything else is skipped without loading documents. */
  handles: readonly string[];
  /** The ids of the documents this event changes. */
  documentIds(event: Event): readonly string[];
  /**
   * The document after the event; null removes it. `document` is null when there is none yet.
   * A new object: the one given may still be being written by the commit before.
   */
  evolve(document: Doc | null, event: Event, id: string): Doc | null;
}

/** Any definition, whatever its document and event types: what the engine runs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = ProjectionDefinition<any, any>;

/** The collection a projection version lives in. */
export function collectionOf(definition: Pick<ProjectionDefinition, 'name' | 'version'>): string {
  return `${definition.name}-v${definition.version}`;
}
