import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { appConfig, type AppConfig } from '../../config/app.config';
import { ApiPublic } from '../../http/api-responses';
import { Public } from '../../http/auth/roles.decorator';
import { HealthProbe, type HealthSnapshot, type StoreHealth } from './health-probe';
import { projectionReadiness } from './readiness';
import { HealthReport as HealthReportAnswer, Liveness, Readiness } from './health.responses';

export type { ProjectionHealth } from './health-probe';

export interface HealthReport extends HealthSnapshot {
  /** `degraded`: a projection stopped at an event or retrying; `unavailable`: a store is down. */
  status: 'ok' | 'degraded' | 'unavailable';
}

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly probe: HealthProbe,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  /**
   * Liveness: 200 whenever the process serves requests, with what it sees of the stores and of
   * each projection's position, status and lag (`status` sums it up).
   */
  @Get()
  @ApiPublic({
    operationId: 'getHealth',
    summary: 'Liveness with the stores’ and projections’ status and lag',
    answer: HealthReportAnswer,
  })
  async live(): Promise<HealthReport> {
    const snapshot = await this.probe.snapshot();
    return { status: summary(snapshot), ...snapshot };
  }

  /**
   * Liveness for an orchestrator: 200 while the event loop turns, without asking the stores (a
   * slow store must make the process unready, not get it restarted).
   */
  @Get('live')
  @ApiPublic({
    operationId: 'getLiveness',
    summary: 'Liveness for an orchestrator, without asking the stores',
    answer: Liveness,
  })
  alive(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: 200 when both stores answer and every read model serves within
   * READY_MAX_LAG_SECONDS of the event store, not stopped; otherwise (and while shutting down)
   * 503 NOT_READY naming what is wrong, with Retry-After.
   */
  @Get('ready')
  @ApiPublic({
    operationId: 'getReadiness',
    summary: 'Readiness: both stores answer and every read model is within READY_MAX_LAG_SECONDS',
    description:
      '503 NOT_READY (with Retry-After) names what is wrong; its body also carries Terminus’s ' +
      '`status`, `info` and `details`.',
    answer: Readiness,
    errors: { 503: ['NOT_READY'] },
  })
  @HealthCheck({ swaggerDocumentation: false })
  async ready(): Promise<HealthCheckResult> {
    const snapshot = await this.probe.snapshot();
    const { maxLagSeconds, ...projections } = projectionReadiness(
      snapshot,
      this.config.observability.readyMaxLagSeconds,
      this.probe.projectionNames,
    );
    const servingLag = Math.max(
      0,
      ...snapshot.projections.filter((p) => p.serving).map((p) => p.lagSeconds),
    );
    try {
      return await this.health.check([
        () => this.store('eventStore', snapshot.eventStore),
        () => this.store('readStore', snapshot.readStore),
        () =>
          projections.ready
            ? this.indicators.check('projections').up({ maxLagSeconds, lagSeconds: servingLag })
            : this.indicators
                .check('projections')
                .down({ maxLagSeconds, problems: projections.problems }),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const { status, info, details } = error.getResponse() as HealthCheckResult;
      throw new ServiceUnavailableException({
        code: 'NOT_READY',
        message: `Not ready: ${whyNot(status, details)}`,
        status,
        info,
        details,
      });
    }
  }

  private store(key: 'eventStore' | 'readStore', { status, ...data }: StoreHealth) {
    const check = this.indicators.check(key);
    return status === 'up' ? check.up(data) : check.down(data);
  }
}

function summary(snapshot: HealthSnapshot): HealthReport['status'] {
  if (snapshot.eventStore.status === 'down' || snapshot.readStore.status === 'down') {
    return 'unavailable';
  }
  return snapshot.projections.some((p) => p.status === 'stopped' || p.status === 'retrying')
    ? 'degraded'
    : 'ok';
}

function whyNot(
  status: HealthCheckResult['status'],
  details: HealthCheckResult['details'],
): string {
  if (status === 'shutting_down') return 'shutting down';
  return Object.entries(details)
    .filter(([, result]) => result.status === 'down')
    .map(([key, result]) => {
      const { error, problems } = result as { error?: string; problems?: string[] };
      return `${key} (${problems?.join('; ') ?? error ?? 'down'})`;
    })
    .join(', ');
}
