import { Readable } from 'node:stream';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendStreamRequest,
  type KurrentDBClient,
} from '@kurrent/kurrentdb-client';

/** An event as the client hands it over: only what the adapter reads. */
export interface FakeRecorded {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: Record<string, string>;
  isJson: true;
  created: Date;
  position?: { commit: bigint; prepare: bigint };
}

interface ReadOptions {
  direction?: string;
  fromRevision?: bigint | string;
  maxCount?: number | bigint;
  requiresLeader?: boolean;
}

/**
 * The client's side of a KurrentDB server, in memory, for unit specs of the adapter: stream reads
 * (backwards from the end or forwards), metadata streams (`$$name`), multi-stream appends that
 * check each expected revision and answer the client's own WrongExpectedVersionError, positions
 * that are byte offsets with gaps. It records what the adapter asked for. Specs only (it is
 * not a spec itself so that several specs can share it).
 */
export class FakeKurrentDbServer {
  readonly streams = new Map<string, FakeRecorded[]>();
  readonly metadata = new Map<string, Record<string, unknown>>();
  readonly streamReads: { streamName: string; options: ReadOptions }[] = [];
  readonly allReads: Record<string, unknown>[] = [];
  readonly subscriptions: Record<string, unknown>[] = [];
  appendCalls = 0;
  /** Runs before each append is checked: a place for another writer to get in first. */
  beforeAppend: () => void = () => undefined;
  /** Replaces the server's answer to an append (after the events were written, or not). */
  answer?: (written: () => { position: bigint; responses: unknown[] }) => Promise<unknown>;
  /** What close() released, in order. */
  readonly released: string[] = [];
  private nextPosition = 4096n;

  readonly client = {
    capabilities: Promise.resolve({ serverVersion: '25.1.0' }),
    readStream: (streamName: string, options: ReadOptions = {}) => {
      this.streamReads.push({ streamName, options });
      return this.read(streamName, options);
    },
    readAll: (options: Record<string, unknown>) => {
      this.allReads.push(options);
      return this.readAll(options);
    },
    subscribeToAll: (options: Record<string, unknown>) => {
      this.subscriptions.push(options);
      // The client's subscription is an object-mode stream; this one has no events.
      return Object.assign(Readable.from([]), { unsubscribe: async () => undefined });
    },
    multiStreamAppend: (requests: AppendStreamRequest[]) => this.append(requests),
    dispose: async () => {
      this.released.push('streams');
    },
    getChannel: async () => ({ close: () => this.released.push('channel') }),
  };

  get store(): KurrentDBClient {
    return this.client as unknown as KurrentDBClient;
  }

  /** Another writer's events on `streamName`, hashed `other-<n>`. */
  write(streamName: string, count = 1): void {
    for (let n = 0; n < count; n++) {
      const events = this.streams.get(streamName) ?? [];
      this.record(streamName, events, `other-${this.nextPosition}`, {
        hash: `other-${this.nextPosition}`,
      });
    }
  }

  private async *read(streamName: string, options: ReadOptions) {
    const events = streamName.startsWith('$$')
      ? this.metadataEvents(streamName.slice(2))
      : (this.streams.get(streamName) ?? []);
    const visible = events.filter((event) => event.revision >= this.hiddenBefore(streamName));
    if (visible.length === 0) throw new StreamNotFoundError(undefined, streamName);
    const ordered = options.direction === 'backwards' ? [...visible].reverse() : visible;
    yield* ordered.slice(0, Number(options.maxCount ?? ordered.length)).map((event) => ({ event }));
  }

  /** `$all` in position order, from `fromPosition` included, through a stream-prefix filter. */
  private async *readAll(options: Record<string, unknown>) {
    const prefixes = (options.filter as { prefixes?: string[] } | undefined)?.prefixes ?? [''];
    const from = options.fromPosition as { commit: bigint } | string;
    const all = [...this.streams.values()]
      .flat()
      .filter((event) => prefixes.some((prefix) => event.streamId.startsWith(prefix)))
      .sort((a, b) => Number((a.position?.commit ?? 0n) - (b.position?.commit ?? 0n)));
    const backwards = options.direction === 'backwards';
    const ordered = backwards ? all.reverse() : all;
    const start = typeof from === 'object' ? from.commit : 0n;
    const after = ordered.filter((event) => backwards || (event.position?.commit ?? 0n) >= start);
    yield* after.slice(0, Number(options.maxCount ?? after.length)).map((event) => ({ event }));
  }

  private metadataEvents(streamName: string): FakeRecorded[] {
    const data = this.metadata.get(streamName);
    if (!data) return [];
    return [{ ...this.recorded(`$$${streamName}`, 0n, 'meta', {}), data, type: '$metadata' }];
  }

  private hiddenBefore(streamName: string): bigint {
    const truncateBefore = this.metadata.get(streamName)?.$tb;
    return typeof truncateBefore === 'number' ? BigInt(truncateBefore) : 0n;
  }

  private async append(requests: AppendStreamRequest[]) {
    this.appendCalls++;
    this.beforeAppend();
    for (const { streamName, expectedState } of requests) {
      const last = (this.streams.get(streamName) ?? []).at(-1)?.revision;
      const hidden = this.hiddenBefore(streamName) > 0n && last !== undefined;
      const holds =
        expectedState === 'any' ||
        (expectedState === 'no_stream' && (last === undefined || hidden)) ||
        (expectedState === 'stream_exists' && last !== undefined) ||
        expectedState === last;
      if (!holds) {
        throw WrongExpectedVersionError.fromRevisionConflict({
          stream: streamName,
          expectedRevision: expectedState === 'no_stream' ? '-1' : String(expectedState),
          actualRevision: last === undefined ? '-1' : String(last),
        });
      }
    }
    const write = () => {
      let position = 0n;
      const responses = requests.map(({ streamName, events }) => {
        const stored = this.streams.get(streamName) ?? [];
        for (const event of events) {
          const metadata = event.metadata as Record<string, string>;
          const recorded = this.record(streamName, stored, event.id, metadata, event.data);
          recorded.type = event.type;
          position = recorded.position?.commit as bigint;
        }
        return { streamName, revision: (stored.at(-1) as FakeRecorded).revision };
      });
      return { position, responses };
    };
    return this.answer ? this.answer(write) : write();
  }

  private record(
    streamName: string,
    events: FakeRecorded[],
    id: string,
    metadata: Record<string, string>,
    data: unknown = {},
  ): FakeRecorded {
    const revision = (events.at(-1)?.revision ?? -1n) + 1n;
    const event = { ...this.recorded(streamName, revision, id, metadata), data };
    events.push(event);
    this.streams.set(streamName, events);
    return event;
  }

  private recorded(
    streamId: string,
    revision: bigint,
    id: string,
    metadata: Record<string, string>,
  ): FakeRecorded {
    // Byte offsets with gaps, as the server's positions are.
    this.nextPosition += 377n;
    const position = { commit: this.nextPosition, prepare: this.nextPosition };
    return {
      streamId,
      id,
      revision,
      type: 'T',
      data: {},
      metadata,
      isJson: true,
      created: new Date(0),
      position,
    };
  }
}
