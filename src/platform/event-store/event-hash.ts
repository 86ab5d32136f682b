import { hash } from 'node:crypto';
import type { StoredEvent } from './event-store.port';

/**
 * Tamper evidence, part one: every event carries a SHA-256 hash over its content and over the
 * hash of the event before it in its stream, so that altering, removing or reordering an event
 * breaks the chain from there on. Seals (src/audit/sealing/) cover what chains cannot see alone:
 * a whole stream removed, or the last events of a stream cut off.
 */
export interface HashedContent {
  streamName: string;
  revision: bigint;
  type: string;
  /** The event's data as JSON text: `JSON.stringify(data)`, which a JSON round trip preserves. */
  dataJson: string;
  eventId: string;
  actor: string;
  correlationId: string;
  causationId: string;
  commandId: string;
  recordedAt: string;
  schemaVersion: number;
  /** The hash of the event at `revision - 1` in the same stream; null for a stream's first event. */
  previousHash: string | null;
}

/** Names the layout below; a changed layout gets a new tag so old hashes stay checkable. */
const LAYOUT = 'event-hash/1';

/** What every event of one append shares. */
export type AppendFields = Pick<
  HashedContent,
  'streamName' | 'recordedAt' | 'actor' | 'correlationId' | 'causationId' | 'commandId'
>;

/** What is an event's own. */
export type OwnFields = Omit<HashedContent, keyof AppendFields>;

/**
 * The hash of an event, hex-encoded. The fields go in as one JSON array (self-delimiting, so no
 * two different events can produce the same text), followed by a newline and the data:
 *
 *   ["event-hash/1", previousHash, streamName, "revision", type, schemaVersion, eventId,
 *    recordedAt, actor, correlationId, causationId, commandId]\n<data>
 */
export function eventHash(content: HashedContent): string {
  return appendHasher(content)(content);
}

/**
 * eventHash for the events of one append: the array's text is written piece by piece, exactly as
 * JSON.stringify writes an array, with the fields the events share serialized once.
 */
export function appendHasher(shared: AppendFields): (event: OwnFields) => string {
  const stream = json(shared.streamName);
  const tail = json([
    shared.recordedAt,
    shared.actor,
    shared.correlationId,
    shared.causationId,
    shared.commandId,
  ]).slice(1);
  return (event) => {
    // A revision's digits need no escaping.
    const header =
      `${OPENING}${json(event.previousHash)},${stream},"${event.revision}",` +
      `${json(event.type)},${json(event.schemaVersion)},${json(event.eventId)},${tail}`;
    // One call: hashing the joined text costs about half of createHash → update → digest.
    return hash('sha256', `${header}\n${event.dataJson}`, 'hex');
  };
}

const OPENING = `[${JSON.stringify(LAYOUT)},`;

/** A value as JSON.stringify writes it inside an array. */
function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** The hash a stored event should carry, recomputed from what the store gave back. */
export function storedEventHash(event: StoredEvent): string {
  return eventHash({
    streamName: event.streamName,
    revision: event.revision,
    type: event.type,
    dataJson: JSON.stringify(event.data),
    ...event.metadata,
  });
}
