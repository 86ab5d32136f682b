import type { StoredEvent } from '../event-store.port';
import { PollingSubscription, type PollingSource } from './polling-subscription';

function fakeEvent(position: number): StoredEvent {
  return {
    streamName: 's-1',
    revision: BigInt(position - 1),
    position: BigInt(position),
    type: 'E',
    data: {},
    metadata: {
      eventId: `e${position}`,
      actor: 'a',
      correlationId: 'c',
      causationId: 'c',
      commandId: 'c',
      recordedAt: '2025-01-01T00:00:00.000Z',
      schemaVersion: 1,
      hash: `h${position}`,
      previousHash: null,
    },
  };
}

describe('PollingSubscription', () => {
  it('reads the next page only when the consumer asks for the next batch', async () => {
    const reads: bigint[] = [];
    const source: PollingSource = {
      readPage: async (after, maxCount) => {
        reads.push(after);
        const first = Number(after) + 1;
        return Array.from({ length: maxCount }, (_, i) => fakeEvent(first + i));
      },
      waitForAppend: async () => undefined,
    };
    const subscription = new PollingSubscription(source, 0n, 2, 10);
    const iterator = subscription[Symbol.asyncIterator]();

    const first = await iterator.next();
    expect(first.value.map((e: StoredEvent) => e.position)).toEqual([1n, 2n]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toEqual([0n]);

    const second = await iterator.next();
    expect(second.value.map((e: StoredEvent) => e.position)).toEqual([3n, 4n]);
    expect(reads).toEqual([0n, 2n]);

    await subscription.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('waits for an append when caught up, then reads on from where it stopped', async () => {
    const pages = [[fakeEvent(1)], [], [fakeEvent(2)]];
    const reads: bigint[] = [];
    let waits = 0;
    const source: PollingSource = {
      readPage: async (after) => {
        reads.push(after);
        return pages.shift() ?? [];
      },
      waitForAppend: async () => {
        waits++;
      },
    };
    const subscription = new PollingSubscription(source, 0n, 10, 10);
    const seen: bigint[] = [];
    for await (const batch of subscription) {
      seen.push(...batch.map((e) => e.position));
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1n, 2n]);
    expect(reads).toEqual([0n, 1n, 1n]);
    expect(waits).toBe(1);
  });

  it('lets the process run between pages while it catches up', async () => {
    // Pages ready at once, as SQLite's are: without a turn of the event loop between them, a
    // catch-up would hold the process (requests, timers, worker messages) until the head.
    const source: PollingSource = {
      readPage: async (after) => [fakeEvent(Number(after) + 1)],
      waitForAppend: async () => undefined,
    };
    const subscription = new PollingSubscription(source, 0n, 1, 10);
    let timerRan = false;
    setImmediate(() => (timerRan = true));
    const pagesBeforeTimer: bigint[] = [];
    for await (const batch of subscription) {
      if (timerRan) break;
      pagesBeforeTimer.push(batch[0].position);
      if (pagesBeforeTimer.length > 100) break;
    }
    await subscription.close();
    expect(timerRan).toBe(true);
    expect(pagesBeforeTimer.length).toBeLessThanOrEqual(2);
  });

  it('can be iterated only once', () => {
    const source: PollingSource = {
      readPage: async () => [],
      waitForAppend: async () => undefined,
    };
    const subscription = new PollingSubscription(source, 0n, 10, 10);
    subscription[Symbol.asyncIterator]();
    expect(() => subscription[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
