export type Scalar = string | number | boolean | null;

/** Equality, membership, or a range; on a field the collection declared. */
export type Condition =
  Scalar | { in: readonly Scalar[] } | { gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar };

export type Filter = Readonly<Record<string, Condition>>;

export interface FindOptions {
  filter?: Filter;
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  offset?: number;
}

/** A collection and the fields its queries filter or sort on (dot paths into the document). */
export interface CollectionSpec {
  name: string;
  indexes: readonly string[];
}

export interface StoredDocument<Doc extends object = object> {
  id: string;
  /** Position of the last event applied to the document: replaying it again is a no-op. */
  position: bigint;
  document: Doc;
}

/** Documents in named collections, queried by a small typed filter on declared fields. */
export interface DocumentStore {
  /** Creates the collection and its indexes when missing; idempotent. */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;

  get<Doc extends object>(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>>;
  find<Doc extends object>(collection: string, options?: FindOptions): Promise<Doc[]>;
  /** Up to `limit` documents with ids after `afterId` (all when omitted), in id order. */
  scan(collection: string, afterId: string | undefined, limit: number): Promise<StoredDocument[]>;
  count(collection: string, filter?: Filter): Promise<number>;
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
