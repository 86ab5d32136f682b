import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'bansos-events-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
