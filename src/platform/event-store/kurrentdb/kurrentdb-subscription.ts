import type { AllStreamSubscription } from '@kurrent/kurrentdb-client';
import type { StoredEvent, Subscription } from '../event-store.port';
import { mapKurrentError } from './kurrentdb-errors';
import { positionOf, toStoredEvent } from './kurrentdb-events';

/**
 * Groups the client's event-by-event subscription into batches: a batch ends when it is full or
 * when nothing more is buffered, so live events are handed over at once. The client's stream
 * must buffer a whole batch (highWaterMark = maxBatchSize) for batches to fill.
 */
export class KurrentDbSubscription implements Subscription {
  constructor(
    private readonly source: AllStreamSubscription,
    private readonly after: bigint,
    private readonly maxBatchSize: number,
    private readonly onEnd: () => void = () => undefined,
  ) {
    // The client reports a failure by emitting 'error' on its stream, which only a listener
    // sees: one that comes before the consumer iterates would be thrown as an uncaught exception
    // (or, were it merely swallowed, leave the iteration waiting forever). Destroying the stream
    // with it keeps it for the iteration, which then fails.
    source.on('error', (error) => source.destroy(error));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly StoredEvent[]> {
    let batch: StoredEvent[] = [];
    try {
      for await (const resolved of this.source) {
        const event = resolved.event;
        if (event && positionOf(event) > this.after) batch.push(toStoredEvent(event));
        if (
          batch.length > 0 &&
          (batch.length >= this.maxBatchSize || this.source.readableLength === 0)
        ) {
          yield batch;
          batch = [];
        }
      }
    } catch (error) {
      throw mapKurrentError(error, { position: this.after });
    } finally {
      this.onEnd();
    }
  }

  /**
   * Cancels the call. The client's unsubscribe() rejects when the call never started (its
   * channel could not be opened): then there is nothing to cancel, and the consumer, which
   * closes in a `finally`, must see the failure its iteration met, not this one.
   */
  async close(): Promise<void> {
    this.onEnd();
    await this.source.unsubscribe().catch(() => undefined);
  }
}
