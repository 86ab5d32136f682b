import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  StreamNotFoundError as KurrentStreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  START as KURRENT_START,
  streamNameFilter,
  type AppendStreamRequest,
  type MultiAppendResult,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { systemClock, type Clock } from '../../clock';
import { serializeAppends } from '../append-validation';
import { appendToOneStream } from '../append-to-stream';
import { AppendsInFlight } from '../appends-in-flight';
import type { EventContext } from '../event-metadata';
import { meetsExpectation } from '../expected-revision';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
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
  StreamNotWritableError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import { mapKurrentError, type FailureContext } from './kurrentdb-errors';
import {
  chainedRequest,
  positionOf,
  tipOf,
  toReadPosition,
  toStoredEvent,
  type Tip,
} from './kurrentdb-events';
import { KurrentDbSubscription } from './kurrentdb-subscription';
import { SERVICE_STREAM_PREFIXES } from './service-streams';

export interface KurrentDbEventStoreOptions {
  clock?: Clock;
  /**
   * Only streams whose names start with one of these are read from `$all` (a server-side
   * filter); the service's own streams by default.
   */
  streamPrefixes?: readonly string[];
  /**
   * How long an append that allows any revision (or any existing one) keeps chaining again on
   * tips that other writers moved. Each lost race means another writer progressed, so the bound
   * is time, not a count.
   */
  raceBudgetMs?: number;
}

/** The first server version with atomic multi-stream appends, on which every command relies. */
const MINIMUM_SERVER = [25, 1] as const;

const DEFAULT_BATCH = 1000;
const DEFAULT_RACE_BUDGET_MS = 5000;
/** close() waits this long for the client to hand over its gRPC channel (it may be discovering). */
const CHANNEL_CLOSE_WAIT_MS = 1000;
/** gRPC status UNIMPLEMENTED: a server without the multi-stream append. */
const GRPC_UNIMPLEMENTED = 12;
/** Stream metadata that hides a stream's earlier events from reads (and, after a scavenge, deletes them). */
const HIDING_METADATA = ['$tb', '$maxAge', '$maxCount'] as const;

/**
 * The production event store on KurrentDB 25.1+, over the official client. Every append is one
 * `multiStreamAppend` whose events are hash-chained to each stream's last event, so the adapter
 * reads each tip from the leader and expects exactly that revision. Positions are the events'
 * own log offsets; `$all` is read through a filter on the service's stream prefixes. See
 * docs/event-store.md for the server behaviour each choice rests on.
 */
export class KurrentDbEventStore implements EventStore {
  readonly adapter = 'kurrentdb';
  private serverChecked?: Promise<void>;
  private readonly clock: Clock;
  private readonly streamPrefixes: readonly string[];
  private readonly raceBudgetMs: number;
  private readonly appending = new AppendsInFlight();
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private closing?: Promise<void>;
  /** Whether the client opened its gRPC channel (appends, subscriptions, the version check). */
  private channelUsed = false;

  constructor(
    private readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.streamPrefixes = options.streamPrefixes ?? SERVICE_STREAM_PREFIXES;
    this.raceBudgetMs = options.raceBudgetMs ?? DEFAULT_RACE_BUDGET_MS;
  }

  /** `kurrentdb://…` or `esdb://…` connection strings. */
  static connect(
    connectionString: string,
    clock?: Clock,
    options: Omit<KurrentDbEventStoreOptions, 'clock'> = {},
  ): KurrentDbEventStore {
    const client = KurrentDBClient.connectionString(connectionString);
    return new KurrentDbEventStore(client, { ...options, clock });
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendToOneStream(this, streamName, events, options);
  }

  /** One `multiStreamAppend`, tracked so that close() lets it finish. */
  async appendToStreams(
    appends: readonly StreamAppend[],
    { context }: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    this.assertOpen();
    const dataJson = serializeAppends(appends);
    return this.appending.track(this.appendChained(appends, dataJson, context));
  }

