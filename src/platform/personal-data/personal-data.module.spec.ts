import { statSync } from 'node:fs';
import { join } from 'node:path';
import { KurrentDbSemanticsEventStore } from '../../../test/doubles/kurrentdb-semantics-event-store';
import { startTestApp, TEST_EVENT_STORE, type TestApp } from '../../../test/helpers/test-app';
import { LEDGER_EVENT_STORE } from '../event-store/create-event-store';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { PersonalDataEventStore } from './personal-data-event-store';
import {
  DATA_KEY_FILE,
  DATA_KEY_STORE,
  DEV_MASTER_KEY_FILE,
  type DataKeyStore,
} from './personal-data';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

describe('PersonalDataModule in the service', () => {
  let subject: TestApp | undefined;

  afterEach(async () => {
    await subject?.stop();
    subject = undefined;
  });

  it('gives the application the ledger’s store through the decorator, keys in DATA_DIR', async () => {
    subject = await startTestApp();
    const eventStore = subject.app.get<EventStore>(EVENT_STORE);
    const ledger = subject.app.get<EventStore>(LEDGER_EVENT_STORE);
    expect(eventStore).toBeInstanceOf(PersonalDataEventStore);
    expect((eventStore as PersonalDataEventStore).ledger).toBe(ledger);
    expect(ledger).toBeInstanceOf(SqliteEventStore);
    expect(subject.app.get(DATA_KEY_STORE)).toBeInstanceOf(SqliteDataKeyStore);
    for (const file of [DATA_KEY_FILE, DEV_MASTER_KEY_FILE]) {
      expect(statSync(join(subject.dataDir, file)).mode & 0o777).toBe(0o600);
    }
  });

  it('puts the test double in the ledger’s place, under the decorator', async () => {
    subject = await startTestApp({ [TEST_EVENT_STORE]: 'kurrentdb-semantics' });
    const eventStore = subject.app.get<PersonalDataEventStore>(EVENT_STORE);
    expect(eventStore).toBeInstanceOf(PersonalDataEventStore);
    expect(eventStore.ledger).toBeInstanceOf(KurrentDbSemanticsEventStore);
  });

  it('closes the key store on shutdown, after the event store', async () => {
    subject = await startTestApp();
    const closed: string[] = [];
    const ledger = subject.app.get<EventStore>(LEDGER_EVENT_STORE);
    const keyStore = subject.app.get<DataKeyStore>(DATA_KEY_STORE);
    const record = (name: string, store: { close(): Promise<void> }) => {
      const close = store.close.bind(store);
      jest.spyOn(store, 'close').mockImplementation(async () => {
        closed.push(name);
        await close();
      });
    };
    record('event store', ledger);
    record('key store', keyStore);
    await subject.stop();
    expect(closed).toEqual(['event store', 'key store']);
  });
});
