/**
 * Where read models live: documents in named collections, queried by a small typed filter on
 * declared fields. Two adapters: SQLite (embedded default) and MongoDB through mongoose. One
 * contract suite (test/contract/read-store.contract.ts) holds both to the same behaviour.
 *
 * The projection engine writes documents together with the checkpoint of the projection that
 * made them (`commit`), so that a crash can neither lose an event nor apply it twice.
 *
 * A component that needs one part only depends on it: DocumentStore, CheckpointStore, LeaseStore.
 */
import type { CheckpointStore } from './checkpoint-store.port';
import type { DocumentStore } from './document-store.port';
import type { LeaseStore } from './lease-store.port';

export * from './checkpoint-store.port';
export * from './document-store.port';
export * from './lease-store.port';

export const READ_STORE = Symbol('ReadStore');

export interface ReadStore extends DocumentStore, CheckpointStore, LeaseStore {
  readonly adapter: string;

  close(): Promise<void>;
}
