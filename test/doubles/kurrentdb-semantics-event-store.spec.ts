import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { verifyLog } from '../../src/audit/verify/verify-log';
import {
  START,
  type NewEvent,
  type StoredEvent,
  type Subscription,
} from '../../src/platform/event-store/event-store.port';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidPositionError,
} from '../../src/platform/event-store/event-store.errors';
import { ProjectionEngine } from '../../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import {
  KurrentDbSemanticsEventStore,
  type KurrentDbSemanticsOptions,
} from './kurrentdb-semantics-event-store';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

const events = (count: number, prefix = 'E'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({ type: `${prefix}${i}`, data: { i } }));

/** Everything a subscription hands over until its iteration ends or `count` events are seen. */
async function consume(
  subscription: Subscription,
  count = Infinity,
): Promise<{ batches: (readonly StoredEvent[])[]; ended: 'done' | 'counted' }> {
  const batches: (readonly StoredEvent[])[] = [];
  let seen = 0;
  for await (const batch of subscription) {
    batches.push(batch);
    seen += batch.length;
    if (seen >= count) return { batches, ended: 'counted' };
  }
  return { batches, ended: 'done' };
}

describe('KurrentDbSemanticsEventStore', () => {
  let store: KurrentDbSemanticsEventStore;

  const open = (options: KurrentDbSemanticsOptions = {}) => {
    store = new KurrentDbSemanticsEventStore(options);
    return store;
  };

  afterEach(() => store.close());

  describe('positions, as log byte offsets', () => {
    it('start far from 0 and leave irregular gaps between events and between commits', async () => {
      open();
      for (let i = 0; i < 10; i++) {
        await store.appendToStream(`s${i % 3}`, events(1 + (i % 3)), {
          expectedRevision: 'any',
          context,
        });
      }
      const positions = (await store.readAll({ maxCount: 100 })).map((e) => e.position);
      expect(positions[0]).toBeGreaterThan(1000n);
      const gaps = positions.slice(1).map((position, i) => position - positions[i]);
      expect(gaps.every((gap) => gap > 1n)).toBe(true);
      expect(new Set(gaps).size).toBeGreaterThan(3);
    });

    it('give one multi-stream commit a contiguous range, with gaps inside it too', async () => {
      open();
      await store.appendToStream('before', events(1), { expectedRevision: 'any', context });
      const { position } = await store.appendToStreams(
        [
          { streamName: 'x', expectedRevision: 'no_stream', events: events(2, 'X') },
          { streamName: 'y', expectedRevision: 'no_stream', events: events(1, 'Y') },
        ],
        { context },
      );
      await store.appendToStream('after', events(1), { expectedRevision: 'any', context });
      const all = await store.readAll();
      expect(all.map((e) => e.type)).toEqual(['E0', 'X0', 'X1', 'Y0', 'E0']);
      const [, x0, x1, y0] = all;
      expect(position).toBe(y0.position);
      expect(x1.position - x0.position).toBeGreaterThan(1n);
      expect(y0.position - x1.position).toBeGreaterThan(1n);
    });

    it('refuse reading, subscribing or counting after a position that is not an event’s', async () => {
      open();
      await store.appendToStream('s', events(3), { expectedRevision: 'any', context });
      const [first] = await store.readAll();
      for (const wrong of [first.position - 1n, first.position + 1n, -1n]) {
        await expect(store.readAll({ after: wrong })).rejects.toBeInstanceOf(InvalidPositionError);
        await expect(store.countEventsAfter(wrong, 10)).rejects.toBeInstanceOf(
          InvalidPositionError,
        );
        await expect(consume(store.subscribeToAll({ after: wrong }))).rejects.toBeInstanceOf(
          InvalidPositionError,
        );
      }
      expect(await store.readAll({ after: first.position })).toHaveLength(2);
      expect(await store.readAll({ after: START })).toHaveLength(3);
    });
  });

  it('refuses an append over maxAppendSize (data, metadata and type), writing nothing of it', async () => {
    open({ maxAppendSize: 1_500 });
    const blob = 'x'.repeat(700);
    const appends = [
      {
        streamName: 'a',
        expectedRevision: 'no_stream' as const,
        events: [{ type: 'A', data: { blob } }],
      },
      {
        streamName: 'b',
        expectedRevision: 'no_stream' as const,
        events: [{ type: 'B', data: { blob } }],
      },
    ];
    await expect(store.appendToStreams(appends, { context })).rejects.toBeInstanceOf(
      EventTooLargeError,
    );
    expect(await store.headPosition()).toBe(START);
    await expect(store.appendToStreams(appends.slice(0, 1), { context })).resolves.toMatchObject({
      revisions: [0n],
    });
  });

  it('answers at most a page of maxReadAllPage events, whatever maxCount asks', async () => {
    open({ maxReadAllPage: 4 });
    await store.appendToStream('s', events(10), { expectedRevision: 'any', context });
    expect(await store.readAll({ maxCount: 1000 })).toHaveLength(4);
    expect(await store.readAll({ maxCount: 3 })).toHaveLength(3);
    expect(await store.readAll({ maxCount: 0 })).toEqual([]);
  });

  it('counts the events after a position, at most up to the limit', async () => {
    open();
    await store.appendToStream('s', events(10), { expectedRevision: 'any', context });
    const all = await store.readAll();
    expect(await store.countEventsAfter(START, 100)).toBe(10);
    expect(await store.countEventsAfter(all[6].position, 100)).toBe(3);
    expect(await store.countEventsAfter(START, 4)).toBe(4);
    expect(await store.countEventsAfter(all[9].position, 100)).toBe(0);
  });

  describe('subscriptions', () => {
    it('hand over small batches of varying size, never more than maxBatchSize', async () => {
      open();
      await store.appendToStream('s', events(200), { expectedRevision: 'any', context });
      const { batches } = await consume(store.subscribeToAll({ maxBatchSize: 1000 }), 200);
      const sizes = batches.map((batch) => batch.length);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
      expect(new Set(sizes).size).toBeGreaterThan(3);
      const bounded = await consume(store.subscribeToAll({ maxBatchSize: 2 }), 200);
      expect(Math.max(...bounded.batches.map((batch) => batch.length))).toBe(2);
      expect(bounded.batches.flat()).toEqual(batches.flat());
    });

    it('catch up, then hand over appends made while they wait', async () => {
      open();
      await store.appendToStream('s', events(3), { expectedRevision: 'any', context });
      const seen = consume(store.subscribeToAll(), 5);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.appendToStream('s', events(2, 'L'), { expectedRevision: 2n, context });
      const { batches } = await seen;
      expect(batches.flat().map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'L0', 'L1']);
    });

    it('end without an error after endSubscriptionsAfter events, exactly there', async () => {
      open({ endSubscriptionsAfter: 9 });
      await store.appendToStream('s', events(20), { expectedRevision: 'any', context });
      const { batches, ended } = await consume(store.subscribeToAll());
      expect(ended).toBe('done');
      expect(batches.flat()).toHaveLength(9);
    });

    it('fail after failSubscriptionsAfter events, having handed over exactly those', async () => {
      open({ failSubscriptionsAfter: 9 });
      await store.appendToStream('s', events(20), { expectedRevision: 'any', context });
      const seen: StoredEvent[] = [];
      const iteration = (async () => {
        for await (const batch of store.subscribeToAll()) seen.push(...batch);
      })();
      await expect(iteration).rejects.toBeInstanceOf(EventStoreUnavailableError);
      expect(seen).toHaveLength(9);
    });

    it('end or fail when told to, even while waiting for appends', async () => {
      open();
      await store.appendToStream('s', events(2), { expectedRevision: 'any', context });
      const ending = consume(store.subscribeToAll());
      await new Promise((resolve) => setTimeout(resolve, 20));
      store.endAllSubscriptions();
      await expect(ending).resolves.toMatchObject({ ended: 'done' });

      const failing = consume(store.subscribeToAll());
      await new Promise((resolve) => setTimeout(resolve, 20));
      const lost = new Error('connection lost');
      store.failAllSubscriptions(lost);
      await expect(failing).rejects.toBe(lost);
    });
  });

  it('on close, finishes the appends in flight, ends subscriptions and refuses what follows', async () => {
    open();
    const subscription = consume(store.subscribeToAll());
    const append = store.appendToStream('s', events(2), { expectedRevision: 'any', context });
    await store.close();
    await expect(append).resolves.toMatchObject({ revision: 1n });
    await expect(subscription).resolves.toMatchObject({ ended: 'done' });
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(
      store.appendToStream('s', events(1), { expectedRevision: 'any', context }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(EventStoreUnavailableError);
  });

  it('chains events as the real adapters do: the audit verifies the log and every read model', async () => {
    Logger.overrideLogger(false);
    open();
    const readStore = new SqliteReadStore({ file: ':memory:' });
    const engine = new ProjectionEngine(store, readStore, PROJECTIONS, 100);
    try {
      const written = await appendProgrammeEvents(store, 2_000);
      await engine.start();
      const head = await store.headPosition();
      while (!engine.status().every((projection) => BigInt(projection.position) >= head)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await engine.stop();
      const report = await verifyLog(store, readStore, PROJECTIONS);
      expect(report.chains).toMatchObject({ findings: [], unchainedEvents: 0 });
      expect(report.chains.events).toBe(written);
      expect(report.ok).toBe(true);
    } finally {
      await engine.stop();
      await readStore.close();
      Logger.overrideLogger(['log', 'error', 'warn']);
    }
  }, 60_000);
});
