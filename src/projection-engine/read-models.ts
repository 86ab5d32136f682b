import { ServiceUnavailableException } from '@nestjs/common';
import type { ReadStore } from '../read-store/read-store.port';

const POLL_MS = 20;
export const MAX_WAIT_MS = 5000;

export class ReadModelBehindException extends ServiceUnavailableException {
  constructor(readonly projections: readonly string[]) {
    super({
      code: 'READ_MODEL_BEHIND',
      message: `The read model (${projections.join(', ')}) has not caught up with minPosition yet; retry shortly`,
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

  async collection(projection: string): Promise<string> {
    const checkpoints = await this.readStore.checkpoints(projection);
    const active = checkpoints.find((checkpoint) => checkpoint.status === 'active');
    if (!active) throw new ReadModelBehindException([projection]);
    return active.collection;
  }

  /**
   * Runs a read on the collection that serves `projection`. A rebuild may switch collections and
   * drop the old one between resolving it and reading it; the read is then run once more, on the
   * new one.
   */
  async read<Result>(
    projection: string,
    read: (collection: string) => Promise<Result>,
  ): Promise<Result> {
    const collection = await this.collection(projection);
    try {
      return await read(collection);
    } catch (error) {
      const now = await this.collection(projection);
      if (now === collection) throw error;
      return read(now);
    }
  }

  /** Resolves once every named projection has passed `minPosition`; 503 after the wait. */
  async waitFor(
    projections: readonly string[],
    minPosition: bigint | undefined,
    maxWaitMs = MAX_WAIT_MS,
  ): Promise<void> {
    if (minPosition === undefined || minPosition <= 0n) return;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      if (await this.reached(projections, minPosition)) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ReadModelBehindException(projections);
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

  private async reached(projections: readonly string[], minPosition: bigint): Promise<boolean> {
    const checkpoints = await this.readStore.checkpoints();
    return projections.every((projection) =>
      checkpoints.some(
        (checkpoint) =>
          checkpoint.projection === projection &&
          checkpoint.status === 'active' &&
          checkpoint.position >= minPosition,
      ),
    );
  }
}
