import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { SealingModule } from './audit/sealing/sealing.module';
import { appConfig } from './config/app.config';
import { EventStoreModule } from './event-store/event-store.module';
import { LoggingModule } from './observability/logging/logging.module';
import { ProjectionEngineModule } from './projection-engine/projection-engine.module';
import { ReadStoreModule } from './read-store/read-store.module';

/**
 * The root module of a projector process (PROCESS_ROLE=projector): the stores, the engine and
 * the periodic seals.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggingModule,
    EventStoreModule,
    ReadStoreModule,
    ProjectionEngineModule,
    SealingModule,
  ],
})
export class ProjectorModule {}
