import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { CLOCK, type Clock } from '../clock';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { processHolderId } from './lease-keeper';
import type { AnyProjection } from './projection';
import { ProjectionEngine } from './projection-engine';

/** The definitions this process's engine keeps up to date (health and audits read them too). */
export const PROJECTIONS = Symbol('Projections');

/**
 * Runs the projection engine over the given definitions in this process (unless it is an API
 * process). The engine runs while it holds the projection lease, so that of the processes sharing
 * the stores only one projects at a time. It stops before the stores close, after the batch in
 * hand is committed, and gives the lease up.
 */
@Module({})
export class ProjectionEngineModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  static forRoot(definitions: readonly AnyProjection[]): DynamicModule {
    return {
      module: ProjectionEngineModule,
      global: true,
      providers: [
        { provide: PROJECTIONS, useValue: definitions },
        {
          provide: ProjectionEngine,
          inject: [EVENT_STORE, READ_STORE, appConfig.KEY, CLOCK],
          useFactory: (
            eventStore: EventStore,
            readStore: ReadStore,
            config: AppConfig,
            clock: Clock,
          ) =>
            new ProjectionEngine(eventStore, readStore, definitions, undefined, {
              holder: processHolderId(),
              ttlMs: config.process.leaseTtlMs,
              renewEveryMs: config.process.leaseRenewMs,
              clock,
            }),
        },
      ],
      exports: [PROJECTIONS, ProjectionEngine],
    };
  }

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
