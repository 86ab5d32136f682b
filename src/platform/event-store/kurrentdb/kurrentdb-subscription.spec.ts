import { Readable, type ReadableOptions } from 'node:stream';
import { UnavailableError, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/** A resolved event as the client yields it: only what the adapter reads. */
const resolved = (n: number) => ({
  event: {
    streamId: `s-${n}`,
    revision: 0n,
    position: { commit: BigInt(n), prepare: BigInt(n) },
    type: 'T',
    id: `e${n}`,
    data: {},
    metadata: { recordedAt: '2025-01-01T00:00:00.000Z' },
    created: new Date(0),
  },
});

/**
 * A client double whose subscription behaves as the client's does: an object-mode Readable built
 * with the readable options the adapter passes, the server's events arriving faster than read.
 */
function storeWithEvents(count: number) {
  const given: (ReadableOptions | undefined)[] = [];
  const streams: Readable[] = [];
  const client = {
    subscribeToAll(_options: unknown, readableOptions?: ReadableOptions) {
      given.push(readableOptions);
      let next = 1;
      const stream = new Readable({
        ...readableOptions,
        objectMode: true,
        read() {
          while (next <= count) if (!this.push(resolved(next++))) return;
        },
      });
      streams.push(stream);
      return Object.assign(stream, { unsubscribe: async () => stream.destroy() });
    },
  };
  return { store: new KurrentDbEventStore(client as unknown as KurrentDBClient), given, streams };
}

/** How the client reports a failure of the call: it emits 'error' on its subscription stream. */
const reportFailure = (stream: Readable) => () =>
  stream.emit('error', new UnavailableError(undefined));

describe('KurrentDB adapter: subscription batches', () => {
  it('fills batches up to maxBatchSize, not the client stream’s default buffer of 16', async () => {
    const { store, given } = storeWithEvents(1_000);
    const subscription = store.subscribeToAll({ maxBatchSize: 250 });
    const sizes: number[] = [];
    for await (const batch of subscription) {
      sizes.push(batch.length);
      if (sizes.reduce((sum, size) => sum + size, 0) >= 1_000) break;
    }
    expect(given).toEqual([{ highWaterMark: 250 }]);
    expect(Math.max(...sizes)).toBe(250);
    expect(sizes.length).toBeLessThanOrEqual(8);
  });

  it('a failure reported before the consumer iterates fails the iteration: no crash, no hang', async () => {
    const { store, streams } = storeWithEvents(0);
    const subscription = store.subscribeToAll();
    expect(reportFailure(streams[0])).not.toThrow();
    const iteration = (async () => {
      for await (const batch of subscription) void batch;
    })();
    await expect(iteration).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('close() resolves when the call never started, so the iteration’s own failure is the one reported', async () => {
    // The client's unsubscribe() awaits the call it never managed to open.
    const neverStarted = Object.assign(new Readable({ objectMode: true, read() {} }), {
      unsubscribe: () => Promise.reject(new UnavailableError(undefined)),
    });
    const client = { subscribeToAll: () => neverStarted };
    const store = new KurrentDbEventStore(client as unknown as KurrentDBClient);
    await expect(store.subscribeToAll().close()).resolves.toBeUndefined();
  });
});
