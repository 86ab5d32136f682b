import { Logger } from '@nestjs/common';
import type { Clock } from '../clock';
import type { EventStore } from '../event-store/event-store.port';
import type { Checkpoint, ReadStore } from '../read-store/read-store.port';
import type { ProjectionFailedError } from './apply-events';
import { LeaseKeeper, type LeaseOptions, type LeaseState } from './lease-keeper';
import { collectionOf, type AnyProjection } from './projection';
import { ProjectionGroup, type GroupMember } from './projection-group';

export interface ProjectionStatus {
  name: string;
  version: number;
  collection: string;
  /** `retrying`: its group failed (a store unreachable, a subscription dropped) and restarts. */
  status: 'active' | 'building' | 'stopped' | 'retrying';
  position: string;
  error?: string;
  failure?: { position: string; type: string; streamName: string; error: string };
}

/** One committed batch: how many events it held and the projections that applied them. */
export interface CommittedBatch {
  projections: readonly string[];
  events: number;
}

/**
 * How far behind the head (in events) a collection must start for its indexes to wait until it
 * catches up: below it, keeping them up row by row costs little.
 */
export const DEFER_INDEXES_BEHIND = 10_000n;

/** The lease that lets one process run the projections. */
export const PROJECTION_LEASE = 'projections';

/**
 * Runs every projection from its checkpoint: catch-up, then live. Projections at the same
 * checkpoint share one subscription (a group); a new version starts a group of its own at
 * position 0, building beside the version that serves reads until it catches up. When another
 * process moves a checkpoint under a group (a rebuild from the CLI), or a group fails for any
 * reason but a handler's, the engine plans again from the checkpoints as they are, waiting longer
 * after each failure in a row (1 s, doubling, up to 30 s).
 *
 * Given lease options, it runs the projections only while it holds the projection lease in the
 * read store, so that of several projector processes one works and the others stand by, ready to
 * take over once the holder's lease expires (see docs/scale-out.md). Starting, stopping and
 * planning the groups again happen one after another, never interleaved.
 */
