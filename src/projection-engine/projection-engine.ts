import { Logger } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store.port';
import type { Checkpoint, ReadStore } from '../read-store/read-store.port';
import type { ProjectionFailedError } from './apply-events';
import { collectionOf, type ProjectionDefinition } from './projection';
import { ProjectionGroup, type GroupMember } from './projection-group';

export interface ProjectionStatus {
  name: string;
  version: number;
  collection: string;
  status: 'active' | 'building' | 'stopped';
  position: string;
  failure?: { position: string; type: string; streamName: string; error: string };
}

/**
 * Runs every projection from its checkpoint: catch-up, then live. Projections at the same
 * checkpoint share one subscription (a group); a new version starts a group of its own at
 * position 0, building beside the version that serves reads until it catches up. When another
 * process moves a checkpoint under a group (a rebuild from the CLI), the engine plans again from
 * the checkpoints as they now are.
 */
export class ProjectionEngine {
  private readonly logger = new Logger('Projections');
  private groups: ProjectionGroup[] = [];
  private runs: Promise<void>[] = [];
  private stopping = false;
  private replanning?: Promise<void>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly definitions: readonly ProjectionDefinition[],
    /** Events per batch: per commit of documents and checkpoints. */
    private readonly batchSize = 1000,
  ) {}

  async start(): Promise<void> {
    const members = await Promise.all(
      this.definitions.map((definition) => this.prepare(definition)),
    );
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
          { committed: () => this.notify(), replanNeeded: () => void this.replan() },
          this.batchSize,
        ),
    );
    this.runs = this.groups.map((group) =>
      group.run().catch((error: unknown) => {
        this.logger.error(
          `A projection group ended: ${error instanceof Error ? error.message : String(error)}`,
        );
      }),
    );
  }

  /** Stops after the batch in hand is committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.groups.map((group) => group.stop()));
    await Promise.all(this.runs);
    await this.replanning;
  }

  status(): ProjectionStatus[] {
    return this.groups
      .flatMap((group) => group.members)
      .map((member) => ({
        name: member.definition.name,
        version: member.definition.version,
        collection: member.collection,
        status: member.failure ? 'stopped' : member.status,
        position: member.position.toString(),
        ...(member.failure ? { failure: describe(member.failure) } : {}),
      }));
  }

  /** Calls back after every committed batch, until the returned function is called. */
  onProgress(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private replan(): Promise<void> {
    if (this.stopping || this.replanning) return this.replanning ?? Promise.resolve();
    this.logger.log('A checkpoint moved under a projection group; planning again');
    this.replanning = (async () => {
      await Promise.all(this.groups.map((group) => group.stop()));
      await Promise.all(this.runs);
      if (!this.stopping) await this.start();
    })().finally(() => {
      this.replanning = undefined;
    });
    return this.replanning;
  }

  /**
   * The checkpoint this definition runs from: the active collection of its version, else one being
   * built for its version, else a new one from position 0 — built beside whatever serves now.
   */
  private async prepare(definition: ProjectionDefinition): Promise<GroupMember> {
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
    if (!checkpoint) {
      const serving = existing.some((row) => row.status === 'active');
      checkpoint = {
        projection: definition.name,
        collection: collectionOf(definition),
        version: definition.version,
        position: 0n,
        status: serving ? 'building' : 'active',
      } satisfies Checkpoint;
      await this.readStore.ensureCollection({
        name: checkpoint.collection,
        indexes: definition.indexes,
      });
      await this.readStore.createCheckpoint(checkpoint);
      if (serving) {
        this.logger.log(
          `Projection ${definition.name} v${definition.version} is being built beside the one serving`,
        );
      }
    }
    await this.readStore.ensureCollection({
      name: checkpoint.collection,
      indexes: definition.indexes,
    });
    if (
      checkpoint.status === 'building' &&
      checkpoint.position >= (await this.eventStore.headPosition())
    ) {
      await this.readStore.promote(checkpoint.collection);
      checkpoint = { ...checkpoint, status: 'active' };
    }
    return {
      definition,
      collection: checkpoint.collection,
      position: checkpoint.position,
      status: checkpoint.status,
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
