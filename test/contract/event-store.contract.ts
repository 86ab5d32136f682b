import { randomUUID } from 'node:crypto';
import { FixedClock, type Clock } from '../../src/platform/clock';
import { storedEventHash } from '../../src/platform/event-store/event-hash';
import type { EventContext } from '../../src/platform/event-store/event-metadata';
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type StoredEvent,
} from '../../src/platform/event-store/event-store.port';
import {
  EventStoreUnavailableError,
  InvalidPositionError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/platform/event-store/event-store.errors';

export interface EventStoreUnderTest {
  store: EventStore;
  /** Closes the store and removes what the test created, where the adapter can. */
  dispose(): Promise<void>;
}

/** What the port allows an adapter to do or not; the suite checks what each one declares. */
export interface EventStoreCapabilities {
  /**
   * Whether a position that is neither START nor an event's is refused with
   * InvalidPositionError (KurrentDB: positions are byte offsets). SQLite accepts any bigint.
   */
  refusesNonEventPositions?: boolean;
}

const context: EventContext = {
  actor: 'operator-samarinda',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  commandId: 'cmd-1',
};

function event(type: string, data: object = {}): NewEvent {
  return { type, data };
}

function append(
  store: EventStore,
  stream: string,
  events: NewEvent[],
  expectedRevision: ExpectedRevision = ANY,
) {
  return store.appendToStream(stream, events, { expectedRevision, context });
}

/** Reads `$all` after `after`, page by page, keeping only this test's streams. */
async function readAllOf(
  store: EventStore,
  prefix: string,
  after: bigint,
  pageSize = 1000,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) return events;
    events.push(...page.filter((e) => e.streamName.startsWith(prefix)));
    after = page[page.length - 1].position;
  }
}

/**
 * The behaviour every EventStore adapter must show. Stream names are unique per test, so the
 * suite can run against a shared server that already holds other events.
 */
