import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock';
import { appConfig, type AppConfig } from '../../config/app.config';
import { EVENT_STORE, type EventStore } from '../../platform/event-store/event-store.port';
import {
  ProjectionEngine,
  type ProjectionStatus,
} from '../../platform/projection-engine/projection-engine';
import type { LeaseState } from '../../platform/projection-engine/lease-keeper';
import type { AnyProjection } from '../../platform/projection-engine/projection';
import { PROJECTIONS } from '../../platform/projection-engine/projection-engine.module';
import {
  READ_STORE,
  type Checkpoint,
  type ReadStore,
} from '../../platform/read-store/read-store.port';

export interface ProjectionHealth extends ProjectionStatus {
  /** Whether this collection serves reads now (the others are versions being built beside it). */
  serving: boolean;
  /**
   * How many events the projection has not applied yet, counted up to LAG_COUNT_CAP (then that
   * number, meaning "at least"): positions are byte offsets on KurrentDB, so their difference
   * would say nothing about events.
   */
  lagEvents: string;
  /** How long the oldest event not yet applied has been waiting; 0 when caught up. */
  lagSeconds: number;
}

export interface StoreHealth {
  adapter: string;
  status: 'up' | 'down';
  error?: string;
}

export interface HealthSnapshot {
  eventStore: StoreHealth & { headPosition?: string };
  readStore: StoreHealth;
  /** Every checkpoint of a defined projection; empty while either store does not answer. */
  projections: ProjectionHealth[];
  /** The projection lease as this process sees it, unless it serves the API only. */
  projectionLease?: LeaseState;
}

/**
 * Counting the events behind a checkpoint reads them (on KurrentDB, over the network): the count
 * stops here, so that a probe of a rebuild far behind stays cheap.
 */
export const LAG_COUNT_CAP = 10_000;

/**
 * What the stores and read models look like from this process. Lag comes from the checkpoints in
 * the read store, so every process answers alike, whether or not it runs the projection engine;
 * where it does, the engine adds what only it knows (a projection stopped at an event, retrying).
 */
@Injectable()
export class HealthProbe {
  private readonly defined: ReadonlySet<string>;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly config: Pick<AppConfig, 'process'>,
    @Inject(PROJECTIONS) projections: readonly Pick<AnyProjection, 'name'>[],
    @Optional() private readonly engine?: ProjectionEngine,
  ) {
    this.defined = new Set(projections.map((definition) => definition.name));
  }

  /** The projections this process defines, by name. */
  get projectionNames(): string[] {
    return [...this.defined];
  }

  async snapshot(): Promise<HealthSnapshot> {
    const [head, checkpoints] = await Promise.all([
      settle(this.eventStore.headPosition()),
      settle(this.readStore.checkpoints()),
    ]);
    const snapshot: HealthSnapshot = {
      eventStore: { adapter: this.eventStore.adapter, status: 'up' },
      readStore: { adapter: this.readStore.adapter, status: 'up' },
      projections: [],
    };
    const lease = this.config.process.role === 'api' ? null : this.engine?.leaseStatus();
    if (lease) snapshot.projectionLease = lease;
    if ('error' in checkpoints) {
      snapshot.readStore = { ...snapshot.readStore, status: 'down', error: checkpoints.error };
    }
    if ('error' in head) {
      snapshot.eventStore = { ...snapshot.eventStore, status: 'down', error: head.error };
      return snapshot;
    }
    snapshot.eventStore.headPosition = head.value.toString();
    if ('error' in checkpoints) return snapshot;
    const projections = await settle(this.projections(checkpoints.value, head.value));
    if ('error' in projections) {
      // Only the event store is read here: it stopped answering since the head was read.
      snapshot.eventStore = { ...snapshot.eventStore, status: 'down', error: projections.error };
    } else {
      snapshot.projections = projections.value;
    }
    return snapshot;
  }

  private async projections(
    checkpoints: readonly Checkpoint[],
    head: bigint,
  ): Promise<ProjectionHealth[]> {
    const running = new Map(this.engine?.status().map((status) => [status.collection, status]));
    // Projections usually share a checkpoint: look up the events waiting once per position.
    const since = oncePerPosition((position) => this.oldestAfter(position));
    const behindBy = oncePerPosition((position) =>
      this.eventStore.countEventsAfter(position, LAG_COUNT_CAP),
    );
    const now = this.clock.now().getTime();
    const rows = checkpoints.filter((checkpoint) => this.defined.has(checkpoint.projection));
    const projections = await Promise.all(
      rows.map(async (checkpoint): Promise<ProjectionHealth> => {
        const engine = running.get(checkpoint.collection);
        const behind = checkpoint.position < head;
        const [oldest, waiting] = behind
          ? await Promise.all([since(checkpoint.position), behindBy(checkpoint.position)])
          : [null, 0];
        return {
          name: checkpoint.projection,
          version: checkpoint.version,
          collection: checkpoint.collection,
          status: engine?.status ?? checkpoint.status,
          serving: checkpoint.status === 'active',
          position: checkpoint.position.toString(),
          ...(engine?.error ? { error: engine.error } : {}),
          ...(engine?.failure ? { failure: engine.failure } : {}),
          lagEvents: String(waiting),
          lagSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
        };
      }),
    );
    return projections.sort(
      (a, b) => a.name.localeCompare(b.name) || a.collection.localeCompare(b.collection),
    );
  }

  /** When the first event after `position` was recorded (ms), or null when there is none. */
  private async oldestAfter(position: bigint): Promise<number | null> {
    const [waiting] = await this.eventStore.readAll({ after: position, maxCount: 1 });
    return waiting ? Date.parse(waiting.metadata.recordedAt) : null;
  }
}

type Settled<T> = { value: T } | { error: string };

/** A store that hangs counts as down, so that a probe always answers before its own timeout. */
const PROBE_TIMEOUT_MS = 3000;

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No answer within ${PROBE_TIMEOUT_MS / 1000} s`)),
      PROBE_TIMEOUT_MS,
    );
  });
  try {
    return { value: await Promise.race([promise, timeout]) };
  } catch (error) {
    return { error: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Calls `look` once for each position, answering later calls with the same promise. */
function oncePerPosition<T>(
  look: (position: bigint) => Promise<T>,
): (position: bigint) => Promise<T> {
  const answers = new Map<bigint, Promise<T>>();
  return (position) => {
    let answer = answers.get(position);
    if (!answer) answers.set(position, (answer = look(position)));
    return answer;
  };
}
