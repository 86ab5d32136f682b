import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { WriteModule } from './write/write.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './http/auth/auth.module';
import { DrainingModule } from './http/draining';
import { CommandHandlingModule } from './platform/command-handling/command-handling.module';
import { HealthModule } from './operations/health/health.module';
import { IdempotencyModule } from './http/idempotency/idempotency.module';
import { ReadModule } from './read/read.module';
import { PROJECTIONS, READ_MODELS } from '../projections';
import { appConfig } from './config/app.config';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventStoreModule } from './platform/event-store/event-store.module';
import { PersonalDataModule } from './platform/personal-data/personal-data.module';
import { LoggingModule } from './operations/logging/logging.module';
import { MetricsModule } from './operations/metrics/metrics.module';
import { ProjectionEngineModule } from './platform/projection-engine/projection-engine.module';
import { ReadStoreModule } from './platform/read-store/read-store.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggingModule,
    CqrsModule.forRoot(),
    // Before EventStoreModule: global modules shut down in reverse order, and the event store's
    // last appends still need the data keys.
    PersonalDataModule,
    EventStoreModule,
    ReadStoreModule,
    ProjectionEngineModule.forRoot(PROJECTIONS),
    CommandHandlingModule,
    AuthModule,
    DrainingModule,
    IdempotencyModule,
    HealthModule,
    MetricsModule,
    WriteModule,
    ReadModule.register(READ_MODELS),
    AuditModule,
    DashboardModule,
  ],
})
export class AppModule {}
