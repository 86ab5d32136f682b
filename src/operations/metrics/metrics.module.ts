import { Global, Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module';
import { CommandMetrics } from './command-metrics';
import { MetricsController } from './metrics.controller';
import { ProjectionMetrics } from './projection-metrics';
import { ServiceMetrics } from './service-metrics';

/**
 * Prometheus metrics of this app: HTTP requests (see observeHttp), commands, appends (through
 * the CommandRunner), projection lag and events processed; served at GET /metrics.
 */
@Global()
@Module({
  imports: [HealthModule],
  controllers: [MetricsController],
  providers: [
    { provide: ServiceMetrics, useFactory: () => new ServiceMetrics() },
    CommandMetrics,
    ProjectionMetrics,
  ],
  exports: [ServiceMetrics],
})
export class MetricsModule {}
