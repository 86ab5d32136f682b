import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { AidProgrammeModule } from './application/aid-programme.module';
import { AuditModule } from './application/audit/audit.module';
import { AuthModule } from './application/auth/auth.module';
import { DrainingModule } from './application/http/draining';
import { CommandHandlingModule } from './application/command-handling/command-handling.module';
import { HealthModule } from './application/health/health.module';
import { IdempotencyModule } from './application/idempotency/idempotency.module';
import { ReadModelsModule } from './application/read-models.module';
import { appConfig } from './config/app.config';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventStoreModule } from './event-store/event-store.module';
import { LoggingModule } from './observability/logging/logging.module';
import { MetricsModule } from './observability/metrics/metrics.module';
import { ProjectionEngineModule } from './projection-engine/projection-engine.module';
import { ReadStoreModule } from './read-store/read-store.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggingModule,
    CqrsModule.forRoot(),
    EventStoreModule,
    ReadStoreModule,
    ProjectionEngineModule,
    CommandHandlingModule,
    AuthModule,
    DrainingModule,
    IdempotencyModule,
    HealthModule,
    MetricsModule,
    AidProgrammeModule,
    ReadModelsModule,
    AuditModule,
    DashboardModule,
  ],
})
export class AppModule {}
