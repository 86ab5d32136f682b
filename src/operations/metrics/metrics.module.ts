import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { APPEND_OBSERVER } from '../../platform/command-handling/command-runner';
import { AppendMetrics } from './append-metrics';
import { CommandMetricsInterceptor } from './command-metrics';
import { MetricsController } from './metrics.controller';
import { ProjectionMetrics } from './projection-metrics';
import { ServiceMetrics } from './service-metrics';

/**
 * Prometheus metrics of this app: HTTP requests (see observeHttp), commands, appends (timed by
 * the CommandRunner), projection lag and events processed; served at GET /metrics.
 */
@Global()
@Module({
  imports: [HealthModule],
  controllers: [MetricsController],
  providers: [
    { provide: ServiceMetrics, useFactory: () => new ServiceMetrics() },
    CommandMetricsInterceptor,
    {
      provide: APPEND_OBSERVER,
      inject: [ServiceMetrics],
      useFactory: (metrics: ServiceMetrics) => new AppendMetrics(metrics),
    },
    ProjectionMetrics,
  ],
  exports: [ServiceMetrics, CommandMetricsInterceptor, APPEND_OBSERVER],
})
export class MetricsModule {}
