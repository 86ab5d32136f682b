import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  FORWARDS,
  KurrentDBClient,
  NotLeaderError,
  StreamNotFoundError as KurrentStreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  START as KURRENT_START,
  type AllStreamSubscription,
  type AppendStreamRequest,
  type JSONType,
  type ReadPosition,
  type RecordedEvent,
} from '@kurrent/kurrentdb-client';
import { systemClock, type Clock } from '../../clock';
import { serializeAppends } from '../append-validation';
import { appendToOneStream } from '../append-to-stream';
import { eventHash } from '../event-hash';
import type { EventContext } from '../event-metadata';
import { meetsExpectation } from '../expected-revision';
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
} from '../event-store.port';
import {
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../event-store.errors';

/**
 * The part of an event's metadata that KurrentDB does not keep by itself. A multi-stream append
 * takes string values only, so the schema version is written as digits and "no previous hash" as
 * ''; events written before (numbers and null) read back the same.
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

/** The first server version with atomic multi-stream appends, on which every command relies. */
const MINIMUM_SERVER = [25, 1] as const;

const DEFAULT_BATCH = 1000;
/** Appends chained on a tip that another writer moved are chained again this many times. */
const MAX_CHAIN_ATTEMPTS = 5;
/** gRPC status UNAVAILABLE: appends go through grpc-js and surface it untyped when no server answers. */
const GRPC_UNAVAILABLE = 14;
/** gRPC status UNIMPLEMENTED: a server without the multi-stream append. */
const GRPC_UNIMPLEMENTED = 12;

/**
 * The production event store on KurrentDB 25.1+. A thin mapping onto the client:
 * expected revisions are the client's stream states, positions are commit positions (for events
 * appended outside explicit transactions, as all of ours are, commit and prepare positions are
 * equal), and `$all` excludes system events. Correlation and causation ids are stored under the
 * `$correlationId` / `$causationId` keys that the server's own projections understand.
 */
export class KurrentDbEventStore implements EventStore {
  readonly adapter = 'kurrentdb';
  private serverChecked?: Promise<void>;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly clock: Clock = systemClock,
  ) {}

  /** `kurrentdb://…` or `esdb://…` connection strings. */
  static connect(connectionString: string, clock?: Clock): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), clock);
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendToOneStream(this, streamName, events, options);
  }

  /**
   * One `multiStreamAppend`. Each event's hash chains to its stream's last event, so the append
   * reads every tip first (from the leader) and then expects exactly those revisions. When the
   * caller allowed any revision (or any existing one) and another writer got in between, the
   * append is chained again on the new tips.
   */
  async appendToStreams(
    appends: readonly StreamAppend[],
    { context }: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    const dataJson = serializeAppends(appends);
    await this.checkServer();
    const ids = appends.map(({ events }) => events.map((event) => event.id ?? randomUUID()));
    for (let attempt = 1; ; attempt++) {
      const tips = await Promise.all(appends.map(({ streamName }) => this.tipOf(streamName)));
      const recordedAt = this.clock.now().toISOString();
      const requests = appends.map(({ streamName, expectedRevision, events }, index) => {
        const tip = tips[index];
        const actual: ActualRevision = tip?.revision ?? NO_STREAM;
        if (!meetsExpectation(expectedRevision, actual)) {
          throw new WrongExpectedVersionError(streamName, expectedRevision, actual);
        }
        return chainedRequest(streamName, events, tip, {
          dataJson: dataJson[index],
          ids: ids[index],
          context,
          recordedAt,
        });
      });
      try {
        const result = await this.client.multiStreamAppend(requests);
        const revisions = appends.map(({ streamName }) => {
          const written = result.responses.find((response) => response.streamName === streamName);
          if (!written) throw new Error(`Append to ${streamName}: the server sent no revision`);
          return written.revision;
        });
        return { position: result.position, revisions };
      } catch (error) {
        if (!(error instanceof KurrentWrongExpectedVersionError)) throw mapError(error);
        const append = appends.find(({ streamName }) => streamName === error.streamName);
        const expected = append?.expectedRevision ?? 'any';
        const mayRetry = typeof expected !== 'bigint' && attempt < MAX_CHAIN_ATTEMPTS;
        if (!mayRetry) {
          throw new WrongExpectedVersionError(error.streamName, expected, error.actualState);
        }
      }
    }
  }

  /**
   * Refuses a server older than 25.1, which cannot append to several streams at once. An
   * unreachable server is not refused: the next append asks again.
   */
  checkServer(): Promise<void> {
    this.serverChecked ??= (async () => {
      // The client fetches the server's version once per connection but keeps it protected.
      const { serverVersion } = await (this.client as unknown as VersionedClient).capabilities;
      const [major, minor] = serverVersion.split('.').map((part) => Number.parseInt(part, 10));
      const [minimumMajor, minimumMinor] = MINIMUM_SERVER;
      const recent = major > minimumMajor || (major === minimumMajor && minor >= minimumMinor);
      if (!recent) throw new UnsupportedServerError(serverVersion);
    })().catch((error: unknown) => {
      if (!(error instanceof UnsupportedServerError)) this.serverChecked = undefined;
      throw mapError(error);
    });
    return this.serverChecked;
  }

  /** The revision and hash of the stream's last event; undefined when the stream has none. */
  private async tipOf(streamName: string): Promise<{ revision: bigint; hash: string } | undefined> {
    try {
      const read = this.client.readStream(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
        requiresLeader: true,
      });
      for await (const resolved of read) {
        if (resolved.event) {
          const metadata = (resolved.event.metadata ?? {}) as Partial<KurrentMetadata>;
          return { revision: resolved.event.revision, hash: metadata.hash ?? '' };
        }
      }
      return undefined;
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) return undefined;
      throw mapError(error);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamName, {
        direction: FORWARDS,
        fromRevision: options.fromRevision ?? KURRENT_START,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event) events.push(toStoredEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) throw new StreamNotFoundError(streamName);
      throw mapError(error);
    }
    return events;
  }

  async readAll({ after = START, maxCount }: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const wanted = maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: StoredEvent[] = [];
    if (wanted <= 0) return events;
    try {
      // Reading from a position includes the event at it; `after` is exclusive, hence the +1.
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: toReadPosition(after),
        filter: excludeSystemEvents(),
        maxCount: Math.min(wanted + 1, Number.MAX_SAFE_INTEGER),
      });
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event || event.position.commit <= after) continue;
        events.push(toStoredEvent(event));
        if (events.length >= wanted) break;
      }
    } catch (error) {
      throw mapError(error);
    }
    return events;
  }

  subscribeToAll({
    after = START,
    maxBatchSize = DEFAULT_BATCH,
  }: SubscribeOptions = {}): Subscription {
    // The client's subscription is an object-mode stream buffering 16 events by default; a batch
    // ends when the buffer is empty, so without room for a whole batch none exceeds ~16.
    const source = this.client.subscribeToAll(
      { fromPosition: toReadPosition(after), filter: excludeSystemEvents() },
      { highWaterMark: maxBatchSize },
    );
    return new KurrentDbSubscription(source, after, maxBatchSize);
  }

  async headPosition(): Promise<bigint> {
    try {
      const read = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        filter: excludeSystemEvents(),
        maxCount: 1,
      });
      for await (const resolved of read) {
        if (resolved.event) return resolved.event.position.commit;
      }
      return START;
    } catch (error) {
      throw mapError(error);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/**
 * Groups the client's event-by-event subscription into batches: a batch ends when it is full or
 * when nothing more is buffered, so live events are handed over at once.
 */
class KurrentDbSubscription implements Subscription {
  constructor(
    private readonly source: AllStreamSubscription,
    private readonly after: bigint,
    private readonly maxBatchSize: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<readonly StoredEvent[]> {
    let batch: StoredEvent[] = [];
    try {
      for await (const resolved of this.source) {
        const event = resolved.event;
        if (event && event.position.commit > this.after) batch.push(toStoredEvent(event));
        if (
          batch.length > 0 &&
          (batch.length >= this.maxBatchSize || this.source.readableLength === 0)
        ) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      throw mapError(error);
    }
  }

  async close(): Promise<void> {
    await this.source.unsubscribe();
  }
}

interface VersionedClient {
  readonly capabilities: Promise<{ serverVersion: string }>;
}

/** A server too old for this service; starting against it is refused. */
export class UnsupportedServerError extends Error {
  override readonly name = 'UnsupportedServerError';

  constructor(readonly serverVersion: string) {
    super(
      `KurrentDB ${serverVersion} cannot append to several streams atomically; this service needs KurrentDB ${MINIMUM_SERVER.join('.')} or later`,
    );
  }
}

interface ChainInput {
  dataJson: readonly string[];
  ids: readonly string[];
  context: EventContext;
  recordedAt: string;
}

/** One stream's request: its events hashed in a chain from the stream's tip, expecting that tip. */
function chainedRequest(
  streamName: string,
  events: readonly NewEvent[],
  tip: { revision: bigint; hash: string } | undefined,
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

function toReadPosition(after: bigint): ReadPosition {
  return after === START ? KURRENT_START : { commit: after, prepare: after };
}

function toStoredEvent(event: RecordedEvent & { position?: { commit: bigint } }): StoredEvent {
  const metadata = (event.metadata ?? {}) as Partial<KurrentMetadata>;
  return {
    streamName: event.streamId,
    revision: event.revision,
    position: event.position?.commit ?? START,
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

/**
 * Failures to reach a server that can answer (none listening, no leader, a deadline passed) are
 * the port's "unavailable": the caller may retry. For an append such a failure leaves the outcome
 * unknown, and the application treats it so.
 */
function mapError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === GRPC_UNIMPLEMENTED) return new UnsupportedServerError('before 25.1');
  const unreachable =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    code === GRPC_UNAVAILABLE;
  if (unreachable) {
    return new EventStoreUnavailableError('KurrentDB is unreachable or has no leader', {
      cause: error,
    });
  }
  return error;
}
