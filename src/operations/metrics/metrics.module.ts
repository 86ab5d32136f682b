import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { WRAP_COMMAND_STORE } from '../../platform/command-handling/command-handling.module';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { CommandMetricsInterceptor } from './command-metrics';
import { MeasuredEventStore } from './measured-event-store';
import { MetricsController } from './metrics.controller';
import { ProjectionMetrics } from './projection-metrics';
import { ServiceMetrics } from './service-metrics';

/**
 * Prometheus metrics of this app: HTTP requests (see observeHttp), commands, appends (through
 * the CommandRunner's store), projection lag and events processed; served at GET /metrics.
 */
@Global()
@Module({
  imports: [HealthModule],
  controllers: [MetricsController],
  providers: [
    { provide: ServiceMetrics, useFactory: () => new ServiceMetrics() },
    CommandMetricsInterceptor,
    {
      provide: WRAP_COMMAND_STORE,
      inject: [ServiceMetrics],
      useFactory: (metrics: ServiceMetrics) => (store: EventStore) =>
        new MeasuredEventStore(store, metrics),
    },
    ProjectionMetrics,
  ],
  exports: [ServiceMetrics, CommandMetricsInterceptor, WRAP_COMMAND_STORE],
})
export class MetricsModule {}
