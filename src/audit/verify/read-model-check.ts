import { applyEvents, targetsOf, type WorkingSet } from '../../projection-engine/apply-events';
import type { ProjectionDefinition } from '../../projection-engine/projection';
import type { StoredEvent } from '../../event-store/event-store.port';
import type { ReadStore, StoredDocument } from '../../read-store/read-store.port';
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

const LISTED = 1000;
const PAGE = 5000;

/**
 * Recomputes one read model in memory with its projection's own definition and compares it with
 * the stored one, field by field. Write-once projections (one document per event) are compared
 * page by page as the events go by, so a million-entry audit trail never sits in memory at once.
 */
export class ReadModelCheck {
  private readonly documents: WorkingSet = new Map();
  /** Write-once ids already produced, to tell a stored extra from a recomputed one. */
  private readonly produced = new Set<string>();
  private readonly report: ReadModelReport;

  constructor(
    private readonly readStore: ReadStore,
    private readonly definition: ProjectionDefinition,
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
    const applicable = events.filter((event) => event.position <= this.checkpoint);
    if (applicable.length === 0) return;
    const changed = applyEvents(
      this.definition,
      targetsOf(this.definition, applicable),
      this.documents,
    );
    if (!this.definition.writeOnce) return;
    for (const id of changed) {
      if (this.produced.has(id)) {
        throw new Error(
          `${this.definition.name} is declared write-once but an event changed its document ${id} again`,
        );
      }
      this.produced.add(id);
    }
    await this.compareAndForget([...changed]);
  }

  /** Compares what is left in memory, then looks for stored documents nothing produced. */
  async finish(): Promise<ReadModelReport> {
    const ids = [...this.documents.keys()].sort();
    for (let start = 0; start < ids.length; start += PAGE) {
      await this.compareAndForget(ids.slice(start, start + PAGE));
    }
    const stored = await this.readStore.count(this.collection);
    if (stored > this.report.documentsCompared + this.report.documentsMovedOn) {
      await this.findExtras();
    }
    return this.report;
  }

  private async compareAndForget(ids: readonly string[]): Promise<void> {
    const stored = await this.readStore.getMany(this.collection, ids);
    for (const id of ids) {
      const recomputed = this.documents.get(id)?.document ?? null;
      this.documents.delete(id);
      if (!this.definition.writeOnce) this.produced.add(id);
      this.compare(id, stored.get(id), recomputed);
    }
  }

  private compare(id: string, stored: StoredDocument | undefined, recomputed: object | null): void {
    if (stored && stored.position > this.checkpoint) {
      this.report.documentsMovedOn++;
      return;
    }
    if (stored) this.report.documentsCompared++;
    for (const difference of diffDocuments(stored?.document ?? null, recomputed)) {
      this.report.differenceCount++;
      if (this.report.differences.length < LISTED) {
        this.report.differences.push({ collection: this.collection, id, ...difference });
      }
    }
  }

  private async findExtras(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const page = await this.readStore.scan(this.collection, after, PAGE);
      if (page.length === 0) return;
      for (const stored of page) {
        if (!this.produced.has(stored.id)) this.compare(stored.id, stored, null);
      }
      after = page[page.length - 1].id;
    }
  }
}
