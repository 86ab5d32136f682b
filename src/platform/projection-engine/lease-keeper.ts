import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { systemClock, type Clock } from '../clock';
import type { LeaseStore } from '../read-store/read-store.port';

export interface LeaseOptions {
  /** This process among those sharing the read store; `processHolderId()` by default. */
  holder: string;
  /** How long the lease lasts unless renewed: how soon a standby takes over from a dead holder. */
  ttlMs: number;
  /** How often the holder renews it and a standby tries to take it; well under `ttlMs`. */
  renewEveryMs: number;
}

export interface LeaseState {
  name: string;
  /** This process's holder id. */
  holder: string;
  /** Whether this process holds the lease (and so does the work) now. */
  holding: boolean;
  /** Until when this process's hold lasts without another renewal, while it holds it. */
  expiresAt?: string;
}

export interface LeaseEvents {
  /** The lease was taken: start the work. */
  gained(): Promise<void>;
  /** The lease could not be renewed: stop the work, another process may hold it now. */
  lost(): Promise<void>;
}

const LATE = Symbol('late');

/** Host, process id and a random part: readable in logs, unique even when a pid is reused. */
export function processHolderId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/**
 * Keeps a lease in the read store while it runs: takes it when it is free or has expired, renews
 * it every `renewEveryMs` while held, and reports when it is gained and lost. A renewal that fails
 * for any reason (another process took the lease, the store did not answer in time) counts as
 * lost: the work stops, and the next tick tries to take the lease again. Being wrong that way
 * costs a restart; the other way round it would cost two processes doing the same work.
 */
export class LeaseKeeper {
  private readonly logger = new Logger('Projections');
  private holding = false;
  private expiresAt?: Date;
  private timer?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private stopped = false;
  /** Said once per spell of standing by, not at every tick. */
  private announcedStandby = false;

  constructor(
    private readonly leases: LeaseStore,
    private readonly name: string,
    private readonly options: LeaseOptions,
    private readonly events: LeaseEvents,
    /** The store's clock: the expiry reported after a renewal is reckoned as the store does. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Resolves after the first attempt: with the work started when the lease was free. */
  async start(): Promise<void> {
    await this.runTick();
    if (!this.stopped)
      this.timer = setInterval(() => {
        // A failure to stop or start the work must not end the process: the next tick retries.
        this.runTick().catch((error: unknown) =>
          this.logger.error(`Projection lease tick failed: ${String(error)}`),
        );
      }, this.options.renewEveryMs);
  }

  /** Stops renewing and trying; the lease stays held until `release()`. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.tick;
  }

  /** Gives the lease up (after the work stopped), so that a standby takes over without waiting. */
  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    try {
      await this.leases.releaseLease(this.name, this.options.holder);
      this.logger.log('Released the projection lease');
    } catch (error) {
      this.logger.warn(`Could not release the projection lease; it expires: ${messageOf(error)}`);
    }
  }

  status(): LeaseState {
    return {
      name: this.name,
      holder: this.options.holder,
      holding: this.holding,
      ...(this.holding && this.expiresAt ? { expiresAt: this.expiresAt.toISOString() } : {}),
    };
  }

  /** One tick at a time: a slow store makes ticks skip, never pile up. */
  private runTick(): Promise<void> {
    if (this.stopped || this.tick) return this.tick ?? Promise.resolve();
    this.tick = this.keep().finally(() => {
      this.tick = undefined;
    });
    return this.tick;
  }

  private async keep(): Promise<void> {
    const { holder, ttlMs, renewEveryMs } = this.options;
    if (this.holding) {
      const asked = this.clock.now().getTime();
      const renewed = await this.within(renewEveryMs, 'renew', () =>
        this.leases.renewLease(this.name, holder, ttlMs),
      );
      if (renewed) {
        this.expiresAt = new Date(asked + ttlMs);
        return;
      }
      this.holding = false;
      this.expiresAt = undefined;
      this.logger.warn('Lost the projection lease; the projections stop here');
      await this.events.lost();
    }
    if (this.stopped) return;
    const lease = await this.within(renewEveryMs, 'take', () =>
      this.leases.acquireLease(this.name, holder, ttlMs),
    );
    if (!lease) {
      if (!this.announcedStandby) {
        const current = await this.leases.lease(this.name).catch(() => null);
        this.logger.log(
          `Standing by: the projection lease is held by ${current?.holder ?? 'another process'}`,
        );
        this.announcedStandby = true;
      }
      return;
    }
    this.holding = true;
    this.expiresAt = lease.expiresAt;
    this.announcedStandby = false;
    this.logger.log(`Took the projection lease as ${holder}; the projections run here`);
    await this.events.gained();
  }

  /** The store's answer, or null when it fails or takes longer than `ms`. */
  private async within<T>(ms: number, what: string, call: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => resolve(LATE), ms);
    });
    try {
      const answer = await Promise.race([call(), late]);
      if (answer !== LATE) return answer;
      this.logger.warn(`No answer in time to ${what} the projection lease`);
    } catch (error) {
      this.logger.warn(`Could not ${what} the projection lease: ${messageOf(error)}`);
    } finally {
      clearTimeout(timer);
    }
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
