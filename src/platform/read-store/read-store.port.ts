/**
 * Where read models live: documents in named collections, queried by a small typed filter on
 * declared fields. Two adapters: SQLite (embedded default) and MongoDB through mongoose. One
 * contract suite (test/contract/read-store.contract.ts) holds both to the same behaviour.
 *
 * The projection engine writes documents together with the checkpoint of the projection that
 * made them (`commit`), so that a crash can neither lose an event nor apply it twice.
 */
export const READ_STORE = Symbol('ReadStore');

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

export interface CollectionWrite {
  collection: string;
  upserts: StoredDocument[];
  deletes: string[];
}

/** A projection's progress in one collection: the position of the last event it applied. */
export interface Checkpoint {
  projection: string;
  collection: string;
  version: number;
  position: bigint;
  /** `active` serves reads; `building` is a new version or a rebuild catching up beside it. */
  status: 'active' | 'building';
}

/** Moves a checkpoint forward, but only from where its writer last left it. */
export interface CheckpointAdvance {
  collection: string;
  from: bigint;
  to: bigint;
}

/**
 * A named, expiring right to do something alone (run the projections). Held by one holder until
 * it expires; renewed by that holder only; taken over by another once expired.
 */
export interface Lease {
  name: string;
  holder: string;
  /** When it lapses unless renewed, by the clock of the process that last took or renewed it. */
  expiresAt: Date;
}

export interface ReadStore {
  readonly adapter: string;

  /** Creates the collection and its indexes when missing; idempotent. */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;

  get<Doc extends object>(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>>;
  find<Doc extends object>(collection: string, options?: FindOptions): Promise<Doc[]>;
  /** Up to `limit` documents with ids after `afterId` (all when omitted), in id order. */
  scan(collection: string, afterId: string | undefined, limit: number): Promise<StoredDocument[]>;
  count(collection: string, filter?: Filter): Promise<number>;

  /**
   * Writes the documents and advances the checkpoints as one step. Rejects with
   * CheckpointMovedError, writing nothing, when a checkpoint is not at `from` any more (another
   * process advanced it, or a rebuild replaced the collection).
   */
  commit(writes: readonly CollectionWrite[], advances: readonly CheckpointAdvance[]): Promise<void>;

  checkpoints(projection?: string): Promise<Checkpoint[]>;
  /** Records a new checkpoint; refuses (CheckpointMovedError) when the collection has one. */
  createCheckpoint(checkpoint: Checkpoint): Promise<void>;
  /** Makes `collection` the active one of its projection; the one it replaces is dropped. */
  promote(collection: string): Promise<void>;

  /**
   * Takes the lease for `holder` until `ttlMs` from now, atomically: when nobody holds it, when
   * it expired, or when `holder` already has it. Null, changing nothing, while another holds it.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | null>;
  /**
   * Extends the lease to `ttlMs` from now, only while `holder` still has it (an expired lease no
   * one has taken since is still its own); false when another took it or it was released.
   */
  renewLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it, so that another can take it at once. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The lease as stored (possibly expired), or null when nobody has taken it. */
  lease(name: string): Promise<Lease | null>;

  close(): Promise<void>;
}

export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';

  constructor(readonly collection: string) {
    super(`The checkpoint of ${collection} moved or is gone`);
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
