import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { HealthProbe } from './health-probe';

/**
 * /health (liveness, with the stores and the projections' lag) and /health/ready (readiness).
 * Needs the event store and read store; uses the projection engine when this process runs it.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [HealthProbe],
  exports: [HealthProbe],
})
export class HealthModule {}
