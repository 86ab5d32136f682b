import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { describeReadStoreContract } from './read-store.contract';

describeReadStoreContract('SQLite', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'bansos-read-'));
  const store = new SqliteReadStore({ file: join(dir, 'read.sqlite'), clock });
  return {
    store,
    explain: (collection, options) => store.explain(collection, options),
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
