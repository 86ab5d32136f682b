import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../src/platform/clock';
import { serializeAppends } from '../../src/platform/event-store/append-validation';
import { appendToOneStream } from '../../src/platform/event-store/append-to-stream';
import { AppendsInFlight } from '../../src/platform/event-store/appends-in-flight';
import { eventHash } from '../../src/platform/event-store/event-hash';
import type { EventContext, EventMetadata } from '../../src/platform/event-store/event-metadata';
import { meetsExpectation } from '../../src/platform/event-store/expected-revision';
import {
  NO_STREAM,
  START,
  type ActualRevision,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type MultiStreamAppendOptions,
  type MultiStreamAppendResult,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../../src/platform/event-store/event-store.port';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidPositionError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/platform/event-store/event-store.errors';

export interface KurrentDbSemanticsOptions {
  clock?: Clock;
  /** Where the first event lies in the log: the server writes records of its own before ours. */
  firstPosition?: bigint;
  /**
   * The largest batches a subscription hands over, taken in turn, whatever `maxBatchSize` allows:
   * the client's stream delivers what it has buffered, which is often less than asked for.
   */
  subscriptionBatchSizes?: readonly number[];
  /** The longest page `readAll` answers; the port allows fewer events than `maxCount`. */
  maxReadAllPage?: number;
  /** The most bytes of data, metadata and type one append may hold (KurrentDB's MaxAppendSize). */
  maxAppendSize?: number;
  /** Every subscription ends without an error after handing over this many events. */
  endSubscriptionsAfter?: number;
  /** Every subscription fails after handing over this many events. */
  failSubscriptionsAfter?: number;
}

/** One event as the log holds it: data as JSON text, parsed afresh on every read, as a server does. */
interface LogRecord {
  position: bigint;
  streamName: string;
  revision: bigint;
  type: string;
  dataJson: string;
  metadata: EventMetadata;
}

/** A prepare record's fixed part in bytes (flags, ids, positions, lengths): roughly LogV2's. */
const RECORD_HEADER_BYTES = 97;
const DEFAULT_BATCH_SIZES = [5, 2, 7, 1, 4, 6, 3];
const DEFAULT_MAX_PAGE = 500;
/** KurrentDB's default MaxAppendSize: 1 MiB. */
const DEFAULT_MAX_APPEND_SIZE = 1_048_576;
const DEFAULT_SUBSCRIPTION_BATCH = 1000;

/**
 * An in-memory EventStore that behaves as KurrentDB does where KurrentDB differs from SQLite, so
 * that code leaning on SQLite's semantics fails a test here rather than in production:
 *
 * - positions are byte offsets in a log: the first event is far from 0, consecutive events are a
 *   record's size apart, and irregular gaps (records of the server, other writers) separate
 *   commits; one multi-stream commit takes one contiguous range, still with gaps between events
 *   (KurrentDB's AllReader gives each committed prepare its own log position:
 *   kurrent-io/KurrentDB, src/KurrentDB.Core/Services/Storage/ReaderIndex/AllReader.cs);
 * - reading or subscribing after anything but START or an event's position is refused, as the
 *   server answers InvalidPosition;
 * - subscriptions hand over small batches of varying size, and can be made to end without an
 *   error (a leader change, a restart) or to fail, mid-stream;
 * - `readAll` may answer fewer events than asked for;
 * - an append holding more than MaxAppendSize bytes (data, metadata, type) is refused whole;
 * - every call answers on a later turn of the event loop, as over the network.
 *
 * Events are hash-chained exactly as the real adapters chain them, so audits verify over it.
 */
export class KurrentDbSemanticsEventStore implements EventStore {
  /** It stands in for KurrentDB wherever code asks which adapter it runs on. */
  readonly adapter = 'kurrentdb';

  private readonly clock: Clock;
  private readonly batchSizes: readonly number[];
  private readonly maxReadAllPage: number;
  private readonly log: LogRecord[] = [];
  private readonly indexOfPosition = new Map<bigint, number>();
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly subscriptions = new Set<KurrentDbLikeSubscription>();
  private readonly appendWaiters = new Set<() => void>();
  private readonly inFlight = new AppendsInFlight();
  private nextPosition: bigint;
  /** Drives the gaps between commits: a fixed sequence, so that a failing run can be repeated. */
  private gapSeed = 7;
  private closed = false;

  constructor(private readonly options: KurrentDbSemanticsOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.nextPosition = options.firstPosition ?? 17_713n;
    this.batchSizes = options.subscriptionBatchSizes ?? DEFAULT_BATCH_SIZES;
    this.maxReadAllPage = options.maxReadAllPage ?? DEFAULT_MAX_PAGE;
    if (this.nextPosition <= START) throw new RangeError('The first position must be after START');
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendToOneStream(this, streamName, events, options);
  }

  async appendToStreams(
    appends: readonly StreamAppend[],
    { context }: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    this.assertOpen();
    const dataJson = serializeAppends(appends);
    // Once accepted, an append completes even if the store is closed meanwhile.
    return this.inFlight.track(roundTrip().then(() => this.commit(appends, dataJson, context)));
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    await roundTrip();
    const events = this.streams.get(streamName);
    if (!events) throw new StreamNotFoundError(streamName);
    const from = Number(options.fromRevision ?? 0n);
    const maxCount = options.maxCount ?? events.length;
    return events.slice(from, from + Math.max(0, maxCount)).map(toStoredEvent);
  }

  async readAll({ after = START, maxCount }: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    await roundTrip();
    const from = this.indexAfter(after);
    const count = Math.min(maxCount ?? Number.MAX_SAFE_INTEGER, this.maxReadAllPage);
    if (count <= 0) return [];
    return this.log.slice(from, from + count).map(toStoredEvent);
  }

  subscribeToAll({
    after = START,
    maxBatchSize = DEFAULT_SUBSCRIPTION_BATCH,
  }: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new KurrentDbLikeSubscription(
      {
        indexAfter: (position) => this.indexAfter(position),
        length: () => this.log.length,
        slice: (from, to) => this.log.slice(from, to).map(toStoredEvent),
        waitForAppend: () => new Promise<void>((wake) => this.appendWaiters.add(wake)),
        wakeAll: () => this.wakeWaiters(),
      },
      after,
      {
        maxBatchSize: Math.max(1, maxBatchSize),
        batchSizes: this.batchSizes,
        endAfter: this.options.endSubscriptionsAfter,
        failAfter: this.options.failSubscriptionsAfter,
      },
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    await roundTrip();
    return this.log.at(-1)?.position ?? START;
  }

  /** How many events follow `after` in `$all`, counting at most `limit`. */
  async countEventsAfter(after: bigint, limit: number): Promise<number> {
    this.assertOpen();
    await roundTrip();
    const from = this.indexAfter(after);
    return Math.max(0, Math.min(limit, this.log.length - from));
  }

  /** Ends every open subscription without an error at its next step, as a server going away. */
  endAllSubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.drop();
  }

  /** Fails every open subscription at its next step, as a connection lost mid-stream. */
  failAllSubscriptions(
    error: Error = new EventStoreUnavailableError('The subscription was dropped'),
  ): void {
    for (const subscription of this.subscriptions) subscription.drop(error);
  }

  /** Finishes the appends in flight, then ends the subscriptions; later calls are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inFlight.settled();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
  }

  /**
   * Checks every stream and the commit's size, then writes every event, in one step: all of the
   * commit or none of it.
   */
  private commit(
    appends: readonly StreamAppend[],
    dataJson: readonly string[][],
    context: EventContext,
  ): MultiStreamAppendResult {
    const tips = appends.map(({ streamName, expectedRevision }) => {
      const tip = this.streams.get(streamName)?.at(-1);
      const actual: ActualRevision = tip?.revision ?? NO_STREAM;
      if (!meetsExpectation(expectedRevision, actual)) {
        throw new WrongExpectedVersionError(streamName, expectedRevision, actual);
      }
      return tip;
    });
    const recordedAt = this.clock.now().toISOString();
    const records = appends.flatMap(({ streamName, events }, streamIndex) => {
      let previous: Chained | undefined = tips[streamIndex];
      return events.map((event, eventIndex) => {
        previous = chained(streamName, event, dataJson[streamIndex][eventIndex], {
          context,
          recordedAt,
          previous,
        });
        return previous;
      });
    });
    const size = records.reduce((sum, record) => sum + appendedBytes(record), 0);
    const maxAppendSize = this.options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
    if (size > maxAppendSize) {
      throw new EventTooLargeError(`${size} bytes, at most ${maxAppendSize} per append`);
    }
    const written = records.map((record) => this.place(record));
    this.nextPosition += this.gapAfterCommit();
    this.wakeWaiters();
    return {
      position: (written.at(-1) as LogRecord).position,
      revisions: appends.map(
        ({ streamName }) => (this.streams.get(streamName)?.at(-1) as LogRecord).revision,
      ),
    };
  }

  /** Gives the record the next position in the log, a record's size before the one after it. */
  private place(chainedRecord: Chained): LogRecord {
    const record: LogRecord = { position: this.nextPosition, ...chainedRecord };
    this.nextPosition += BigInt(
      RECORD_HEADER_BYTES + Buffer.byteLength(record.streamName) + appendedBytes(record),
    );
    this.indexOfPosition.set(record.position, this.log.length);
    this.log.push(record);
    const stream = this.streams.get(record.streamName) ?? [];
    stream.push(record);
    this.streams.set(record.streamName, stream);
    return record;
  }

  /** Index in the log of the first event after `after`, which must be START or an event's. */
  private indexAfter(after: bigint): number {
    if (after === START) return 0;
    const index = this.indexOfPosition.get(after);
    if (index === undefined) throw new InvalidPositionError(after);
    return index + 1;
  }

  /** 0 to ~4 KiB, irregular: commit records, scavenged space, other writers' events. */
  private gapAfterCommit(): bigint {
    this.gapSeed = (this.gapSeed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return BigInt(this.gapSeed % 4096);
  }

  private wakeWaiters(): void {
    const waiters = [...this.appendWaiters];
    this.appendWaiters.clear();
    for (const wake of waiters) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/** An event chained to its stream's tip, before it has a place in the log. */
type Chained = Omit<LogRecord, 'position'>;

interface ChainContext {
  context: EventContext;
  recordedAt: string;
  previous: Chained | undefined;
}

/** The event with its hash over its content and its predecessor's hash, as every adapter makes it. */
function chained(
  streamName: string,
  event: NewEvent,
  dataJson: string,
  { context, recordedAt, previous }: ChainContext,
): Chained {
  const revision = previous ? previous.revision + 1n : 0n;
  const previousHash = previous?.metadata.hash ?? null;
  const content = {
    streamName,
    revision,
    type: event.type,
    dataJson,
    eventId: event.id ?? randomUUID(),
    ...context,
    recordedAt,
    schemaVersion: event.schemaVersion ?? 1,
    previousHash,
  };
  const { eventId, actor, correlationId, causationId, commandId, schemaVersion } = content;
  return {
    streamName,
    revision,
    type: event.type,
    dataJson,
    metadata: {
      eventId,
      actor,
      correlationId,
      causationId,
      commandId,
      recordedAt,
      schemaVersion,
      hash: eventHash(content),
      previousHash,
    },
  };
}

/** What a subscription needs of the store's log. */
interface LogSource {
  indexAfter(position: bigint): number;
  length(): number;
  slice(from: number, to: number): StoredEvent[];
  /** Resolves at the next append (or when woken by `wakeAll`). */
  waitForAppend(): Promise<void>;
  wakeAll(): void;
}

interface SubscriptionLimits {
  maxBatchSize: number;
  batchSizes: readonly number[];
  endAfter?: number;
  failAfter?: number;
}

/** Catch-up then live over the log, in small batches, ending or failing when told to. */
class KurrentDbLikeSubscription implements Subscription {
  private started = false;
  private closed = false;
  /** Set when the server side drops the subscription: `null` ends it, an error fails it. */
  private dropped?: Error | null;

  constructor(
    private readonly source: LogSource,
    private readonly after: bigint,
    private readonly limits: SubscriptionLimits,
    private readonly onClose: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<readonly StoredEvent[]> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.batches();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.onClose();
    this.source.wakeAll();
  }

  drop(error: Error | null = null): void {
    this.dropped = error;
    this.source.wakeAll();
  }

  private async *batches(): AsyncGenerator<readonly StoredEvent[]> {
    try {
      yield* this.deliver();
    } finally {
      this.onClose();
    }
  }

  private async *deliver(): AsyncGenerator<readonly StoredEvent[]> {
    const { maxBatchSize, batchSizes, endAfter, failAfter } = this.limits;
    await roundTrip();
    // The server checks the position when the subscription starts, not when it is created.
    let next = this.source.indexAfter(this.after);
    let delivered = 0;
    let turn = 0;
    for (;;) {
      if (this.closed) return;
      if (this.dropped === null || delivered >= (endAfter ?? Infinity)) return;
      if (this.dropped) throw this.dropped;
      if (delivered >= (failAfter ?? Infinity)) {
        throw new EventStoreUnavailableError('The subscription was dropped');
      }
      const available = this.source.length() - next;
      if (available === 0) {
        await this.source.waitForAppend();
        continue;
      }
      // Never past the point where it is to end or fail, so that it does so exactly there.
      const size = Math.min(
        maxBatchSize,
        batchSizes[turn++ % batchSizes.length],
        available,
        (endAfter ?? Infinity) - delivered,
        (failAfter ?? Infinity) - delivered,
      );
      const batch = this.source.slice(next, next + size);
      next += size;
      delivered += size;
      yield batch;
      await roundTrip();
    }
  }
}

/** What an event adds to an append, as the server counts it: data, metadata and type, in bytes. */
function appendedBytes(record: Chained): number {
  return (
    Buffer.byteLength(record.type) +
    Buffer.byteLength(record.dataJson) +
    Buffer.byteLength(JSON.stringify(record.metadata))
  );
}

function toStoredEvent(record: LogRecord): StoredEvent {
  return {
    streamName: record.streamName,
    revision: record.revision,
    position: record.position,
    type: record.type,
    data: JSON.parse(record.dataJson) as unknown,
    metadata: { ...record.metadata },
  };
}

/** One turn of the event loop, standing in for a call over the network. */
function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
