import { Logger } from '@nestjs/common';
import type { EventStore, StoredEvent, Subscription } from '../event-store/event-store.port';
import {
  CheckpointMovedError,
  type CheckpointAdvance,
  type CollectionWrite,
  type ReadStore,
} from '../read-store/read-store.port';
import {
  applyEvents,
  ProjectionFailedError,
  targetsOf,
  type WorkingDocument,
  type WorkingSet,
} from './apply-events';
import type { AnyProjection } from './projection';

/** One projection as a group runs it: where its documents go and how far it has come. */
export interface GroupMember {
  definition: AnyProjection;
  collection: string;
  position: bigint;
  status: 'active' | 'building';
  /** Its collection's indexes wait until it catches up (it started far behind the head). */
  indexesDeferred?: boolean;
  failure?: ProjectionFailedError;
}

export interface GroupEvents {
  /** After each committed batch (`events` long): positions moved, waiters may be released. */
  committed(members: readonly GroupMember[], events: number): void;
  /** Another process moved a checkpoint (a rebuild, another projector): plan again. */
  replanNeeded(): void;
}

/** The event store ended a subscription that the group had not closed. */
export class SubscriptionEndedError extends Error {
  override readonly name = 'SubscriptionEndedError';

  constructor() {
    super('The event store ended the subscription without an error');
  }
}

/**
 * Projections at the same checkpoint share one subscription to `$all`. Each batch of events is
 * applied to every member, and all their documents are written with all their checkpoints in
 * one commit: a crash at any instant leaves each read model exactly at its checkpoint. A member
 * whose handler throws stops there, keeping its checkpoint; the others go on.
 */
export class ProjectionGroup {
  private readonly logger = new Logger('Projections');
  private subscription?: Subscription;
  private stopped = false;
  /** Why the group stopped running, when it did so other than by a handler's failure. */
  error?: string;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    readonly members: GroupMember[],
    private readonly events: GroupEvents,
    private readonly batchSize = 1000,
  ) {}

  /**
   * Runs until stopped; resolves when the subscription has ended. Rejects with
   * SubscriptionEndedError when the store ended it without being asked to.
   */
  async run(): Promise<void> {
    const after = this.members[0].position;
    this.subscription = this.eventStore.subscribeToAll({ after, maxBatchSize: this.batchSize });
    try {
      for await (const batch of this.subscription) {
        if (this.stopped) return;
        if (!(await this.apply(batch))) return;
        if (this.members.every((member) => member.failure)) return;
      }
      // Not asked to end: the store ended it (a leader change, a server restart). Rejecting lets
      // the engine restart the group from its checkpoint instead of leaving it stopped silently.
      if (!this.stopped) throw new SubscriptionEndedError();
    } finally {
      await this.subscription.close();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
  }

  /** Applies and commits one batch; false when the group must stop. */
  private async apply(batch: readonly StoredEvent[]): Promise<boolean> {
    const last = batch[batch.length - 1].position;
    const writes: CollectionWrite[] = [];
    const advances: CheckpointAdvance[] = [];
    const advanced: GroupMember[] = [];
    for (const member of this.members) {
      if (member.failure) continue;
      try {
        writes.push(await this.project(member, batch));
        advances.push({ collection: member.collection, from: member.position, to: last });
        advanced.push(member);
      } catch (error) {
        if (!(error instanceof ProjectionFailedError)) {
          // Its collection may have been replaced and dropped by a rebuild elsewhere.
          if (await this.replaced(member)) return this.replan();
          throw error;
        }
        member.failure = error;
        this.logger.error(
          `Projection ${member.definition.name} stopped at ${error.event.type} ` +
            `(position ${error.event.position}, stream ${error.event.streamName}): ${error.reason}`,
        );
      }
    }
    try {
      await this.readStore.commit(writes, advances);
    } catch (error) {
      if (!(error instanceof CheckpointMovedError)) throw error;
      return this.replan();
    }
    for (const member of advanced) member.position = last;
    await this.promoteCaughtUp(last);
    this.events.committed(advanced, batch.length);
    return true;
  }

  private replan(): false {
    this.events.replanNeeded();
    return false;
  }

  private async replaced(member: GroupMember): Promise<boolean> {
    const checkpoints = await this.readStore.checkpoints(member.definition.name);
    return !checkpoints.some((checkpoint) => checkpoint.collection === member.collection);
  }

  private async project(
    member: GroupMember,
    batch: readonly StoredEvent[],
  ): Promise<CollectionWrite> {
    const targets = targetsOf(member.definition, batch);
    const ids = [...new Set(targets.flatMap(([, documentIds]) => documentIds))];
    const documents: WorkingSet =
      ids.length > 0 ? await this.readStore.getMany(member.collection, ids) : new Map();
    const changed = applyEvents(member.definition, targets, documents);
    const write: CollectionWrite = { collection: member.collection, upserts: [], deletes: [] };
    for (const id of changed) {
      const { position, document } = documents.get(id) as WorkingDocument;
      if (document) write.upserts.push({ id, position, document });
      else write.deletes.push(id);
    }
    return write;
  }

  /**
   * A read model built beside the one serving takes over once it has reached the head; one that
   * serves already gets the indexes it waited with.
   */
  private async promoteCaughtUp(position: bigint): Promise<void> {
    const waiting = this.members.filter(
      (member) => (member.status === 'building' || member.indexesDeferred) && !member.failure,
    );
    if (waiting.length === 0 || position < (await this.eventStore.headPosition())) return;
    for (const member of waiting) {
      const { name, version } = member.definition;
      await this.readStore.promote(member.collection);
      member.indexesDeferred = false;
      if (member.status === 'active') {
        this.logger.log(`Projection ${name} v${version} caught up and has its indexes built`);
        continue;
      }
      member.status = 'active';
      this.logger.log(`Projection ${name} v${version} caught up and now serves reads`);
    }
  }
}
