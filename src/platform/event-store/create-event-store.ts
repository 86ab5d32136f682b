import type { Clock } from '../clock';
import type { EventStoreConfig } from '../../config/app.config';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export function createEventStore(config: EventStoreConfig, clock: Clock): EventStore {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore({ file: config.file, clock });
    case 'kurrentdb':
      return KurrentDbEventStore.connect(config.url, clock);
  }
}
