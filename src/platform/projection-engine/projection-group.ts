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

/** A batch applied to the members still running: what to commit. */
interface AppliedBatch {
  writes: CollectionWrite[];
  /** The documents it changed, by collection. */
  documents: Map<string, WorkingSet>;
  /** The members it moves on to `last`. */
  advanced: GroupMember[];
  last: bigint;
  events: number;
}

/** A batch whose commit is under way. */
interface InFlight {
  /** Resolves once committed and its members moved on: false when the group must stop. */
  done: Promise<boolean>;
  /** What it writes, by collection: the next batch reads these rather than the store. */
  documents: Map<string, WorkingSet>;
}

/**
 * Projections at the same checkpoint share one subscription to `$all`. Each batch of events is
 * applied to every member, and all their documents are written with all their checkpoints in
 * one commit: a crash at any instant leaves each read model exactly at its checkpoint. A member
 * whose handler throws stops there, keeping its checkpoint; the others go on.
 *
 * While a batch is committed, the next is read and applied, on top of the documents the first
 * one writes: a store that commits off the main thread (SQLite's writer thread, MongoDB's
 * server) then works at the same time as the process. Commits stay one at a time, in order.
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
    let inFlight: InFlight | undefined;
    try {
      for await (const batch of this.subscription) {
        if (this.stopped) return;
        const applied = await this.applyBatch(batch, inFlight);
        if (inFlight && !(await inFlight.done)) return;
        if (!applied) return;
        inFlight = this.commit(applied);
        if (this.members.every((member) => member.failure)) return;
      }
      // Not asked to end: the store ended it (a leader change, a server restart). Rejecting lets
      // the engine restart the group from its checkpoint instead of leaving it stopped silently.
      if (!this.stopped) throw new SubscriptionEndedError();
    } finally {
      try {
        // The batch in hand is committed before the group stops, as when nothing overlapped.
        await inFlight?.done;
      } finally {
        await this.subscription.close();
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
  }

  /**
   * Applies a batch to every member still running, over the documents the batch before it is
   * committing; undefined when the group must stop (its plan no longer holds).
   */
  private async applyBatch(
    batch: readonly StoredEvent[],
    previous: InFlight | undefined,
  ): Promise<AppliedBatch | undefined> {
    const writes: CollectionWrite[] = [];
    const documents = new Map<string, WorkingSet>();
    const advanced: GroupMember[] = [];
    for (const member of this.members) {
      if (member.failure) continue;
      try {
        const pending = previous?.documents.get(member.collection);
        const { write, working } = await this.project(member, batch, pending);
        writes.push(write);
        documents.set(member.collection, working);
        advanced.push(member);
      } catch (error) {
        if (!(error instanceof ProjectionFailedError)) {
          // Its collection may have been replaced and dropped by a rebuild elsewhere.
          if (await this.replaced(member)) {
            if (!previous || (await previous.done)) this.replan();
            return undefined;
          }
          throw error;
        }
        member.failure = error;
        this.logger.error(
          `Projection ${member.definition.name} stopped at ${error.event.type} ` +
            `(position ${error.event.position}, stream ${error.event.streamName}): ${error.reason}`,
        );
      }
    }
    const last = batch[batch.length - 1].position;
    return { writes, documents, advanced, last, events: batch.length };
  }

  /** Starts committing an applied batch; its members move on once it is written. */
  private commit({ writes, documents, advanced, last, events }: AppliedBatch): InFlight {
    const advances: CheckpointAdvance[] = advanced.map((member) => ({
      collection: member.collection,
      from: member.position,
      to: last,
    }));
    const done = this.readStore.commit(writes, advances).then(
      async () => {
        for (const member of advanced) member.position = last;
        await this.promoteCaughtUp(last);
        this.events.committed(advanced, events);
        return true;
      },
      async (error: unknown) => {
        if (error instanceof CheckpointMovedError) return this.replan();
        // The group may be waiting for the next events: it ends now, with this error.
        await this.subscription?.close();
        throw error;
      },
    );
    // Awaited later, after the next batch is applied; a failure is not unhandled meanwhile.
    done.catch(() => undefined);
    return { done, documents };
  }

  private replan(): false {
    this.events.replanNeeded();
    return false;
  }

  private async replaced(member: GroupMember): Promise<boolean> {
    const checkpoints = await this.readStore.checkpoints(member.definition.name);
    return !checkpoints.some((checkpoint) => checkpoint.collection === member.collection);
  }

  /**
   * A member's documents after a batch: read from `pending` (what the batch before writes) or
   * else from the store, evolved, and the write of those that changed.
   */
  private async project(
    member: GroupMember,
    batch: readonly StoredEvent[],
    pending: WorkingSet | undefined,
  ): Promise<{ write: CollectionWrite; working: WorkingSet }> {
    const targets = targetsOf(member.definition, batch);
    const ids = [...new Set(targets.flatMap(([, documentIds]) => documentIds))];
    const unread = pending ? ids.filter((id) => !pending.has(id)) : ids;
    const documents: WorkingSet =
      unread.length > 0 ? await this.readStore.getMany(member.collection, unread) : new Map();
    for (const id of ids) {
      const written = pending?.get(id);
      if (written) documents.set(id, written);
    }
    const changed = applyEvents(member.definition, targets, documents);
    const write: CollectionWrite = { collection: member.collection, upserts: [], deletes: [] };
    const working: WorkingSet = new Map();
    for (const id of changed) {
      const changedDocument = documents.get(id) as WorkingDocument;
      working.set(id, changedDocument);
      const { position, document } = changedDocument;
      if (document) write.upserts.push({ id, position, document });
      else write.deletes.push(id);
    }
    return { write, working };
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
