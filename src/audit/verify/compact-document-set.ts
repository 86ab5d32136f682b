import type { DocumentSet, WorkingDocument } from '../../platform/projection-engine/apply-events';

/**
 * Documents for a replay of a whole log that must stay within a memory budget: the ones touched
 * lately as objects, the rest as JSON text (a fraction of the size), turned back into objects
 * when an event touches them again. Read-model documents are JSON in the store anyway, so the
 * round trip changes nothing that verification compares.
 */
export class CompactDocumentSet implements DocumentSet {
  private readonly hot = new Map<string, WorkingDocument>();
  private readonly cold = new Map<string, string>();

  constructor(private readonly hotLimit = 10_000) {}

  get(id: string): WorkingDocument | undefined {
    const hot = this.hot.get(id);
    if (hot) return hot;
    const text = this.cold.get(id);
    if (text === undefined) return undefined;
    const document = thaw(id, text);
    this.set(id, document);
    return document;
  }

  set(id: string, document: WorkingDocument): void {
    this.cold.delete(id);
    this.hot.delete(id);
    this.hot.set(id, document);
    while (this.hot.size > this.hotLimit) {
      const [[oldId, oldest]] = this.hot;
      this.hot.delete(oldId);
      this.cold.set(oldId, freeze(oldest));
    }
  }

  /** Answers the document and forgets it. */
  take(id: string): WorkingDocument | undefined {
    const document = this.get(id);
    this.hot.delete(id);
    return document;
  }
}

function freeze({ position, document }: WorkingDocument): string {
  return `${position}:${JSON.stringify(document)}`;
}

function thaw(id: string, text: string): WorkingDocument {
  const colon = text.indexOf(':');
  return {
    id,
    position: BigInt(text.slice(0, colon)),
    document: JSON.parse(text.slice(colon + 1)) as object | null,
  };
}
