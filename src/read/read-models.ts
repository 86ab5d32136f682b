import { ServiceUnavailableException } from '@nestjs/common';
import type { Checkpoint, ReadStore } from '../platform/read-store/read-store.port';

const POLL_MS = 20;
export const MAX_WAIT_MS = 5000;

export class ReadModelBehindException extends ServiceUnavailableException {
  constructor(readonly projection: string) {
    super({
      code: 'READ_MODEL_BEHIND',
      message: `The read model ${projection} has not caught up with minPosition yet; retry shortly`,
    });
  }
}

/**
 * What query handlers need from the projection side: the collection that serves a projection's
 * reads now, and read-your-writes — waiting (at most 5 s) until the projections have applied the
 * event at `minPosition`, the position a command answered.
 */
export class ReadModels {
  constructor(
    private readonly readStore: ReadStore,
    /** Called back when this process's engine commits, so a wait ends without polling delay. */
    private readonly onProgress: (listener: () => void) => () => void = () => () => undefined,
  ) {}

  /** The collection that serves `projection` now. */
  async collection(projection: string): Promise<string> {
    return (await this.serving(projection, undefined, 0)).collection;
  }

  /**
   * Runs a read on the collection that serves `projection`, once it has applied the event at
   * `minPosition` (waiting at most `maxWaitMs`, then 503). A rebuild may switch collections and
   * drop the old one between resolving it and reading it; the read then runs once more, on the new.
   */
  async read<Result>(
    projection: string,
    minPosition: bigint | undefined,
    read: (collection: string) => Promise<Result>,
    maxWaitMs = MAX_WAIT_MS,
  ): Promise<Result> {
    const { collection } = await this.serving(projection, minPosition, maxWaitMs);
    try {
      return await read(collection);
    } catch (error) {
      const now = await this.collection(projection);
      if (now === collection) throw error;
      return read(now);
    }
  }

  /** The serving checkpoint once it has passed `minPosition`. */
  private async serving(
    projection: string,
    minPosition: bigint | undefined,
    maxWaitMs: number,
  ): Promise<Checkpoint> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const checkpoints = await this.readStore.checkpoints(projection);
      const active = checkpoints.find((checkpoint) => checkpoint.status === 'active');
      if (active && (minPosition === undefined || active.position >= minPosition)) return active;
      const remaining = deadline - Date.now();
      if (minPosition === undefined || remaining <= 0)
        throw new ReadModelBehindException(projection);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(POLL_MS, remaining));
        const unsubscribe = this.onProgress(done);
        function done(): void {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      });
    }
  }
}
