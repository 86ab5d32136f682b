import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KurrentDbSemanticsEventStore } from '../../../test/doubles/kurrentdb-semantics-event-store';
import { storedEventHash } from '../event-store/event-hash';
import { EventStoreUnavailableError } from '../event-store/event-store.errors';
import {
  NO_STREAM,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { MasterKey } from './master-key';
import { PersonalDataEventStore } from './personal-data-event-store';
import { ERASED_TEXT, PersonalDataErasedError } from './personal-data';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };
const NAME = 'Siti Aminah';
const MEMBER = 'Rahmawati Binti Usman';

interface Fixture {
  store: PersonalDataEventStore;
  ledger: EventStore;
  keyStore: SqliteDataKeyStore;
  /** Every byte the ledger keeps on disk, when it keeps any. */
  ledgerBytes(): Buffer | null;
}

const LEDGERS: [string, (dir: string) => { ledger: EventStore; file: string | null }][] = [
  [
    'SQLite',
    (dir) => {
      const file = join(dir, 'events.sqlite');
      return { ledger: new SqliteEventStore({ file }), file };
    },
  ],
  ['KurrentDB semantics', () => ({ ledger: new KurrentDbSemanticsEventStore(), file: null })],
];

describe.each(LEDGERS)('PersonalDataEventStore over %s', (_name, openLedger) => {
  let dir: string;
  let fixture: Fixture;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-pd-'));
    const { ledger, file } = openLedger(dir);
    const keyStore = new SqliteDataKeyStore({
      file: join(dir, 'keys.sqlite'),
      masterKey: new MasterKey(Buffer.alloc(32, 2)),
    });
    fixture = {
      store: new PersonalDataEventStore(ledger, keyStore, () => keyStore.close()),
      ledger,
      keyStore,
      ledgerBytes: () =>
        file === null
          ? null
          : Buffer.concat(
              [file, `${file}-wal`]
                .filter((path) => existsSync(path))
                .map((path) => readFileSync(path)),
            ),
    };
  });

  afterEach(async () => {
    await fixture.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function register(streamName = 'recipient-1') {
    const { store, keyStore } = fixture;
    const [womanKey, memberKey] = [await keyStore.newKeyId(), await keyStore.newKeyId()];
    const registered: NewEvent = {
      type: 'KubeRegistered',
      data: {
        recipientId: streamName,
        dataKeyId: womanKey,
        groupName: NAME,
        amount: 5_000_000,
        members: [{ dataKeyId: memberKey, name: MEMBER, role: 'ketua' }],
      },
    };
    const disbursed: NewEvent = { type: 'AidDisbursed', data: { amount: 5_000_000 } };
    await store.appendToStream(streamName, [registered, disbursed], {
      expectedRevision: NO_STREAM,
      context,
    });
    return { womanKey, memberKey };
  }

  const dataOf = (events: StoredEvent[]) => events.map((event) => event.data);

  it('writes ciphertext to the ledger, hashed as written, and reads clear text back', async () => {
    await register();
    const ledgerEvents = await fixture.ledger.readStream('recipient-1');
    expect(JSON.stringify(dataOf(ledgerEvents))).not.toMatch(/Siti|Rahmawati/);
    expect(ledgerEvents[0].data).toMatchObject({ groupName: expect.stringMatching(/^pd1:/) });
    expect(ledgerEvents.every((event) => storedEventHash(event) === event.metadata.hash)).toBe(
      true,
    );
    const bytes = fixture.ledgerBytes();
    if (bytes !== null) expect(bytes.includes(NAME)).toBe(false);

    const read = await fixture.store.readStream('recipient-1');
    expect(read[0].data).toMatchObject({ groupName: NAME, members: [{ name: MEMBER }] });
    expect(read.map((event) => event.metadata)).toEqual(
      ledgerEvents.map((event) => event.metadata),
    );
    expect((await fixture.store.readAll())[0].data).toMatchObject({ groupName: NAME });
  });

  it('reads a destroyed key as erased everywhere, while the ledger and its hashes stay as they were', async () => {
    const { memberKey } = await register();
    const before = await fixture.ledger.readAll();
    await fixture.keyStore.destroy([memberKey]);

    expect(await fixture.ledger.readAll()).toEqual(before);
    expect(before.every((event) => storedEventHash(event) === event.metadata.hash)).toBe(true);
    const erased = { groupName: NAME, members: [{ name: ERASED_TEXT, role: 'ketua' }] };
    expect((await fixture.store.readStream('recipient-1'))[0].data).toMatchObject(erased);
    expect((await fixture.store.readAll())[0].data).toMatchObject(erased);
    const subscription = fixture.store.subscribeToAll();
    for await (const batch of subscription) {
      expect(batch[0].data).toMatchObject(erased);
      break;
    }
    await subscription.close();
  });

  it('refuses to write with a destroyed key, and writes nothing of the commit', async () => {
    const { memberKey } = await register();
    await register('recipient-2');
    await fixture.keyStore.destroy([memberKey]);
    const head = await fixture.store.headPosition();
    const corrected = (keyId: string, streamName: string) => ({
      streamName,
      expectedRevision: 1n,
      events: [
        { type: 'DetailCorrected', data: { dataKeyId: keyId, field: 'name', after: 'Ani' } },
      ],
    });
    const other = (await fixture.store.readStream('recipient-2'))[0].data as { dataKeyId: string };
    await expect(
      fixture.store.appendToStreams(
        [corrected(other.dataKeyId, 'recipient-2'), corrected(memberKey, 'recipient-1')],
        { context },
      ),
    ).rejects.toEqual(new PersonalDataErasedError(memberKey));
    expect(await fixture.store.headPosition()).toBe(head);
    // What needs no erased data goes on.
    await fixture.store.appendToStream(
      'recipient-1',
      [{ type: 'AidDisbursed', data: { amount: 1 } }],
      { expectedRevision: 1n, context },
    );
  });

  it('encrypts each stream of a multi-stream append, in order', async () => {
    const keyId = await fixture.keyStore.newKeyId();
    const registered = (name: string) => ({
      type: 'RecipientRegistered',
      data: { dataKeyId: keyId, name },
    });
    await fixture.store.appendToStreams(
      [
        {
          streamName: 'a',
          expectedRevision: NO_STREAM,
          events: [registered('Aninditya Satu'), registered('Aninditya Dua')],
        },
        { streamName: 'b', expectedRevision: NO_STREAM, events: [registered('Budiarti Tiga')] },
      ],
      { context },
    );
    expect(dataOf(await fixture.store.readStream('a'))).toEqual([
      { dataKeyId: keyId, name: 'Aninditya Satu' },
      { dataKeyId: keyId, name: 'Aninditya Dua' },
    ]);
    expect(dataOf(await fixture.store.readStream('b'))).toEqual([
      { dataKeyId: keyId, name: 'Budiarti Tiga' },
    ]);
    expect(JSON.stringify(dataOf(await fixture.ledger.readAll()))).not.toMatch(
      /Aninditya|Budiarti/,
    );
  });

  it('reads events written before encryption as they are', async () => {
    const legacy = { recipientId: 'old', name: 'Nur Aisyah', members: [{ name: 'Ani' }] };
    await fixture.ledger.appendToStream('old', [{ type: 'RecipientRegistered', data: legacy }], {
      expectedRevision: NO_STREAM,
      context,
    });
    expect(dataOf(await fixture.store.readStream('old'))).toEqual([legacy]);
  });

  it('decrypts each batch a subscription delivers, live ones too', async () => {
    await register();
    const subscription = fixture.store.subscribeToAll({ maxBatchSize: 1 });
    const seen: unknown[] = [];
    const reading = (async () => {
      for await (const batch of subscription) {
        seen.push(...dataOf([...batch]));
        if (seen.length === 4) break;
      }
    })();
    await register('recipient-2');
    await reading;
    await subscription.close();
    expect(seen.filter((data) => (data as { groupName?: string }).groupName === NAME)).toHaveLength(
      2,
    );
  });

  it('passes head and counts through, and shares the ledger’s adapter name', async () => {
    await register();
    expect(fixture.store.adapter).toBe(fixture.ledger.adapter);
    expect(await fixture.store.headPosition()).toBe(await fixture.ledger.headPosition());
    expect(await fixture.store.countEventsAfter(0n, 10)).toBe(2);
  });

  it('lets an append under way finish before it closes, then refuses more', async () => {
    const keyId = await fixture.keyStore.newKeyId();
    const appending = fixture.store.appendToStream(
      'late',
      [{ type: 'RecipientRegistered', data: { dataKeyId: keyId, name: 'Late' } }],
      { expectedRevision: NO_STREAM, context },
    );
    const closing = fixture.store.close();
    await expect(appending).resolves.toMatchObject({ revision: 0n });
    await closing;
    await expect(
      fixture.store.appendToStream('more', [{ type: 'X', data: {} }], {
        expectedRevision: NO_STREAM,
        context,
      }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(fixture.keyStore.newKeyId()).rejects.toThrow(/closed/);
  });
});
