import { Logger } from '@nestjs/common';
import { systemClock, type Clock } from '../../platform/clock';
import type { LogSealer } from './log-sealer';

export interface PeriodicSealerOptions {
  /** Seal after this many events; 0: not by count. */
  everyEvents: number;
  /** Seal at least this often while events arrive; 0: not by time. */
  everyMs: number;
}

/**
 * Seals the log after about every `everyEvents` events, and once `everyMs` has passed since the
 * last seal if events arrived meanwhile (a timer, so a quiet hour after the last event still gets
 * its seal), and once more on shutdown. It is told of events as the projection engine commits
 * them, so only the process holding the projection lease seals; a seal that fails (the store is
 * unavailable) is tried again at the next batch, or when the period is up again.
 */
export class PeriodicSealer {
  private readonly logger = new Logger('Audit');
  /** Events since the last seal began. */
  private pending = 0;
  private lastSealAt: number;
  private retry = false;
  /** Seals this sealer made whose own LogSealed event has not come by yet: not new events. */
  private ownSeals = 0;
  private closed = false;
  private sealing?: Promise<void>;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly sealer: LogSealer,
    private readonly options: PeriodicSealerOptions,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastSealAt = this.clock.now().getTime();
  }

  observe(batch: number): void {
    const own = Math.min(this.ownSeals, batch);
    this.ownSeals -= own;
    const events = batch - own;
    if (events <= 0) return;
    this.pending += events;
    const { everyEvents } = this.options;
    if (this.retry || (everyEvents > 0 && this.pending >= everyEvents)) this.sealNow();
    else this.arm();
  }

  /** Waits for a seal in progress, then seals what arrived since, so the stores can close. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sealing;
    if (this.pending > 0) this.sealNow();
    await this.sealing;
  }

  /** Waits for a seal in progress. */
  async drain(): Promise<void> {
    await this.sealing;
  }

  private sealNow(): void {
    if (this.sealing) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const sealed = this.pending;
    this.pending = 0;
    this.retry = false;
    this.lastSealAt = this.clock.now().getTime();
    this.sealing = this.sealer
      .seal()
      .then((seal) => {
        this.ownSeals++;
        this.logger.log(
          `Sealed the log up to position ${seal.sealedPosition} (${seal.eventCount} events, log hash ${seal.logHash})`,
        );
      })
      .catch((error: unknown) => {
        this.pending += sealed;
        this.retry = true;
        this.logger.warn(
          `Sealing failed; retrying at the next batch or when the period is up: ${String(error)}`,
        );
      })
      .finally(() => {
        this.sealing = undefined;
        if (this.pending > 0) this.arm();
      });
  }

  /** Starts the timer of the time trigger, unless it runs already or is off. */
  private arm(): void {
    if (this.options.everyMs === 0 || this.timer || this.sealing || this.closed) return;
    const delay = Math.max(0, this.lastSealAt + this.options.everyMs - this.clock.now().getTime());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending > 0) this.sealNow();
    }, delay);
    // A pending seal must not keep a process alive that is otherwise done.
    this.timer.unref?.();
  }
}
