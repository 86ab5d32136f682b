import { Logger } from '@nestjs/common';
import type { LogSealer } from './log-sealer';

/**
 * Seals the log after about every `everyEvents` events. It is told of events as the projection
 * engine commits them, so only the process holding the projection lease seals; a seal that fails
 * (the store is unavailable) is tried again at the next batch.
 */
export class PeriodicSealer {
  private readonly logger = new Logger('Audit');
  private sinceLastSeal = 0;
  private sealing?: Promise<void>;

  constructor(
    private readonly sealer: LogSealer,
    private readonly everyEvents: number,
  ) {}

  observe(events: number): void {
    this.sinceLastSeal += events;
    if (this.sealing || this.sinceLastSeal < this.everyEvents) return;
    this.sinceLastSeal = 0;
    this.sealing = this.sealer
      .seal()
      .then((seal) =>
        this.logger.log(
          `Sealed the log up to position ${seal.sealedPosition} (${seal.eventCount} events, log hash ${seal.logHash})`,
        ),
      )
      .catch((error: unknown) => {
        this.sinceLastSeal = this.everyEvents;
        this.logger.warn(`Sealing failed; retrying after the next batch: ${String(error)}`);
      })
      .finally(() => (this.sealing = undefined));
  }

  /** Waits for a seal in progress, so the stores are not closed under it. */
  async drain(): Promise<void> {
    await this.sealing;
  }
}
