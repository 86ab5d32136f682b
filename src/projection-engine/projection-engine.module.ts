import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { ProjectionEngine } from './projection-engine';
import { ReadModels } from './read-models';

/**
 * Runs the projection engine in this process and gives query handlers the read models. The
 * engine stops before the stores close, after the batch in hand is committed.
 */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionEngine,
      inject: [EVENT_STORE, READ_STORE],
      useFactory: (eventStore: EventStore, readStore: ReadStore) =>
        new ProjectionEngine(eventStore, readStore, PROJECTIONS),
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
  constructor(@Inject(ProjectionEngine) private readonly engine: ProjectionEngine) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
