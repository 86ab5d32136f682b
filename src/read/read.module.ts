import { Module, type DynamicModule } from '@nestjs/common';
import { CommandHandlingModule } from '../platform/command-handling/command-handling.module';
import { ProjectionEngine } from '../platform/projection-engine/projection-engine';
import { READ_STORE, type ReadStore } from '../platform/read-store/read-store.port';
import type { ReadModel } from './read-model';
import { ReadModelQueryHandler } from './read-model-query';
import { ReadModels } from './read-models';

/** The read side over HTTP: each read model's routes, and the one query they all dispatch. */
@Module({})
export class ReadModule {
  static register(readModels: readonly ReadModel[]): DynamicModule {
    return {
      module: ReadModule,
      // The service's NIK key: a route that finds a recipient by NIK matches its keyed hash.
      imports: [CommandHandlingModule],
      controllers: readModels.flatMap((readModel) => readModel.routes),
      providers: [
        {
          provide: ReadModels,
          inject: [READ_STORE, ProjectionEngine],
          useFactory: (readStore: ReadStore, engine: ProjectionEngine) =>
            new ReadModels(readStore, (listener) => engine.onProgress(listener)),
        },
        ReadModelQueryHandler,
      ],
    };
  }
}
