import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { appConfig } from './config/app.config';
import { EventStoreModule } from './event-store/event-store.module';
import { ProjectionEngineModule } from './projection-engine/projection-engine.module';
import { ReadStoreModule } from './read-store/read-store.module';

/** The root module of a projector process (PROCESS_ROLE=projector): the stores and the engine. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    EventStoreModule,
    ReadStoreModule,
    ProjectionEngineModule,
  ],
})
export class ProjectorModule {}
