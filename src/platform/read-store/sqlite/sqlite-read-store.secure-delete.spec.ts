import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from './sqlite-read-store';

/**
 * A name a document no longer holds must not stay in the file's free space: an erased person's
 * data is gone from the read store once its pages are written back (here: at close, which
 * checkpoints the WAL into the file and removes it).
 */
describe('SqliteReadStore: text a document no longer holds', () => {
  const NAME = 'Zulaikha Purnamasari';
  const PHONE = '081399887766';
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-secure-delete-'));
    file = join(dir, 'read-models.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Whether the file (the WAL checkpointed into it) still holds the bytes of `text`. */
  const fileHolds = (text: string) => readFileSync(file).includes(Buffer.from(text, 'utf8'));

  const document = (name: string, phone: string | null) => ({
    name,
    phone,
    searchTokens: name.toLowerCase().split(' '),
  });

  async function write(
    store: SqliteReadStore,
    upserts: { id: string; document: object }[],
    from: bigint,
  ) {
    await store.commit(
      [
        {
          collection: 'people-v1',
          upserts: upserts.map((upsert) => ({ ...upsert, position: from + 1n })),
          deletes: [],
        },
      ],
      [{ collection: 'people-v1', from, to: from + 1n }],
    );
  }

  async function storeWithPerson(): Promise<SqliteReadStore> {
    const store = new SqliteReadStore({ file });
    await store.ensureCollection({ name: 'people-v1', indexes: ['searchTokens[]', 'name'] });
    await store.createCheckpoint({
      projection: 'people',
      collection: 'people-v1',
      version: 1,
      position: 0n,
      status: 'active',
    });
    // Neighbours on the same pages, so that the pages stay in use after the rewrite.
    await write(
      store,
      [
        { id: 'p1', document: document(NAME, PHONE) },
        ...Array.from({ length: 20 }, (_, n) => ({
          id: `q${n}`,
          document: document(`Tetangga Nomor ${n}`, null),
        })),
      ],
      0n,
    );
    return store;
  }

  it('overwrites a rewritten document’s old text, its search words and index entries', async () => {
    const store = await storeWithPerson();
    await write(store, [{ id: 'p1', document: document('[dihapus]', '[dihapus]') }], 1n);
    await store.close();

    expect(fileHolds('Tetangga Nomor 7')).toBe(true);
    for (const text of [NAME, PHONE, 'zulaikha', 'purnamasari']) {
      expect(fileHolds(text)).toBe(false);
    }
  });

  it('overwrites the pages of a dropped collection', async () => {
    const store = await storeWithPerson();
    await store.dropCollection('people-v1');
    await store.close();

    for (const text of [NAME, PHONE, 'zulaikha', 'Tetangga Nomor 7']) {
      expect(fileHolds(text)).toBe(false);
    }
  });
});