export class ProjectionEngine {
  private readonly logger = new Logger('Projections');
  private groups: ProjectionGroup[] = [];
  private runs: Promise<void>[] = [];
  private stopping = false;
  /** Whether this engine may run groups: it holds the lease, or runs without one. */
  private running = false;
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly keeper?: LeaseKeeper;
  private replanning?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  private failuresInARow = 0;
  private readonly listeners = new Set<(batch: CommittedBatch) => void>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly definitions: readonly AnyProjection[],
    /** Events per batch: per commit of documents and checkpoints. */
    private readonly batchSize = 1000,
    /** Run only while holding the projection lease; without, run unconditionally. */
    lease?: LeaseOptions & { clock?: Clock },
  ) {
    if (lease) {
      this.keeper = new LeaseKeeper(
        readStore,
        PROJECTION_LEASE,
        lease,
        {
          gained: () => this.serially(() => this.begin()),
          lost: () => this.serially(() => this.halt()),
        },
        lease.clock,
      );
    }
  }

  /**
   * Without a lease: resolves with every group running. With one: resolves after the first try
   * to take it, with the groups running when it was free; otherwise the engine stands by.
   */
  async start(): Promise<void> {
    if (this.keeper) return this.keeper.start();
    this.running = true;
    await this.serially(() => this.startGroups());
  }

  /** Stops after the batch in hand is committed, then gives the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.keeper?.stop();
    await this.serially(() => this.stopGroups());
    await this.replanning;
    await this.keeper?.release();
  }

  /** Null when the engine runs without a lease. */
  leaseStatus(): LeaseState | null {
    return this.keeper?.status() ?? null;
  }

  status(): ProjectionStatus[] {
    return this.groups.flatMap((group) =>
      group.members.map((member) => ({
        name: member.definition.name,
        version: member.definition.version,
        collection: member.collection,
        status: member.failure ? 'stopped' : group.error ? 'retrying' : member.status,
        position: member.position.toString(),
        ...(group.error ? { error: group.error } : {}),
        ...(member.failure ? { failure: describe(member.failure) } : {}),
      })),
    );
  }

  /** Calls back after every committed batch, until the returned function is called. */
  onProgress(listener: (batch: CommittedBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The lease was taken: run; a failure to plan is retried like any other. */
  private async begin(): Promise<void> {
    this.running = true;
    try {
      await this.startGroups();
    } catch (error) {
      this.logger.error(
        `Planning the projections failed; trying again: ${(error as Error).message}`,
      );
      this.scheduleRestart();
    }
  }

  /** The lease was lost: stop, and leave the checkpoints to whoever holds it now. */
  private async halt(): Promise<void> {
    this.running = false;
    await this.stopGroups();
    this.groups = [];
    this.runs = [];
  }

  private async stopGroups(): Promise<void> {
    await Promise.all(this.groups.map((group) => group.stop()));
    await Promise.all(this.runs);
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async startGroups(): Promise<void> {
    if (this.stopping || !this.running) return;
    const members = await Promise.all(
      this.definitions.map((definition) => this.prepare(definition)),
    );
    if (this.stopping || !this.running) return;
    const byPosition = new Map<bigint, GroupMember[]>();
    for (const member of members) {
      byPosition.set(member.position, [...(byPosition.get(member.position) ?? []), member]);
    }
    this.groups = [...byPosition.values()].map(
      (group) =>
        new ProjectionGroup(
          this.eventStore,
          this.readStore,
          group,
          {
            committed: (advanced, events) =>
              this.notify({ projections: advanced.map((m) => m.definition.name), events }),
            replanNeeded: () => void this.replan(),
          },
          this.batchSize,
        ),
    );
    this.runs = this.groups.map((group) =>
      group.run().catch((error: unknown) => {
        group.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.logger.error(
          `A projection group failed; it restarts from its checkpoint: ${group.error}`,
        );
        this.scheduleRestart();
      }),
    );
  }

  private notify(batch: CommittedBatch): void {
    this.failuresInARow = 0;
    for (const listener of this.listeners) listener(batch);
  }

  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer) return;
    const delay = Math.min(30_000, 1000 * 2 ** this.failuresInARow);
    this.failuresInARow++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.replan();
    }, delay);
  }

  private replan(): Promise<void> {
    if (this.stopping || this.replanning) return this.replanning ?? Promise.resolve();
    if (!this.running) return Promise.resolve();
    this.logger.log('Planning the projection groups again from their checkpoints');
    this.replanning = this.serially(async () => {
      await this.stopGroups();
      await this.startGroups();
    })
      .catch((error: unknown) => {
        this.logger.error(
          `Planning the projections failed; trying again: ${(error as Error).message}`,
        );
        this.scheduleRestart();
      })
      .finally(() => {
        this.replanning = undefined;
      });
    return this.replanning;
  }

  /**
   * The checkpoint this definition runs from: the active collection of its version, else one being
   * built for its version, else a new one from position 0 — built beside whatever serves now.
   */
  private async prepare(definition: AnyProjection): Promise<GroupMember> {
    const existing = await this.readStore.checkpoints(definition.name);
    const ofVersion = existing.filter((row) => row.version === definition.version);
    let checkpoint =
      ofVersion.find((row) => row.status === 'active') ??
      ofVersion.find((row) => row.status === 'building');
    // Builds for other versions are abandoned; one for this version may be a rebuild in progress.
    for (const stale of existing) {
      if (stale.status === 'building' && stale.version !== definition.version) {
        await this.readStore.dropCollection(stale.collection);
      }
    }
    // The collection exists before any checkpoint names it, so no reader finds one without it.
    const collection = checkpoint?.collection ?? collectionOf(definition);
    const serving = existing.some((row) => row.status === 'active');
    const head = await this.eventStore.headPosition();
    // Built beside the one serving, nobody reads it before its promotion: its indexes can wait.
    // So can those of a collection that starts far behind the head: they are built once over
    // every row when it catches up, queries meanwhile answering without their help. A store
    // keeps the indexes of a collection that has had them.
    const deferIndexes =
      (checkpoint ? checkpoint.status === 'building' : serving) ||
      head - (checkpoint?.position ?? 0n) > DEFER_INDEXES_BEHIND;
    await this.readStore.ensureCollection(
      { name: collection, indexes: definition.indexes },
      { deferIndexes },
    );
    if (!checkpoint) {
      checkpoint = {
        projection: definition.name,
        collection,
        version: definition.version,
        position: 0n,
        status: serving ? 'building' : 'active',
      } satisfies Checkpoint;
      await this.readStore.createCheckpoint(checkpoint);
      if (serving) {
        this.logger.log(
          `Projection ${definition.name} v${definition.version} is being built beside the one serving`,
        );
      }
    }
    if (deferIndexes && checkpoint.position >= head) {
      await this.readStore.promote(checkpoint.collection);
      checkpoint = { ...checkpoint, status: 'active' };
    }
    return {
      definition,
      collection: checkpoint.collection,
      position: checkpoint.position,
      status: checkpoint.status,
      indexesDeferred: deferIndexes && checkpoint.position < head,
    };
  }
}

function describe(failure: ProjectionFailedError): NonNullable<ProjectionStatus['failure']> {
  return {
    position: failure.event.position.toString(),
    type: failure.event.type,
    streamName: failure.event.streamName,
    error: failure.reason,
  };
}
