/**
 * The event store every part of the service writes to and reads from. Two adapters implement it:
 * SQLite (embedded, no server) and KurrentDB/EventStoreDB (production); one contract suite
 * (test/contract/event-store.contract.ts) holds both to the same behaviour.
 *
 * Revisions count the events of one stream from 0. Positions order every event of the store
 * (`$all`): each event has its own, strictly greater than those before it, and 0n (`START`) is
 * the position before the first event. Both are bigint end to end.
 *
 * Positions are not counts: on KurrentDB they are byte offsets in the log, with gaps between
 * events. So `after` (readAll, subscribeToAll, countEventsAfter) must be START or the position of
 * an event read from this store; any other value may be refused with InvalidPositionError. Never
 * compute a position (`position - 1n`); to count events, use countEventsAfter.
 */
import type { EventContext, EventMetadata } from './event-metadata';

export const EVENT_STORE = Symbol('EventStore');

/** The position before the first event: reading or subscribing "after START" starts at the top. */
export const START = 0n;

export const NO_STREAM = 'no_stream';
export const ANY = 'any';
export const STREAM_EXISTS = 'stream_exists';

/**
 * What the writer believes about the stream: that it does not exist yet, that anything goes, that
 * it exists, or that its last event has exactly this revision.
 */
export type ExpectedRevision = typeof NO_STREAM | typeof ANY | typeof STREAM_EXISTS | bigint;

/** A stream's actual state as seen by a failed expected-revision check. */
export type ActualRevision = typeof NO_STREAM | bigint;

export interface NewEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  /** Plain JSON: strings, finite numbers, booleans, null, arrays and objects of these. */
  data: Data;
  /** Defaults to a fresh UUID. */
  id?: string;
  /** Defaults to 1; a changed shape of a stored event type gets a new version and an upcaster. */
  schemaVersion?: number;
}

export interface StoredEvent<Type extends string = string, Data = unknown> {
  streamName: string;
  revision: bigint;
  position: bigint;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
  /** Who and what caused these events; copied into every event's metadata. */
  context: EventContext;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamName: string;
  expectedRevision: ExpectedRevision;
  events: readonly NewEvent[];
}

export interface MultiStreamAppendOptions {
  /** Who and what caused these events; copied into every event's metadata. */
  context: EventContext;
}

export interface MultiStreamAppendResult {
  /** The global position of the last event written. */
  position: bigint;
  /** Each stream's revision after the append, in the order the streams were given. */
  revisions: bigint[];
}

export interface AppendResult {
  /** The stream's revision after the append: the revision of the last event written. */
  revision: bigint;
  /** The global position of the last event written. */
  position: bigint;
}

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events whose position is greater than this one; START by default. */
  after?: bigint;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events whose position is greater than this one (a checkpoint); START by default. */
  after?: bigint;
  /** The largest batch handed to the consumer at once. */
  maxBatchSize?: number;
}

/**
 * Catch-up, then live: iterating yields batches of events in position order. The next batch is
 * read only when the consumer asks for it, so a slow consumer is never overrun. Iteration ends
 * when `close()` is called or the store closes; it throws if the store fails.
 */
export interface Subscription extends AsyncIterable<readonly StoredEvent[]> {
  close(): Promise<void>;
}

export interface EventStore {
  /** 'sqlite' or 'kurrentdb', for health reports. */
  readonly adapter: string;

  /**
   * Appends to one stream: all events or none. Rejects with WrongExpectedVersionError when the stream is not in
   * the expected state.
   */
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;

  /**
   * Appends to several streams as one commit: every event of every stream, each stream's
   * expected revision holding, or nothing at all. In `$all` the events follow one another in the
   * order given, stream by stream. Rejects with WrongExpectedVersionError naming the first stream
   * whose check failed; a stream may appear only once.
   */
  appendToStreams(
    appends: readonly StreamAppend[],
    options: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult>;

  /** Reads one stream forwards. Rejects with StreamNotFoundError when it has no events. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;

  /** Reads one page of `$all` forwards; an empty page means there is nothing after `after`. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;

  subscribeToAll(options?: SubscribeOptions): Subscription;

  /** The position of the last event in the store, or START when it is empty. */
  headPosition(): Promise<bigint>;

  /**
   * How many events follow `after` in `$all`, counting at most `limit` (a bounded read: the
   * answer `limit` means "at least that many").
   */
  countEventsAfter(after: bigint, limit: number): Promise<number>;

  /**
   * Finishes in-flight appends, ends subscriptions and releases the connection; every operation
   * after it rejects with EventStoreUnavailableError.
   */
  close(): Promise<void>;
}
