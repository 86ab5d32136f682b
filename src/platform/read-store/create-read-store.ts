import type { ReadStoreConfig } from '../../config/app.config';
import { systemClock, type Clock } from '../clock';
import { MongoReadStore } from './mongo/mongo-read-store';
import type { ReadStore } from './read-store.port';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

export interface ReadStoreTuning {
  /** The embedded store's page cache: a pass that reads everything once needs little. */
  cacheMb?: number;
}

export async function createReadStore(
  config: ReadStoreConfig,
  { cacheMb }: ReadStoreTuning = {},
  clock: Clock = systemClock,
): Promise<ReadStore> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteReadStore({ file: config.file, cacheMb, clock });
    case 'mongodb':
      // Real time is the server's there (`$$NOW`), one clock for every process; a test clock
      // still rules.
      return MongoReadStore.connect(config.url, clock === systemClock ? {} : { clock });
  }
}
