import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StoredEvent, Subscription } from '../event-store.port';

export interface PollingSource {
  readPage(after: bigint, maxCount: number): Promise<StoredEvent[]>;
  /** Resolves at the next append seen by this process, or after `timeoutMs` at the latest. */
  waitForAppend(timeoutMs: number, cancel: AbortSignal): Promise<void>;
}

/**
 * Catch-up then live over a store that can only be read in pages: read until a page comes back
 * empty, then wait for an append signal or the poll interval (appends by other processes give no
 * signal here), and read again.
 *
 * After a full page, the next is read in a turn of the event loop of its own. A page read from
 * SQLite is ready at once, so a catch-up would otherwise run from its first page to the head
 * without ever letting the process do anything else: no request answered, no timer run, no
 * message from the read store's writer thread taken in.
 */
export class PollingSubscription implements Subscription {
  private readonly stop = new AbortController();
  private started = false;

  constructor(
    private readonly source: PollingSource,
    private readonly after: bigint,
    private readonly maxBatchSize: number,
    private readonly pollIntervalMs: number,
    private readonly onClose: () => void = () => undefined,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<readonly StoredEvent[]> {
    if (this.started) throw new Error('A subscription can be iterated only once');
    this.started = true;
    return this.batches();
  }

  /** Ends the iteration at its next step; does not wait for the consumer's current batch. */
  async close(): Promise<void> {
    this.stop.abort();
    this.onClose();
  }

  private async *batches(): AsyncGenerator<readonly StoredEvent[]> {
    let after = this.after;
    while (!this.stop.signal.aborted) {
      const page = await this.source.readPage(after, this.maxBatchSize);
      if (page.length > 0) {
        after = page[page.length - 1].position;
        yield page;
        // A full page: more wait behind it, as in a catch-up. A live page is followed at once,
        // as before: yielding after it too let requests go first and doubled the live lag.
        if (page.length >= this.maxBatchSize) await nextTurn();
      } else {
        await this.source.waitForAppend(this.pollIntervalMs, this.stop.signal);
      }
    }
  }
}
