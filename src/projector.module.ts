import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { SealingModule } from './audit/sealing/sealing.module';
import { appConfig } from './config/app.config';
import { EventStoreModule } from './platform/event-store/event-store.module';
import { PersonalDataModule } from './platform/personal-data/personal-data.module';
import { LoggingModule } from './operations/logging/logging.module';
import { PROJECTIONS } from '../projections';
import { ProjectionEngineModule } from './platform/projection-engine/projection-engine.module';
import { ReadStoreModule } from './platform/read-store/read-store.module';

/**
 * The root module of a projector process (PROCESS_ROLE=projector): the stores, the engine and
 * the periodic seals.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggingModule,
    // Before EventStoreModule: global modules shut down in reverse order, and the event store's
    // last appends still need the data keys.
    PersonalDataModule,
    EventStoreModule,
    ReadStoreModule,
    ProjectionEngineModule.forRoot(PROJECTIONS),
    SealingModule,
  ],
})
export class ProjectorModule {}
