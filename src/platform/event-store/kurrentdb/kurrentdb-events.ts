import {
  jsonEvent,
  START as KURRENT_START,
  type AppendStreamRequest,
  type JSONType,
  type ReadPosition,
  type RecordedEvent,
} from '@kurrent/kurrentdb-client';
import { eventHash } from '../event-hash';
import type { EventContext } from '../event-metadata';
import { NO_STREAM, START, type NewEvent, type StoredEvent } from '../event-store.port';

/**
 * The part of an event's metadata that KurrentDB does not keep by itself. A multi-stream append
 * takes string values only, so the schema version is written as digits and "no previous hash" as
 * ''; events written before (numbers and null) read back the same. Correlation and causation ids
 * use the `$correlationId` / `$causationId` keys that the server's own projections understand.
 */
interface KurrentMetadata {
  actor: string;
  $correlationId: string;
  $causationId: string;
  commandId: string;
  recordedAt: string;
  schemaVersion: string | number;
  hash: string;
  previousHash: string | null;
}

/** A stream's last event as an append needs it: where to chain, and how to recognise a retry. */
export interface Tip {
  revision: bigint;
  hash: string;
  eventId: string;
  position: bigint;
}

export interface ChainInput {
  dataJson: readonly string[];
  ids: readonly string[];
  context: EventContext;
  recordedAt: string;
}

/** One stream's request: its events hashed in a chain from the stream's tip, expecting that tip. */
export function chainedRequest(
  streamName: string,
  events: readonly NewEvent[],
  tip: Tip | undefined,
  { dataJson, ids, context, recordedAt }: ChainInput,
): AppendStreamRequest {
  let previousHash = tip?.hash || null;
  let revision = tip?.revision ?? -1n;
  const eventData = events.map((event, index) => {
    revision += 1n;
    const schemaVersion = event.schemaVersion ?? 1;
    const hash = eventHash({
      streamName,
      revision,
      type: event.type,
      dataJson: dataJson[index],
      eventId: ids[index],
      ...context,
      recordedAt,
      schemaVersion,
      previousHash,
    });
    const metadata: Record<keyof KurrentMetadata, string> = {
      actor: context.actor,
      $correlationId: context.correlationId,
      $causationId: context.causationId,
      commandId: context.commandId,
      recordedAt,
      schemaVersion: String(schemaVersion),
      hash,
      previousHash: previousHash ?? '',
    };
    previousHash = hash;
    return jsonEvent({ id: ids[index], type: event.type, data: event.data as JSONType, metadata });
  });
  return { streamName, events: eventData, expectedState: tip?.revision ?? NO_STREAM };
}

/**
 * Reading from a position includes the event at it, so readers skip that one. Every event of an
 * append (one stream or several) is its own log record with commit position = prepare position
 * = its own offset (docs/event-store.md), so the pair is the same number.
 */
export function toReadPosition(after: bigint): ReadPosition {
  return after === START ? KURRENT_START : { commit: after, prepare: after };
}

/** The largest log position: the server keeps positions as signed 64-bit numbers. */
const LAST_LOG_POSITION = 2n ** 63n - 1n;

/**
 * An event's `$all` position. The server sends 2^64 - 1 for an event whose position it does not
 * know (`Position.FromInt64(-1, -1)` in Streams.Read.cs: an event of an explicit transaction
 * read from its stream), the client may leave it undefined, and 0 is never an event's offset:
 * in every case the read cannot go on, since falling back to START (or to the end of the log)
 * would make a consumer resume from the wrong place.
 */
export function positionOf(event: RecordedEvent & { position?: { commit: bigint } }): bigint {
  const commit = event.position?.commit;
  if (commit === undefined || commit <= START || commit > LAST_LOG_POSITION) {
    throw new Error(
      `KurrentDB sent event ${event.id} of stream ${event.streamId} without its $all position`,
    );
  }
  return commit;
}

export function tipOf(event: RecordedEvent & { position?: { commit: bigint } }): Tip {
  const metadata = (event.metadata ?? {}) as Partial<KurrentMetadata>;
  return {
    revision: event.revision,
    hash: metadata.hash ?? '',
    eventId: event.id,
    position: positionOf(event),
  };
}

export function toStoredEvent(
  event: RecordedEvent & { position?: { commit: bigint } },
): StoredEvent {
  const metadata = (event.metadata ?? {}) as Partial<KurrentMetadata>;
  return {
    streamName: event.streamId,
    revision: event.revision,
    position: positionOf(event),
    type: event.type,
    data: event.data,
    metadata: {
      eventId: event.id,
      actor: metadata.actor ?? '',
      correlationId: metadata.$correlationId ?? '',
      causationId: metadata.$causationId ?? '',
      commandId: metadata.commandId ?? '',
      recordedAt: metadata.recordedAt ?? event.created.toISOString(),
      schemaVersion: Number(metadata.schemaVersion ?? 1),
      hash: metadata.hash ?? '',
      previousHash: metadata.previousHash || null,
    },
  };
}
