import { START, type EventStore, type StoredEvent } from '../platform/event-store/event-store.port';

export interface LogReadOptions {
  /** Start after this position; START (the whole log) by default. */
  after?: bigint;
  /** Stop at this position; the head when the read begins by default. */
  until?: bigint;
  /** Called after each page with the position reached, for progress bars. */
  onPage?: (position: bigint) => void;
  pageSize?: number;
}

/**
 * Every event of the store, a page at a time in position order, up to the head as it was when
 * the read began: an audit describes one moment, not a moving target.
 */
export async function* readLog(
  eventStore: EventStore,
  { after = START, until, onPage, pageSize = 5000 }: LogReadOptions = {},
): AsyncGenerator<readonly StoredEvent[]> {
  const head = until ?? (await eventStore.headPosition());
  while (after < head) {
    const page = await eventStore.readAll({ after, maxCount: pageSize });
    if (page.length === 0) return;
    const upToHead = page.filter((event) => event.position <= head);
    if (upToHead.length > 0) yield upToHead;
    after = page[page.length - 1].position;
    onPage?.(after);
    // The embedded store reads synchronously: let requests and timers in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
