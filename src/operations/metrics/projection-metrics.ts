import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { HealthProbe, type HealthSnapshot } from '../health/health-probe';
import { ProjectionEngine } from '../../platform/projection-engine/projection-engine';
import { ServiceMetrics } from './service-metrics';

/**
 * Projection lag and store availability, read at each scrape from the same snapshot as /health
 * (so any process reports them from the read store's checkpoints), and the events that this
 * process's engine applied, counted as its batches commit.
 */
@Injectable()
export class ProjectionMetrics implements OnModuleDestroy {
  private pending?: Promise<HealthSnapshot>;
  private readonly unsubscribe?: () => void;

  constructor(
    @Inject(ServiceMetrics) metrics: ServiceMetrics,
    private readonly probe: HealthProbe,
    @Optional() engine?: ProjectionEngine,
  ) {
    const snapshot = () => this.snapshot();
    new Gauge({
      name: 'bansos_projection_lag_seconds',
      help: 'Age of the oldest event a serving read model has not applied yet (0 when caught up)',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections.filter((p) => p.serving)) {
          this.set({ projection: p.name }, p.lagSeconds);
        }
      },
    });
    new Gauge({
      name: 'bansos_projection_lag_events',
      help: 'Head position minus the checkpoint of a serving read model',
      labelNames: ['projection'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const p of (await snapshot()).projections.filter((p) => p.serving)) {
          this.set({ projection: p.name }, Number(p.lagEvents));
        }
      },
    });
    new Gauge({
      name: 'bansos_store_up',
      help: 'Whether a store answered at the last scrape (1) or not (0)',
      labelNames: ['store'] as const,
      registers: [metrics.registry],
      async collect() {
        const { eventStore, readStore } = await snapshot();
        this.set({ store: 'event_store' }, eventStore.status === 'up' ? 1 : 0);
        this.set({ store: 'read_store' }, readStore.status === 'up' ? 1 : 0);
      },
    });
    this.unsubscribe = engine?.onProgress(({ projections, events }) => {
      for (const projection of projections) metrics.projectionEvents.inc({ projection }, events);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** One snapshot per scrape: the registry collects every gauge at once. */
  private snapshot(): Promise<HealthSnapshot> {
    this.pending ??= this.probe.snapshot().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }
}
