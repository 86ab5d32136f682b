import type { EventStore, StoredEvent } from '../../platform/event-store/event-store.port';
import { applyEvents, targetsOf } from '../../platform/projection-engine/apply-events';
import type { AnyProjection } from '../../platform/projection-engine/projection';
import type { ReadStore, StoredDocument } from '../../platform/read-store/read-store.port';
import { readLog } from '../event-log';
import { CompactDocumentSet } from './compact-document-set';
import { diffDocuments, type FieldDifference } from './document-diff';

export interface DocumentDifference extends FieldDifference {
  collection: string;
  id: string;
}

export interface ReadModelReport {
  projection: string;
  collection: string;
  /** The stored read model's checkpoint: the events up to it are replayed. */
  checkpoint: string;
  documentsCompared: number;
  /** Stored documents changed by events after the checkpoint while the check ran: not compared. */
  documentsMovedOn: number;
  differenceCount: number;
  /** The first differences, up to a limit; `differenceCount` counts them all. */
  differences: DocumentDifference[];
}

/** The field named when a stored document stops before an event that changes it. */
export const POSITION_FIELD = '(position)';

const LISTED = 1000;
const PAGE = 5000;

type Targets = [StoredEvent, readonly string[]][];

/**
 * Recomputes one read model in memory with its projection's own definition and compares it with
 * the stored one, field by field, within a bounded memory. A stored document records the position
 * of the last event applied to it; once the replay has applied that event, the recomputed twin is
 * complete, so the two are compared then and the twin is forgotten. Documents still in progress
 * are kept as JSON text when not touched lately.
 */
export class ReadModelCheck {
  private readonly documents = new CompactDocumentSet();
  /** For each document in progress: its stored position, or null when the store has none. */
  private readonly storedPositions = new Map<string, bigint | null>();
  /** Documents completed earlier that a later event changed again: reported once, then left. */
  private readonly diverged = new Set<string>();
  private storedSeen = 0;
  /** The stored read model's checkpoint had passed ours when the remaining documents were read. */
  private movedSince = false;
  private readonly report: ReadModelReport;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly definition: AnyProjection,
    private readonly collection: string,
    private readonly checkpoint: bigint,
  ) {
    this.report = {
      projection: definition.name,
      collection,
      checkpoint: checkpoint.toString(),
      documentsCompared: 0,
      documentsMovedOn: 0,
      differenceCount: 0,
      differences: [],
    };
  }

  async add(events: readonly StoredEvent[]): Promise<void> {
    const targets = targetsOf(this.definition, this.applicable(events));
    if (targets.length === 0) return;
    const firstTouch = new Map<string, bigint>();
    for (const [event, ids] of targets) {
      for (const id of ids) if (!firstTouch.has(id)) firstTouch.set(id, event.position);
    }
    const unknown = [...firstTouch.keys()].filter(
      (id) => !this.storedPositions.has(id) && !this.diverged.has(id),
    );
    const fetched = await this.readStore.getMany(this.collection, unknown);
    for (const id of unknown) {
      const stored = fetched.get(id);
      const touchedAt = firstTouch.get(id) ?? 0n;
      if (stored && stored.position < touchedAt) {
        // Completed and compared already, yet changed again: the stored document stops short.
        this.diverged.add(id);
        this.differ(id, {
          field: POSITION_FIELD,
          stored: stored.position.toString(),
          recomputed: touchedAt.toString(),
        });
      } else {
        this.storedPositions.set(id, stored ? stored.position : null);
      }
    }
    applyEvents(this.definition, this.without(targets, this.diverged), this.documents);
    const complete: string[] = [];
    for (const id of firstTouch.keys()) {
      const storedPosition = this.storedPositions.get(id);
      const position = this.documents.get(id)?.position;
      const known = storedPosition !== null && storedPosition !== undefined;
      if (known && position !== undefined && position >= storedPosition) {
        complete.push(id);
      }
    }
    const refetch = complete.filter((id) => !fetched.has(id));
    const stored =
      refetch.length > 0
        ? await this.readStore.getMany(this.collection, refetch)
        : new Map<string, StoredDocument>();
    for (const id of complete) this.settle(id, fetched.get(id) ?? stored.get(id));
  }

  /** Compares the documents still in progress, then looks for stored documents nothing made. */
  async finish(): Promise<ReadModelReport> {
    // A live projector may have moved on meanwhile, deleting documents the replay still holds.
    const live = (await this.readStore.checkpoints(this.definition.name)).find(
      (checkpoint) => checkpoint.collection === this.collection,
    );
    this.movedSince = (live?.position ?? this.checkpoint) > this.checkpoint;
    const ids = [...this.storedPositions.keys()].sort();
    for (let start = 0; start < ids.length; start += PAGE) {
      const page = ids.slice(start, start + PAGE);
      const stored = await this.readStore.getMany(this.collection, page);
      for (const id of page) this.settle(id, stored.get(id));
    }
    const storedCount = await this.readStore.count(this.collection);
    if (storedCount > this.storedSeen) await this.findExtras(await this.producedIds());
    return this.report;
  }

  private settle(id: string, stored: StoredDocument | undefined): void {
    const working = this.documents.take(id);
    this.storedPositions.delete(id);
    if (
      stored &&
      working &&
      working.position > stored.position &&
      stored.position <= this.checkpoint
    ) {
      // Stopped short of an event that changed it, as when that event came in a later page.
      this.differ(id, {
        field: POSITION_FIELD,
        stored: stored.position.toString(),
        recomputed: working.position.toString(),
      });
    }
    this.compare(id, stored, working?.document ?? null);
  }

  private applicable(events: readonly StoredEvent[]): readonly StoredEvent[] {
    const last = events.at(-1);
    if (!last || last.position <= this.checkpoint) return events;
    return events.filter((event) => event.position <= this.checkpoint);
  }

  private without(targets: Targets, ids: ReadonlySet<string>): Targets {
    if (ids.size === 0) return targets;
    return targets.map(([event, targetIds]) => [event, targetIds.filter((id) => !ids.has(id))]);
  }

  private compare(id: string, stored: StoredDocument | undefined, recomputed: object | null): void {
    if (stored) this.storedSeen++;
    const gone = !stored && recomputed !== null && this.movedSince;
    if ((stored && stored.position > this.checkpoint) || gone) {
      this.report.documentsMovedOn++;
      return;
    }
    if (stored) this.report.documentsCompared++;
    for (const difference of diffDocuments(stored?.document ?? null, recomputed)) {
      this.differ(id, difference);
    }
  }

  private differ(id: string, difference: FieldDifference): void {
    this.report.differenceCount++;
    if (this.report.differences.length < LISTED) {
      this.report.differences.push({ collection: this.collection, id, ...difference });
    }
  }

  /**
   * Every id the projection makes up to the checkpoint, read again from the log: only when the
   * store holds documents the pass never met (rare, so not kept in memory during the pass).
   */
  private async producedIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const page of readLog(this.eventStore, { until: this.checkpoint })) {
      for (const [, targets] of targetsOf(this.definition, this.applicable(page))) {
        for (const id of targets) ids.add(id);
      }
    }
    return ids;
  }

  private async findExtras(produced: ReadonlySet<string>): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await this.readStore.scan(this.collection, after, PAGE);
      if (page.length === 0) return;
      for (const stored of page) {
        if (!produced.has(stored.id)) this.compare(stored.id, stored, null);
      }
      after = page[page.length - 1].id;
    }
  }
}
