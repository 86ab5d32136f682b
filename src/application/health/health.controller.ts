import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { ProjectionEngine, type ProjectionStatus } from '../../projection-engine/projection-engine';
import { Public } from '../auth/roles.decorator';

export interface ProjectionHealth extends ProjectionStatus {
  /** Head position minus checkpoint (on the embedded store, exactly the events not yet applied). */
  lagEvents: string;
  /** How long the oldest event not yet applied has been waiting; 0 when caught up. */
  lagSeconds: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  eventStore: { adapter: string; status: 'up' | 'down'; headPosition?: string; error?: string };
  projections: ProjectionHealth[];
}

@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly engine: ProjectionEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 200 while the event store answers (`degraded` when a projection has stopped at an event, or is
   * retrying after a failure, naming the error); 503 with the same report when the event store
   * does not answer.
   */
  @Get()
  async health(): Promise<HealthReport> {
    const adapter = this.eventStore.adapter;
    let head: bigint;
    try {
      head = await this.eventStore.headPosition();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableException({
        status: 'unavailable',
        eventStore: { adapter, status: 'down', error: message },
        projections: [],
      } satisfies HealthReport);
    }
    const projections = await Promise.all(
      this.engine.status().map((status) => this.withLag(status, head)),
    );
    return {
      status: projections.some((p) => p.status === 'stopped' || p.status === 'retrying')
        ? 'degraded'
        : 'ok',
      eventStore: { adapter, status: 'up', headPosition: head.toString() },
      projections,
    };
  }

  private async withLag(status: ProjectionStatus, head: bigint): Promise<ProjectionHealth> {
    const position = BigInt(status.position);
    if (position >= head) return { ...status, lagEvents: '0', lagSeconds: 0 };
    const [waiting] = await this.eventStore.readAll({ after: position, maxCount: 1 });
    const since = waiting ? Date.parse(waiting.metadata.recordedAt) : this.clock.now().getTime();
    return {
      ...status,
      lagEvents: (head - position).toString(),
      lagSeconds: Math.max(0, (this.clock.now().getTime() - since) / 1000),
    };
  }
}
