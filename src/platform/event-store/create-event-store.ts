import type { Clock } from '../clock';
import type { EventStoreConfig } from '../../config/app.config';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/**
 * The store the ledger is in, as it holds it: personal fields as ciphertext. Only what checks
 * the ledger itself (hash chains, seals) reads it; everything else injects EVENT_STORE, the
 * same store seen through the personal-data decorator.
 */
export const LEDGER_EVENT_STORE = Symbol('LedgerEventStore');

/** The ledger's store this configuration names (to open the application's, with personal data decrypted, see openApplicationEventStore). */
export function createEventStore(config: EventStoreConfig, clock: Clock): EventStore {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore({ file: config.file, clock });
    case 'kurrentdb':
      return KurrentDbEventStore.connect(config.url, clock);
  }
}
