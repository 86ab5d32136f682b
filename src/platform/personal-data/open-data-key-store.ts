import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config';
import { loadMasterKey } from './master-key';
import { MongoDataKeyStore } from './mongo-data-key-store';
import { DATA_KEY_FILE, type DataKeyStore } from './personal-data';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

/** The key store this configuration names: beside the read store (SQLite file or MongoDB). */
export async function openDataKeyStore(config: AppConfig): Promise<DataKeyStore> {
  const masterKey = loadMasterKey(config);
  switch (config.readStore.kind) {
    case 'sqlite':
      return new SqliteDataKeyStore({ file: join(config.dataDir, DATA_KEY_FILE), masterKey });
    case 'mongodb':
      return MongoDataKeyStore.connect(config.readStore.url, masterKey);
  }
}
