import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig, type AppConfig } from '../../config/app.config';
import { systemClock } from '../clock';
import { NO_STREAM } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { loadMasterKey } from './master-key';
import { MongoDataKeyStore } from './mongo-data-key-store';
import { openApplicationEventStore } from './open-application-event-store';
import { openDataKeyStore } from './open-data-key-store';
import { DATA_KEY_FILE } from './personal-data';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

const context = { actor: 'cli', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('openApplicationEventStore', () => {
  let dataDir: string;
  let config: AppConfig;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-open-'));
    config = parseAppConfig({ DATA_DIR: dataDir });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads and writes as the service does, over the ledger, and closes both stores', async () => {
    // A key the service made, in the key store of DATA_DIR.
    const service = new SqliteDataKeyStore({
      file: join(dataDir, DATA_KEY_FILE),
      masterKey: loadMasterKey(config),
    });
    const keyId = await service.newKeyId();
    await service.close();

    const closed = jest.spyOn(SqliteDataKeyStore.prototype, 'close');
    const store = await openApplicationEventStore(config, systemClock);
    expect(store.ledger).toBeInstanceOf(SqliteEventStore);
    await store.appendToStream(
      'recipient-1',
      [{ type: 'RecipientRegistered', data: { dataKeyId: keyId, name: 'Siti Aminah' } }],
      { expectedRevision: NO_STREAM, context },
    );
    expect((await store.readAll())[0].data).toEqual({ dataKeyId: keyId, name: 'Siti Aminah' });
    expect(JSON.stringify((await store.ledger.readAll())[0].data)).not.toContain('Siti');

    await store.close();
    expect(closed).toHaveBeenCalledTimes(1);
    await expect(store.ledger.readAll()).rejects.toThrow();
  });

  it('keeps the keys in the read store’s MongoDB database when there is one', async () => {
    const mongo = { adapter: 'mongodb' } as MongoDataKeyStore;
    const connect = jest.spyOn(MongoDataKeyStore, 'connect').mockResolvedValue(mongo);
    const url = 'mongodb://db.example:27017/bansos?replicaSet=rs0';
    const withMongo = parseAppConfig({ DATA_DIR: dataDir, MONGODB_URL: url });
    expect(await openDataKeyStore(withMongo)).toBe(mongo);
    expect(connect).toHaveBeenCalledWith(url, expect.anything());
  });
});
