import type { StoredEvent } from '../event-store/event-store.port';
import type { AnyProjection, ProjectionDefinition } from './projection';

/** A projection's handler threw: the projection stops at this event, which is never skipped. */
export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';

  constructor(
    readonly projection: string,
    readonly event: { position: bigint; type: string; streamName: string },
    readonly reason: string,
  ) {
    super(
      `Projection ${projection} failed at ${event.type} (position ${event.position}): ${reason}`,
    );
  }
}

function failedAt(
  definition: AnyProjection,
  { position, type, streamName }: StoredEvent,
  error: unknown,
): ProjectionFailedError {
  return new ProjectionFailedError(definition.name, { position, type, streamName }, String(error));
}

/**
 * A document as a projection sees it while applying events. A removed one keeps its position
 * with `document: null`, so that replaying the events before its removal cannot bring it back.
 */
export interface WorkingDocument {
  id: string;
  position: bigint;
  document: object | null;
}

/** Documents by id; ids absent from the map have no document. */
export type WorkingSet = Map<string, WorkingDocument>;

/** Where applyEvents finds and keeps documents: a WorkingSet, or anything that gets and sets alike. */
export interface DocumentSet {
  get(id: string): WorkingDocument | undefined;
  set(id: string, document: WorkingDocument): unknown;
}

/** The documents the events of a batch will touch, by event, in order. */
export function targetsOf(
  definition: AnyProjection,
  events: readonly StoredEvent[],
): [StoredEvent, readonly string[]][] {
  const handled = new Set(definition.handles);
  return events
    .filter((event) => handled.has(event.type))
    .map((event) => {
      const programmeEvent = event as StoredEvent;
      try {
        return [programmeEvent, definition.documentIds(programmeEvent)];
      } catch (error) {
        throw failedAt(definition, event, error);
      }
    });
}

/**
 * Applies events to the working set and answers the ids it changed. A document already at or
 * past an event's position is left alone, so replaying events after a crash is harmless.
 */
export function applyEvents(
  definition: AnyProjection,
  targets: readonly [StoredEvent, readonly string[]][],
  documents: DocumentSet,
): Set<string> {
  const changed = new Set<string>();
  for (const [event, ids] of targets) {
    for (const id of ids) {
      const current = documents.get(id);
      if (current && current.position >= event.position) continue;
      let next: object | null;
      try {
        next = definition.evolve(current?.document ?? null, event, id);
      } catch (error) {
        throw failedAt(definition, event, error);
      }
      documents.set(id, { id, position: event.position, document: next });
      changed.add(id);
    }
  }
  return changed;
}

/** The documents a projection holds after these events, computed in memory from nothing. */
export function replay<Doc extends object>(
  definition: ProjectionDefinition<Doc, never>,
  events: readonly StoredEvent[],
  documents: WorkingSet = new Map(),
): Map<string, Doc> {
  applyEvents(
    definition as AnyProjection,
    targetsOf(definition as AnyProjection, events),
    documents,
  );
  const result = new Map<string, Doc>();
  for (const [id, stored] of documents) if (stored.document) result.set(id, stored.document as Doc);
  return result;
}
