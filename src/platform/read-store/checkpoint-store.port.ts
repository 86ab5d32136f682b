import type { StoredDocument } from './document-store.port';

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
 * Projections' checkpoints, and the writes that move them together with the documents they cover,
 * so that a crash can neither lose an event nor apply it twice.
 */
export interface CheckpointStore {
  /**
   * Writes the documents and advances the checkpoints as one step. Rejects with
   * CheckpointMovedError, writing nothing, when a checkpoint is not at `from` any more (another
   * process advanced it, or a rebuild replaced the collection).
   */
  commit(writes: readonly CollectionWrite[], advances: readonly CheckpointAdvance[]): Promise<void>;

  checkpoints(projection?: string): Promise<Checkpoint[]>;
  /** Records a new checkpoint; refuses (CheckpointMovedError) when the collection has one. */
  createCheckpoint(checkpoint: Checkpoint): Promise<void>;
  /**
   * Makes `collection` the active one of its projection; the one it replaces is dropped. Indexes
   * its creation deferred are built first; for a collection active already, that is all it does.
   */
  promote(collection: string): Promise<void>;
}

export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';

  constructor(readonly collection: string) {
    super(`The checkpoint of ${collection} moved or is gone`);
  }
}