  /**
   * Reads every tip, checks the caller's expectations, chains the events on the tips and
   * appends expecting exactly those revisions. When events come with their own ids and are
   * already each stream's last events, the append was made before (a retry after an unknown
   * outcome): its result is answered instead of writing the events twice. A lost race under
   * `any` or `stream_exists` chains again on the new tips, for as long as raceBudgetMs allows.
   */
  private async appendChained(
    appends: readonly StreamAppend[],
    dataJson: string[][],
    context: EventContext,
  ): Promise<MultiStreamAppendResult> {
    await this.checkServer();
    const ids = appends.map(({ events }) => events.map((event) => event.id ?? randomUUID()));
    const idsGiven = appends.every(({ events }) => events.every((event) => event.id !== undefined));
    const deadline = Date.now() + this.raceBudgetMs;
    for (;;) {
      const tails = await Promise.all(
        appends.map(({ streamName, events }) =>
          this.tailOf(streamName, idsGiven ? events.length : 1),
        ),
      );
      if (idsGiven) {
        const earlier = alreadyWritten(tails, ids);
        if (earlier) return earlier;
      }
      const tips = tails.map((tail) => tail.at(-1));
      const recordedAt = this.clock.now().toISOString();
      const requests = appends.map(({ streamName, expectedRevision, events }, index) => {
        const actual: ActualRevision = tips[index]?.revision ?? NO_STREAM;
        if (!meetsExpectation(expectedRevision, actual)) {
          throw new WrongExpectedVersionError(streamName, expectedRevision, actual);
        }
        const chain = { dataJson: dataJson[index], ids: ids[index], context, recordedAt };
        return chainedRequest(streamName, events, tips[index], chain);
      });
      try {
        this.channelUsed = true;
        const result = await this.client.multiStreamAppend(requests);
        return resultOf(requests, tips, result);
      } catch (error) {
        if (!(error instanceof KurrentWrongExpectedVersionError)) {
          throw this.mapError(error, { streamName: appends[0].streamName });
        }
        const lost = appends.find(({ streamName }) => streamName === error.streamName);
        const expected = lost?.expectedRevision ?? ANY;
        const anotherWriterMayProgress = expected === ANY || expected === STREAM_EXISTS;
        if (!anotherWriterMayProgress || Date.now() >= deadline) {
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
      this.channelUsed = true;
      // The client fetches the server's version once per connection but keeps it protected.
      const { serverVersion } = await (this.client as unknown as VersionedClient).capabilities;
      const [major, minor] = serverVersion.split('.').map((part) => Number.parseInt(part, 10));
      const [minimumMajor, minimumMinor] = MINIMUM_SERVER;
      const recent = major > minimumMajor || (major === minimumMajor && minor >= minimumMinor);
      if (!recent) throw new UnsupportedServerError(serverVersion);
    })().catch((error: unknown) => {
      if (!(error instanceof UnsupportedServerError)) this.serverChecked = undefined;
      throw this.mapError(error);
    });
    return this.serverChecked;
  }

  /**
   * The stream's last `count` events, oldest first, read from the leader (a follower's view may
   * be behind). A stream that shows no event is checked for hidden ones: chaining on "no
   * stream" while the server appends after them would break the stream's hash chain.
   */
  private async tailOf(streamName: string, count: number): Promise<Tip[]> {
    const events = await this.lastEvents(streamName, count);
    if (events.length === 0) await this.refuseHiddenEvents(streamName);
    return events.map(tipOf).reverse();
  }

  private async lastEvents(streamName: string, count: number) {
    try {
      const read = this.client.readStream(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: count,
        requiresLeader: true,
      });
      return await recordedEvents(read);
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) return [];
      throw this.mapError(error, { streamName });
    }
  }

  /**
   * A soft-deleted stream (`$tb` at the end) reads as "not found" yet takes an append at N+1;
   * `$tb`, `$maxAge` or `$maxCount` can hide every event of a stream. Their metadata says so.
   */
  private async refuseHiddenEvents(streamName: string): Promise<void> {
    const [metadata] = await this.lastEvents(`$$${streamName}`, 1);
    const settings = (metadata?.data ?? {}) as Record<string, unknown>;
    const hiding = HIDING_METADATA.filter((key) => settings[key] !== undefined);
    if (hiding.length === 0) return;
    throw new StreamNotWritableError(
      streamName,
      `its metadata (${hiding.join(', ')}) hides its earlier events, and a new event must chain ` +
        `to the last one; an operator must remove ${hiding.join(', ')} from the stream's metadata`,
    );
  }

  /** Pinned to the leader: commands decide on what they read here. */
  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    try {
      const read = this.client.readStream(streamName, {
        direction: FORWARDS,
        fromRevision: options.fromRevision ?? KURRENT_START,
        requiresLeader: true,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      return (await recordedEvents(read)).map(toStoredEvent);
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) throw new StreamNotFoundError(streamName);
      throw this.mapError(error, { streamName });
    }
  }

  async readAll({ after = START, maxCount }: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const wanted = maxCount ?? Number.MAX_SAFE_INTEGER;
    if (wanted <= 0) return [];
    const events = await this.readForwards(after, wanted);
    return events.map(toStoredEvent);
  }

  async countEventsAfter(after: bigint, limit: number): Promise<number> {
    this.assertOpen();
    if (limit <= 0) return 0;
    return (await this.readForwards(after, limit)).length;
  }

  /**
   * At most `wanted` events after `after`, in the service's streams, from the leader: a lagging
   * follower answers an empty page early, and the audit's event log, which stops at an empty
   * page below the head it read, would leave events out of an export or a verify.
   */
  private async readForwards(after: bigint, wanted: number) {
    const events = [];
    try {
      // Reading from a position includes the event at it, hence one more and the skip.
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: toReadPosition(after),
        filter: this.filter(),
        maxCount: Math.min(wanted + 1, Number.MAX_SAFE_INTEGER),
        requiresLeader: true,
      });
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event || positionOf(event) <= after) continue;
        events.push(event);
        if (events.length >= wanted) break;
      }
    } catch (error) {
      throw this.mapError(error, { position: after });
    }
    return events;
  }

  subscribeToAll({
    after = START,
    maxBatchSize = DEFAULT_BATCH,
  }: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    this.channelUsed = true;
    // The client's subscription is an object-mode stream buffering 16 events by default; a batch
    // ends when the buffer is empty, so without room for a whole batch none exceeds ~16.
    const source = this.client.subscribeToAll(
      { fromPosition: toReadPosition(after), filter: this.filter() },
      { highWaterMark: maxBatchSize },
    );
    const subscription: KurrentDbSubscription = new KurrentDbSubscription(
      source,
      after,
      maxBatchSize,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * From the leader: a lagging follower's head is behind the log, so a rebuild that compares its
   * checkpoint with it would take over serving reads before it has caught up.
   */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    try {
      const read = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        filter: this.filter(),
        maxCount: 1,
        requiresLeader: true,
      });
      const [last] = await recordedEvents(read);
      return last ? positionOf(last) : START;
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /**
   * Refuses new operations, lets in-flight appends finish (the client's dispose() would cancel
   * them, leaving their outcome unknown), ends subscriptions, then releases the client's streams
   * and its gRPC channel. Reads go through the client's native bridge, which offers no close.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.appending.settled();
      await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
      await this.client.dispose();
      if (this.channelUsed) await closeChannel(this.client);
    })();
    return this.closing;
  }

  private filter() {
    return streamNameFilter({ prefixes: [...this.streamPrefixes] });
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('The event store is closed');
  }

  private mapError(error: unknown, context?: FailureContext): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === GRPC_UNIMPLEMENTED || error instanceof UnsupportedError) {
      return new UnsupportedServerError('before 25.1');
    }
    return mapKurrentError(error, context);
  }
}

interface VersionedClient {
  readonly capabilities: Promise<{ serverVersion: string }>;
}

interface ChannelOwner {
  getChannel(): Promise<{ close(): void }>;
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

async function recordedEvents(read: AsyncIterable<ResolvedEvent>) {
  const events = [];
  for await (const resolved of read) if (resolved.event) events.push(resolved.event);
  return events;
}

/**
 * The result of an append whose events (given ids) are already each stream's last events: the
 * same answer the first attempt got, or would have.
 */
function alreadyWritten(
  tails: readonly Tip[][],
  ids: readonly string[][],
): MultiStreamAppendResult | undefined {
  const written = tails.every(
    (tail, index) =>
      tail.length === ids[index].length &&
      tail.every((tip, position) => tip.eventId === ids[index][position]),
  );
  if (!written) return undefined;
  const lasts = tails.map((tail) => tail[tail.length - 1]);
  const position = lasts.reduce((max, tip) => (tip.position > max ? tip.position : max), START);
  return { position, revisions: lasts.map((tip) => tip.revision) };
}

/**
 * Each stream's revision as the server wrote it, which must be the one its events were hashed
 * for: a difference means the server continued after events the tip read did not see.
 */
function resultOf(
  requests: readonly AppendStreamRequest[],
  tips: readonly (Tip | undefined)[],
  result: MultiAppendResult,
): MultiStreamAppendResult {
  const revisions = requests.map(({ streamName, events }, index) => {
    const written = result.responses.find((response) => response.streamName === streamName);
    if (!written) throw new Error(`Append to ${streamName}: the server sent no revision`);
    const chained = (tips[index]?.revision ?? -1n) + BigInt(events.length);
    if (written.revision !== chained) {
      throw new Error(
        `Append to ${streamName}: written up to revision ${written.revision} but hash-chained ` +
          `up to ${chained}; the stream has events its tip read did not see, and verify will ` +
          `report its chain as broken`,
      );
    }
    return written.revision;
  });
  return { position: result.position, revisions };
}

/** The client offers no way to close its channel but keeps it behind a protected getter. */
async function closeChannel(client: KurrentDBClient): Promise<void> {
  const channel = (client as unknown as ChannelOwner)
    .getChannel()
    .then((open) => open.close())
    .catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CHANNEL_CLOSE_WAIT_MS);
  });
  await Promise.race([channel, waited]);
  clearTimeout(timer);
}
