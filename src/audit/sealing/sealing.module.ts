import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { CLOCK, type Clock } from '../../platform/clock';
import { LEDGER_EVENT_STORE } from '../../platform/event-store/create-event-store';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { ProjectionEngine } from '../../platform/projection-engine/projection-engine';
import { LogSealer } from './log-sealer';
import { PeriodicSealer } from './periodic-sealer';

/**
 * Seals on demand (LogSealer, for the audit API) and, in the process that runs the projections,
 * every SEAL_EVERY_EVENTS events, every SEAL_EVERY_MS while events arrive, and on shutdown; each
 * seal anchored in SEAL_ANCHOR_FILE. Seals read the ledger's store: they cover the events' hashes
 * as stored, and need no personal data decrypted.
 */
@Module({
  providers: [
    {
      provide: LogSealer,
      inject: [LEDGER_EVENT_STORE, appConfig.KEY, CLOCK],
      useFactory: (eventStore: EventStore, config: AppConfig, clock: Clock) =>
        new LogSealer(eventStore, { anchorFile: config.sealAnchorFile, clock }),
    },
  ],
  exports: [LogSealer],
})
export class SealingModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private periodic?: PeriodicSealer;
  private unsubscribe?: () => void;

  constructor(
    @Inject(LogSealer) private readonly sealer: LogSealer,
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { sealEveryEvents, sealEveryMs } = this.config;
    if ((sealEveryEvents === 0 && sealEveryMs === 0) || this.config.process.role === 'api') return;
    // On the system clock, as its timer runs in real time: a test clock set days ahead would
    // make every batch look overdue and seal at once.
    const periodic = new PeriodicSealer(this.sealer, {
      everyEvents: sealEveryEvents,
      everyMs: sealEveryMs,
    });
    this.periodic = periodic;
    this.unsubscribe = this.engine.onProgress((batch) => periodic.observe(batch.events));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.periodic?.close();
  }
}