export function describeEventStoreContract(
  adapterName: string,
  open: (clock: Clock) => Promise<EventStoreUnderTest>,
  capabilities: EventStoreCapabilities = {},
): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    const clock = new FixedClock(new Date('2025-03-14T09:26:53.589Z'));
    let subject: EventStoreUnderTest;
    let store: EventStore;
    let prefix: string;
    let stream: string;

    beforeEach(async () => {
      subject = await open(clock);
      store = subject.store;
      prefix = `test${randomUUID().replaceAll('-', '')}`;
      stream = `${prefix}-recipient-1`;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('expected revision', () => {
      it('no_stream creates the stream and answers its revision and the last position', async () => {
        const result = await append(store, stream, [event('A'), event('B')], NO_STREAM);
        expect(result.revision).toBe(1n);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.type)).toEqual(['A', 'B']);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(result.position).toBe(read[1].position);
      });

      it('no_stream is refused once the stream exists', async () => {
        await append(store, stream, [event('A'), event('B')]);
        const refusal = await append(store, stream, [event('C')], NO_STREAM).catch((e) => e);
        expect(refusal).toBeInstanceOf(WrongExpectedVersionError);
        expect(refusal).toMatchObject({ streamName: stream, expected: NO_STREAM, actual: 1n });
      });

      it('stream_exists is refused for a new stream and accepted for an existing one', async () => {
        const refusal = await append(store, stream, [event('A')], STREAM_EXISTS).catch((e) => e);
        expect(refusal).toBeInstanceOf(WrongExpectedVersionError);
        expect(refusal).toMatchObject({ expected: STREAM_EXISTS, actual: NO_STREAM });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);

        await append(store, stream, [event('A')], NO_STREAM);
        await expect(append(store, stream, [event('B')], STREAM_EXISTS)).resolves.toMatchObject({
          revision: 1n,
        });
      });

      it('any is accepted whether or not the stream exists', async () => {
        await expect(append(store, stream, [event('A')], ANY)).resolves.toMatchObject({
          revision: 0n,
        });
        await expect(append(store, stream, [event('B')], ANY)).resolves.toMatchObject({
          revision: 1n,
        });
      });

      it('an exact revision is accepted only when it is the last revision', async () => {
        await append(store, stream, [event('A'), event('B')], NO_STREAM);
        const stale = await append(store, stream, [event('X')], 0n).catch((e) => e);
        expect(stale).toBeInstanceOf(WrongExpectedVersionError);
        expect(stale).toMatchObject({ expected: 0n, actual: 1n });
        const ahead = await append(store, stream, [event('X')], 5n).catch((e) => e);
        expect(ahead).toMatchObject({ expected: 5n, actual: 1n });

        await expect(append(store, stream, [event('C')], 1n)).resolves.toMatchObject({
          revision: 2n,
        });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('an exact revision on a stream that does not exist is refused', async () => {
        const refusal = await append(store, stream, [event('A')], 0n).catch((e) => e);
        expect(refusal).toBeInstanceOf(WrongExpectedVersionError);
        expect(refusal).toMatchObject({ expected: 0n, actual: NO_STREAM });
      });
    });

    describe('concurrent appends', () => {
      it('of N writers at the same revision, exactly one wins and nothing of the others is stored', async () => {
        await append(store, stream, [event('Opened')], NO_STREAM);
        const writers = 20;
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            append(
              store,
              stream,
              [event('Claimed', { writer }), event('Confirmed', { writer })],
              0n,
            ),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(writers - 1);
        for (const refusal of lost) {
          expect(refusal.reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(refusal.reason).toMatchObject({ expected: 0n, actual: 2n });
        }
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(3);
        const winner = (stored[1].data as { writer: number }).writer;
        expect(stored[2].data).toEqual({ writer: winner });
      });

      it('of N writers creating one stream, exactly one wins', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, writer) =>
            append(store, stream, [event('Registered', { writer })], NO_STREAM),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('of N writers allowing any revision, all succeed, each event once, in one hash chain', async () => {
        await append(store, stream, [event('Opened')], NO_STREAM);
        const writers = 8;
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            append(store, stream, [event('Noted', { writer })], ANY),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(writers);
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(writers + 1);
        const noted = stored.slice(1).map((e) => (e.data as { writer: number }).writer);
        expect([...noted].sort((a, b) => a - b)).toEqual([...Array(writers).keys()]);
        stored.forEach((e, i) => {
          expect(e.revision).toBe(BigInt(i));
          expect(e.metadata.previousHash).toBe(i === 0 ? null : stored[i - 1].metadata.hash);
          expect(storedEventHash(e)).toBe(e.metadata.hash);
        });
      });

      it('a refused append does not fail the appends that arrive with it', async () => {
        await append(store, `${prefix}-taken`, [event('A')], NO_STREAM);
        const outcomes = await Promise.allSettled([
          append(store, `${prefix}-a`, [event('A')], NO_STREAM),
          append(store, `${prefix}-taken`, [event('B')], NO_STREAM),
          append(store, `${prefix}-b`, [event('A')], NO_STREAM),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await store.readStream(`${prefix}-a`)).toHaveLength(1);
        expect(await store.readStream(`${prefix}-b`)).toHaveLength(1);
        expect(await store.readStream(`${prefix}-taken`)).toHaveLength(1);
      });
    });

    describe('multi-stream append', () => {
      const streamsOf = (names: string[]) => names.map((name) => `${prefix}-${name}`);

      it('stores every event of every stream, answering each revision and the last position', async () => {
        const [quota, recipient, record] = streamsOf(['quota', 'recipient', 'idempotency']);
        await append(store, quota, [event('Defined'), event('Allocated')], NO_STREAM);
        const result = await store.appendToStreams(
          [
            { streamName: recipient, expectedRevision: NO_STREAM, events: [event('Disbursed')] },
            { streamName: quota, expectedRevision: 1n, events: [event('SlotTaken')] },
            {
              streamName: record,
              expectedRevision: NO_STREAM,
              events: [event('Answered'), event('Noted')],
            },
          ],
          { context },
        );
        expect(result.revisions).toEqual([0n, 2n, 1n]);
        const [noted] = (await store.readStream(record)).slice(-1);
        expect(result.position).toBe(noted.position);
        expect((await store.readStream(quota)).map((e) => e.type)).toEqual([
          'Defined',
          'Allocated',
          'SlotTaken',
        ]);
      });

      it('stores nothing when one of three checks fails, and names that stream', async () => {
        const [a, b, c] = streamsOf(['a', 'b', 'c']);
        await append(store, b, [event('B0')], NO_STREAM);
        const head = await store.headPosition();
        const refusal = await store
          .appendToStreams(
            [
              { streamName: a, expectedRevision: NO_STREAM, events: [event('A')] },
              { streamName: b, expectedRevision: NO_STREAM, events: [event('B')] },
              { streamName: c, expectedRevision: NO_STREAM, events: [event('C')] },
            ],
            { context },
          )
          .catch((error: unknown) => error);
        expect(refusal).toBeInstanceOf(WrongExpectedVersionError);
        expect(refusal).toMatchObject({ streamName: b, expected: NO_STREAM, actual: 0n });
        await expect(store.readStream(a)).rejects.toBeInstanceOf(StreamNotFoundError);
        await expect(store.readStream(c)).rejects.toBeInstanceOf(StreamNotFoundError);
        expect(await store.readStream(b)).toHaveLength(1);
        expect(await readAllOf(store, prefix, head)).toEqual([]);
      });

      it('of N commands overlapping on one stream, exactly one wins and the others store nothing', async () => {
        const [shared] = streamsOf(['quota']);
        await append(store, shared, [event('Defined')], NO_STREAM);
        const writers = 12;
        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, (_, writer) =>
            store.appendToStreams(
              [
                {
                  streamName: `${prefix}-own${writer}`,
                  expectedRevision: NO_STREAM,
                  events: [event('Disbursed', { writer })],
                },
                {
                  streamName: shared,
                  expectedRevision: 0n,
                  events: [event('SlotTaken', { writer })],
                },
              ],
              { context },
            ),
          ),
        );
        const won = outcomes.flatMap((o, writer) => (o.status === 'fulfilled' ? [writer] : []));
        expect(won).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
            expect(o.reason).toMatchObject({ streamName: shared, expected: 0n });
          }
        }
        const stored = await readAllOf(store, prefix, 0n);
        expect(stored.map((e) => [e.streamName, e.data])).toEqual([
          [shared, {}],
          [`${prefix}-own${won[0]}`, { writer: won[0] }],
          [shared, { writer: won[0] }],
        ]);
      });

      it('places one commit in $all as consecutive events, stream by stream in the order given', async () => {
        const [x, y] = streamsOf(['x', 'y']);
        const before = await store.headPosition();
        await store.appendToStreams(
          [
            { streamName: y, expectedRevision: NO_STREAM, events: [event('Y0'), event('Y1')] },
            { streamName: x, expectedRevision: NO_STREAM, events: [event('X0')] },
          ],
          { context },
        );
        const all = await readAllOf(store, prefix, before);
        expect(all.map((e) => e.type)).toEqual(['Y0', 'Y1', 'X0']);
        const positions = all.map((e) => e.position);
        expect([...positions].sort((p, q) => (p < q ? -1 : 1))).toEqual(positions);
        expect(new Set(positions).size).toBe(3);
        expect(all.map((e) => e.metadata.recordedAt)).toEqual(
          Array(3).fill(all[0].metadata.recordedAt),
        );
      });

      it('chains each stream on its own', async () => {
        const [x, y] = streamsOf(['x', 'y']);
        await append(store, x, [event('X0')], NO_STREAM);
        await store.appendToStreams(
          [
            { streamName: x, expectedRevision: 0n, events: [event('X1')] },
            { streamName: y, expectedRevision: NO_STREAM, events: [event('Y0')] },
          ],
          { context },
        );
        const [x0, x1] = await store.readStream(x);
        const [y0] = await store.readStream(y);
        expect(x1.metadata.previousHash).toBe(x0.metadata.hash);
        expect(y0.metadata.previousHash).toBeNull();
        for (const e of [x0, x1, y0]) expect(storedEventHash(e)).toBe(e.metadata.hash);
      });

      it('hands a subscriber the whole commit, in order', async () => {
        const [x, y] = streamsOf(['x', 'y']);
        const before = await store.headPosition();
        const subscription = store.subscribeToAll({ after: before, maxBatchSize: 100 });
        const seen: string[] = [];
        const consumed = (async () => {
          for await (const batch of subscription) {
            seen.push(...batch.filter((e) => e.streamName.startsWith(prefix)).map((e) => e.type));
            if (seen.length >= 3) break;
          }
        })();
        await store.appendToStreams(
          [
            { streamName: x, expectedRevision: NO_STREAM, events: [event('X0'), event('X1')] },
            { streamName: y, expectedRevision: NO_STREAM, events: [event('Y0')] },
          ],
          { context },
        );
        await consumed;
        await subscription.close();
        expect(seen).toEqual(['X0', 'X1', 'Y0']);
      });

      it('refuses no stream, a stream named twice and a stream with no events, writing nothing', async () => {
        const [x] = streamsOf(['x']);
        const head = await store.headPosition();
        await expect(store.appendToStreams([], { context })).rejects.toThrow(/at least one stream/);
        await expect(
          store.appendToStreams(
            [
              { streamName: x, expectedRevision: ANY, events: [event('A')] },
              { streamName: x, expectedRevision: ANY, events: [event('B')] },
            ],
            { context },
          ),
        ).rejects.toThrow(/twice/);
        await expect(
          store.appendToStreams(
            [
              { streamName: x, expectedRevision: ANY, events: [event('A')] },
              { streamName: `${prefix}-y`, expectedRevision: ANY, events: [] },
            ],
            { context },
          ),
        ).rejects.toThrow(/at least one event/);
        expect(await readAllOf(store, prefix, head)).toEqual([]);
      });
    });

    describe('invalid appends', () => {
      it('refuses an empty append, a system stream name and data JSON cannot hold, writing nothing', async () => {
        await expect(append(store, stream, [])).rejects.toThrow(/at least one event/);
        await expect(append(store, `$${prefix}`, [event('A')])).rejects.toThrow(/reserved/);
        await expect(append(store, stream, [event('A', { n: 1n })])).rejects.toThrow(TypeError);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('reading one stream', () => {
      it('reads forwards from a revision, at most maxCount events', async () => {
        await append(
          store,
          stream,
          ['A', 'B', 'C', 'D'].map((type) => event(type)),
          NO_STREAM,
        );
        const read = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(read.map((e) => [e.revision, e.type])).toEqual([
          [1n, 'B'],
          [2n, 'C'],
        ]);
        expect(await store.readStream(stream, { fromRevision: 10n })).toEqual([]);
      });

      it('rejects with StreamNotFoundError for a stream with no events', async () => {
        const error = await store.readStream(stream).catch((e) => e);
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).toMatchObject({ streamName: stream });
      });
    });

    describe('$all', () => {
      it('holds every event once, in append order, with growing positions', async () => {
        const before = await store.headPosition();
        const written: string[] = [];
        for (let i = 0; i < 12; i++) {
          const target = `${prefix}-s${i % 3}`;
          await append(store, target, [event('E', { i }), event('F', { i })]);
          written.push(`${target}:${i}:E`, `${target}:${i}:F`);
        }
        const all = await readAllOf(store, prefix, before);
        expect(all.map((e) => `${e.streamName}:${(e.data as { i: number }).i}:${e.type}`)).toEqual(
          written,
        );
        for (let i = 1; i < all.length; i++) {
          expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        }
        expect(await store.headPosition()).toBe(all[all.length - 1].position);
      });

      it('resumes after any event’s position with no gap and no duplicate', async () => {
        const before = await store.headPosition();
        for (let i = 0; i < 25; i++)
          await append(store, `${prefix}-s${i % 4}`, [event('E', { i })]);
        const whole = await readAllOf(store, prefix, before);
        expect(whole).toHaveLength(25);
        for (const pageSize of [1, 3, 7]) {
          const paged = await readAllOf(store, prefix, before, pageSize);
          expect(paged.map((e) => e.position)).toEqual(whole.map((e) => e.position));
        }
        const resumed = await readAllOf(store, prefix, whole[9].position);
        expect(resumed.map((e) => e.position)).toEqual(whole.slice(10).map((e) => e.position));
      });

      it('answers an empty page after the head', async () => {
        await append(store, stream, [event('A')]);
        expect(await store.readAll({ after: await store.headPosition() })).toEqual([]);
      });

      it('counts the events after a position, at most the limit', async () => {
        await append(
          store,
          stream,
          ['A', 'B', 'C', 'D'].map((type) => event(type)),
        );
        const read = await store.readStream(stream);
        expect(await store.countEventsAfter(read[0].position, 100)).toBe(3);
        expect(await store.countEventsAfter(read[0].position, 2)).toBe(2);
        expect(await store.countEventsAfter(read[0].position, 0)).toBe(0);
        expect(await store.countEventsAfter(read[3].position, 100)).toBe(0);
      });

      (capabilities.refusesNonEventPositions ? it : it.skip)(
        'refuses to read or subscribe after a position that is not an event’s',
        async () => {
          await append(store, stream, [event('A'), event('B')]);
          const [first] = await store.readStream(stream);
          const between = first.position + 1n;
          const read = store.readAll({ after: between, maxCount: 10 });
          await expect(read).rejects.toBeInstanceOf(InvalidPositionError);
          await expect(read).rejects.toMatchObject({ position: between });
          const subscription = store.subscribeToAll({ after: between });
          const iteration = (async () => {
            for await (const _batch of subscription) return;
          })();
          await expect(iteration).rejects.toBeInstanceOf(InvalidPositionError);
          await subscription.close();
        },
      );
    });

    describe('subscription to $all', () => {
      it('catches up, then sees events appended after it started, in order, in bounded batches', async () => {
        const before = await store.headPosition();
        await append(store, `${prefix}-old`, [event('E', { i: 0 }), event('E', { i: 1 })]);
        const subscription = store.subscribeToAll({ after: before, maxBatchSize: 3 });
        const seen: number[] = [];
        const batchSizes: number[] = [];
        const consumed = (async () => {
          for await (const batch of subscription) {
            batchSizes.push(batch.length);
            for (const e of batch) {
              if (e.streamName.startsWith(prefix)) seen.push((e.data as { i: number }).i);
            }
            if (seen.length >= 10) break;
          }
        })();
        for (let i = 2; i < 10; i += 2) {
          await append(store, `${prefix}-new${i % 3}`, [
            event('E', { i }),
            event('E', { i: i + 1 }),
          ]);
        }
        await consumed;
        await subscription.close();
        expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(Math.max(...batchSizes)).toBeLessThanOrEqual(3);
      });

      it('lets the process run between batches while it catches up', async () => {
        const before = await store.headPosition();
        await append(
          store,
          stream,
          Array.from({ length: 6 }, (_, i) => event('E', { i })),
        );
        const subscription = store.subscribeToAll({ after: before, maxBatchSize: 1 });
        let turned = false;
        setImmediate(() => (turned = true));
        let batchesBeforeTheTurn = 0;
        for await (const _batch of subscription) {
          if (turned || ++batchesBeforeTheTurn > 5) break;
        }
        await subscription.close();
        // A catch-up that never yields holds every request and timer of the process.
        expect(turned).toBe(true);
        expect(batchesBeforeTheTurn).toBeLessThanOrEqual(2);
      });

      it('starts strictly after the given position', async () => {
        await append(store, stream, [event('A'), event('B'), event('C')]);
        const read = await store.readStream(stream);
        const subscription = store.subscribeToAll({ after: read[0].position });
        const seen: string[] = [];
        for await (const batch of subscription) {
          seen.push(...batch.filter((e) => e.streamName === stream).map((e) => e.type));
          if (seen.length >= 2) break;
        }
        await subscription.close();
        expect(seen).toEqual(['B', 'C']);
      });

      it('ends its iteration when closed', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const iteration = (async () => {
          let batches = 0;
          for await (const _batch of subscription) batches++;
          return batches;
        })();
        await subscription.close();
        await expect(iteration).resolves.toBe(0);
      });
    });

    describe('closing', () => {
      it('lets an append in flight finish, then refuses every operation', async () => {
        const inFlight = append(store, stream, [event('A')], NO_STREAM);
        await store.close();
        await expect(inFlight).resolves.toMatchObject({ revision: 0n });
        const closed = [
          append(store, stream, [event('B')]),
          store.readStream(stream),
          store.readAll(),
          store.headPosition(),
          store.countEventsAfter(0n, 10),
        ];
        for (const operation of closed) {
          await expect(operation).rejects.toBeInstanceOf(EventStoreUnavailableError);
        }
      });
    });

    describe('what is stored', () => {
      it('round-trips metadata: event id, actor, correlation, causation, command, recorded time, schema version', async () => {
        const eventId = randomUUID();
        clock.set(new Date('2025-06-30T23:59:59.999Z'));
        await append(store, stream, [{ type: 'A', data: {}, id: eventId, schemaVersion: 2 }]);
        const [stored] = await store.readStream(stream);
        expect(stored.metadata).toEqual({
          eventId,
          actor: 'operator-samarinda',
          correlationId: 'corr-1',
          causationId: 'cause-1',
          commandId: 'cmd-1',
          recordedAt: '2025-06-30T23:59:59.999Z',
          schemaVersion: 2,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          previousHash: null,
        });

        await append(store, stream, [event('B')]);
        const [, defaulted] = await store.readStream(stream);
        expect(defaulted.metadata.eventId).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(defaulted.metadata.eventId).not.toBe(eventId);
        expect(defaulted.metadata.schemaVersion).toBe(1);
      });

      it('chains each event to the one before it in its stream by SHA-256 over its content', async () => {
        await append(store, stream, [event('A', { n: 1 }), event('B', { text: 'ü 😀' })]);
        await append(store, `${stream}-other`, [event('C')]);
        await append(store, stream, [event('D', { nested: { list: [1, null, true] } })], 1n);
        const events = await store.readStream(stream);
        expect(events.map((e) => e.metadata.previousHash)).toEqual([
          null,
          events[0].metadata.hash,
          events[1].metadata.hash,
        ]);
        for (const stored of events) {
          expect(stored.metadata.hash).toBe(storedEventHash(stored));
        }
        const [other] = await store.readStream(`${stream}-other`);
        expect(other.metadata.previousHash).toBeNull();
      });

      it('round-trips unicode and nested JSON exactly', async () => {
        const data = {
          name: 'Siti Nurhaliza binti Abdullah — Kutai Kartanegara',
          note: 'ñ é ü 日本語 中文 한국어 العربية 😀👩‍🌾',
          items: [
            { description: 'Mesin jahit "Butterfly"\n\t\\', quantity: 1, unitPrice: 2_500_000 },
          ],
          flags: { closed: false, reason: null },
        };
        await append(store, `${prefix}-ünïcødé-😀`, [event('Dicatat', data)]);
        const [stored] = await store.readStream(`${prefix}-ünïcødé-😀`);
        expect(stored.data).toEqual(data);
        expect(stored.streamName).toBe(`${prefix}-ünïcødé-😀`);
      });

      // KurrentDB refuses an append over MaxAppendSize (1,048,576 bytes by default, data,
      // metadata and type counted): about 1 MB of data leaves room for the metadata.
      it('stores and reads back an event of about 1 MB', async () => {
        const blob = 'x'.repeat(1_000_000 - 64) + 'ŵ'.repeat(16);
        await append(store, stream, [event('Small')]);
        await append(store, stream, [event('Large', { blob })]);
        const [small, stored] = await store.readStream(stream);
        expect((stored.data as { blob: string }).blob).toBe(blob);
        // Resume from a real event's position: on KurrentDB no other is a valid place to start.
        const viaAll = await readAllOf(store, stream, small.position);
        expect(viaAll.map((e) => e.type)).toEqual(['Large']);
        expect((viaAll[0].data as { blob: string }).blob).toBe(blob);
      });
    });
  });
}
