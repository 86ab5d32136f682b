export type Scalar = string | number | boolean | null;

/**
 * Equality, membership, a range, or a prefix; on a field the collection declared.
 *
 * `startsWith` compares exactly (case, accents), as the index does: to search names, store them
 * folded (lower case, accents stripped) and fold the prefix the same way.
 */
export type Condition =
  | Scalar
  | { in: readonly Scalar[] }
  | { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar }
  | { startsWith: string };

/**
 * Conditions on declared fields, all of which must hold. A list of conditions on one field must
 * all hold too; on an element index each may be met by a different element (`tokens[]`:
 * `[{ startsWith: 'siti' }, { startsWith: 'ami' }]` finds a document whose tokens hold a word
 * beginning with each).
 */
export type Filter = Readonly<Record<string, Condition | readonly Condition[]>>;

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export interface FindOptions {
  filter?: Filter;
  /**
   * One key or several, in order; ties are always broken by id, in the direction of the last key
   * (ascending without keys), so the order is total and reversing every key reverses it whole.
   */
  sort?: SortKey | readonly SortKey[];
  limit?: number;
  offset?: number;
}

/**
 * A collection and the fields its queries filter or sort on: dot paths into the document.
 *
 * An entry of several declared fields joined by commas (`sortName,registeredPosition`) is a
 * compound index: it serves a sort by those keys in that order (then id), and an equality on the
 * first with a sort by the next, without sorting in memory. Declare one for each sort by several
 * keys a route asks for; filters and sorts name the fields, never the entry.
 *
 * A path ending in `[]` (`searchTokens[]`, `nikHashes[]`) declares an element index over an array
 * of strings or numbers: a condition on it holds when some element meets it (a single value
 * counts as a list of one). It takes equality, `in` and `startsWith`, not ranges, null or sorting,
 * and is named with its `[]` in filters.
 */
export interface CollectionSpec {
  name: string;
  indexes: readonly string[];
}

export interface EnsureCollectionOptions {
  /**
   * The collection is being built (beside the one serving, or far behind the head): its indexes
   * may wait for its promotion.
   */
  deferIndexes?: boolean;
}

/** How a store would run a find, in terms of declared fields: for tests and for operators. */
export interface QueryPlan {
  /** The declared fields whose index the query seeks into by key or key range. */
  indexedFields: string[];
  /** Whether a collection (or one of its indexes) is read from end to end. */
  fullScan: boolean;
  /** Whether the matches are sorted in memory rather than read from an index in order. */
  blockingSort: boolean;
  /** The store's own account of the plan. */
  detail: string;
}

export interface StoredDocument<Doc extends object = object> {
  id: string;
  /** Position of the last event applied to the document: replaying it again is a no-op. */
  position: bigint;
  document: Doc;
}

/**
 * Documents in named collections, queried by a small typed filter on declared fields. Reading a
 * collection that is not there rejects (MissingCollectionError, or the store's own error).
 */
export interface DocumentStore {
  /**
   * Creates the collection and its indexes when missing; idempotent. With `deferIndexes`, a
   * store may leave a new collection's secondary indexes to its promotion (see
   * CheckpointStore.promote): built once over every row, they cost less than kept up row by row
   * during a rebuild. Queries still answer meanwhile, without their help.
   */
  ensureCollection(spec: CollectionSpec, options?: EnsureCollectionOptions): Promise<void>;
  dropCollection(name: string): Promise<void>;

  get<Doc extends object>(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>>;
  find<Doc extends object>(collection: string, options?: FindOptions): Promise<Doc[]>;
  /** Up to `limit` documents with ids after `afterId` (all when omitted), in id order. */
  scan(collection: string, afterId: string | undefined, limit: number): Promise<StoredDocument[]>;
  count(collection: string, filter?: Filter): Promise<number>;
}

/**
 * A read of a collection that is not there (never made, or dropped by a rebuild's promotion),
 * which a store reports rather than answer nothing: a reader that raced a promotion then reads
 * again from the collection that serves now.
 */
export class MissingCollectionError extends Error {
  override readonly name = 'MissingCollectionError';

  constructor(readonly collection: string) {
    super(`The collection ${collection} is not there (never made, or dropped)`);
  }
}

/** A condition an element index cannot take (a range, null) or a sort on one. */
export class UnsupportedConditionError extends Error {
  override readonly name = 'UnsupportedConditionError';

  constructor(
    readonly collection: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${collection}: ${field} ${reason}`);
  }
}

export class UndeclaredFieldError extends Error {
  override readonly name = 'UndeclaredFieldError';

  constructor(
    readonly collection: string,
    readonly field: string,
  ) {
    super(`${collection}: ${field} is not a declared field; declare it among the indexes`);
  }
}
