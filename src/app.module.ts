import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthModule } from './application/health/health.module';
import { appConfig } from './config/app.config';
import { EventStoreModule } from './event-store/event-store.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    CqrsModule.forRoot(),
    EventStoreModule,
    HealthModule,
  ],
})
export class AppModule {}
