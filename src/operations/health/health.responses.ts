import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LeaseState } from '../../platform/projection-engine/lease-keeper';
import { LAG_COUNT_CAP, type ProjectionHealth, type StoreHealth } from './health-probe';
import type { HealthReport as HealthReportShape } from './health.controller';

/** The answers of GET /health, /health/live and /health/ready (health.controller.ts). */

class StoreStatus implements StoreHealth {
  @ApiProperty({ example: 'sqlite' })
  adapter!: string;

  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why it is down' })
  error?: string;
}

class EventStoreStatus extends StoreStatus {
  @ApiPropertyOptional({ description: 'The position of the last event' })
  headPosition?: string;
}

class ProjectionFailure {
  @ApiProperty()
  position!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty()
  streamName!: string;

  @ApiProperty()
  error!: string;
}

class ProjectionStatus implements ProjectionHealth {
  @ApiProperty({ example: 'quota-progress' })
  name!: string;

  @ApiProperty({ type: 'integer' })
  version!: number;

  @ApiProperty()
  collection!: string;

  @ApiProperty({ enum: ['active', 'building', 'stopped', 'retrying'] })
  status!: ProjectionHealth['status'];

  @ApiProperty({ description: 'The last event applied' })
  position!: string;

  @ApiPropertyOptional()
  error?: string;

  @ApiPropertyOptional({ type: () => ProjectionFailure, description: 'The event it stopped at' })
  failure?: ProjectionFailure;

  @ApiProperty({ description: 'Whether this collection serves reads now' })
  serving!: boolean;

  @ApiProperty({
    description: `Events not applied yet, counted up to ${LAG_COUNT_CAP} ("at least")`,
  })
  lagEvents!: string;

  @ApiProperty({ description: 'How long the oldest event not applied has waited; 0: caught up' })
  lagSeconds!: number;
}

class ProjectionLease implements LeaseState {
  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'This process’s holder id' })
  holder!: string;

  @ApiProperty({ description: 'Whether this process holds the lease (runs the projections)' })
  holding!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  expiresAt?: string;
}

export class HealthReport implements HealthReportShape {
  @ApiProperty({
    enum: ['ok', 'degraded', 'unavailable'],
    description: 'degraded: a projection stopped or retrying; unavailable: a store is down',
  })
  status!: HealthReportShape['status'];

  @ApiProperty({ type: () => EventStoreStatus })
  eventStore!: EventStoreStatus;

  @ApiProperty({ type: () => StoreStatus })
  readStore!: StoreStatus;

  @ApiProperty({ type: () => [ProjectionStatus] })
  projections!: ProjectionStatus[];

  @ApiPropertyOptional({
    type: () => ProjectionLease,
    description: 'Unless the process serves the API only',
  })
  projectionLease?: ProjectionLease;
}

export class Liveness {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

/** An indicator of /health/ready: `up` or `down`, with what it measured. */
const INDICATORS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object' as const,
    required: ['status'],
    properties: { status: { type: 'string' as const, enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

export class Readiness {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ ...INDICATORS, description: 'eventStore, readStore and projections, each up' })
  info!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS, description: 'Empty when ready' })
  error!: Record<string, { status: string }>;

  @ApiProperty({ ...INDICATORS })
  details!: Record<string, { status: string }>;
}
