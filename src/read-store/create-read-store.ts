import type { ReadStoreConfig } from '../config/app.config';
import { MongoReadStore } from './mongo/mongo-read-store';
import type { ReadStore } from './read-store.port';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

export async function createReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteReadStore({ file: config.file });
    case 'mongodb':
      return MongoReadStore.connect(config.url);
  }
}
