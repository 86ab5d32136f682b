import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PROJECTIONS } from '../../../projections';
import { appConfig, type AppConfig } from '../../config/app.config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { processHolderId } from './lease-keeper';
import { ProjectionEngine } from './projection-engine';
import { ReadModels } from './read-models';

/**
 * Runs the projection engine in this process (unless it is an API process) and gives query
 * handlers the read models. The engine runs while it holds the projection lease, so that of the
 * processes sharing the stores only one projects at a time. It stops before the stores close,
 * after the batch in hand is committed, and gives the lease up.
 */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionEngine,
      inject: [EVENT_STORE, READ_STORE, appConfig.KEY],
      useFactory: (eventStore: EventStore, readStore: ReadStore, config: AppConfig) =>
        new ProjectionEngine(eventStore, readStore, PROJECTIONS, undefined, {
          holder: processHolderId(),
          ttlMs: config.process.leaseTtlMs,
          renewEveryMs: config.process.leaseRenewMs,
        }),
    },
    {
      provide: ReadModels,
      inject: [READ_STORE, ProjectionEngine],
      useFactory: (readStore: ReadStore, engine: ProjectionEngine) =>
        new ReadModels(readStore, (listener) => engine.onProgress(listener)),
    },
  ],
  exports: [ProjectionEngine, ReadModels],
})
export class ProjectionEngineModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // An API process reads what the projector processes write, polling their checkpoints.
    if (this.config.process.role !== 'api') await this.engine.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
