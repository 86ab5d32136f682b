import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasterKey } from '../../src/platform/personal-data/master-key';
import { SqliteDataKeyStore } from '../../src/platform/personal-data/sqlite-data-key-store';
import { describeDataKeyStoreContract } from './data-key-store.contract';

describeDataKeyStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bansos-keys-'));
  const masterKey = new MasterKey(Buffer.alloc(32, 1));
  const open = () => new SqliteDataKeyStore({ file: join(dir, 'keys.sqlite'), masterKey });
  const store = open();
  return Promise.resolve({
    store,
    openAnother: () => Promise.resolve(open()),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
