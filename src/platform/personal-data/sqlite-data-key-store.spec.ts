import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MasterKey } from './master-key';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

const masterKey = new MasterKey(Buffer.alloc(32, 3));

describe('SqliteDataKeyStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteDataKeyStore[] = [];

  const open = (batchSize?: number) => {
    const store = new SqliteDataKeyStore({ file, masterKey, batchSize });
    opened.push(store);
    return store;
  };

  /** What the file holds for these ids, read as another process would. */
  function wrappedOf(keyIds: string[]): Buffer[] {
    const db = new Database(file, { readonly: true });
    try {
      return keyIds.map(
        (keyId) =>
          db.prepare('SELECT wrapped FROM data_keys WHERE key_id = ?').pluck().get(keyId) as Buffer,
      );
    } finally {
      db.close();
    }
  }

  /** Every byte the store keeps on disk: the database, its WAL and its shared memory. */
  const bytesOnDisk = () =>
    Buffer.concat(
      ['', '-wal', '-shm']
        .map((suffix) => `${file}${suffix}`)
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path)),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-keys-'));
    file = join(dir, 'personal-data-keys.sqlite');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its file owner-only, in WAL mode', () => {
    open();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = new Database(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('hands out distinct keys made ahead in batches, concurrent callers sharing a refill', async () => {
    const store = open(64);
    const keyIds = await Promise.all(Array.from({ length: 200 }, () => store.newKeyId()));
    expect(new Set(keyIds).size).toBe(200);
    const db = new Database(file, { readonly: true });
    try {
      // 200 taken from 4 refills of 64: no write per key.
      expect(db.prepare('SELECT count(*) FROM data_keys').pluck().get()).toBe(256);
    } finally {
      db.close();
    }
    const keys = await store.keys(keyIds);
    expect(keys.size).toBe(200);
    expect([...keys.values()].every((key) => key.length === 32)).toBe(true);
  });

  it('keeps its keys across a restart', async () => {
    const first = open();
    const keyId = await first.newKeyId();
    const key = (await first.keys([keyId])).get(keyId);
    await first.close();
    expect((await open().keys([keyId])).get(keyId)).toEqual(key);
  });

  it('never hands out the same key from two stores on one file, and each reads the other’s', async () => {
    const [a, b] = [open(32), open(32)];
    const taken = await Promise.all(
      Array.from({ length: 100 }, (_, index) => (index % 2 ? a : b).newKeyId()),
    );
    expect(new Set(taken).size).toBe(100);
    expect((await a.keys(taken)).size).toBe(100);
    expect((await b.keys(taken)).size).toBe(100);
  });

  it('answers only the keys that exist, and nothing for no ids', async () => {
    const store = open();
    const keyId = await store.newKeyId();
    expect([...(await store.keys([keyId, 'never-made'])).keys()]).toEqual([keyId]);
    expect((await store.keys([])).size).toBe(0);
  });

  it('destroys keys so that their wrapped bytes are nowhere in the files, WAL included', async () => {
    const store = open(300);
    const keyIds = await Promise.all(Array.from({ length: 300 }, () => store.newKeyId()));
    const doomed = keyIds.slice(0, 150);
    const wrapped = wrappedOf(doomed);
    const [kept] = wrappedOf(keyIds.slice(-1));
    expect(wrapped.every((bytes) => bytesOnDisk().includes(bytes))).toBe(true);

    await store.destroy(doomed);

    const disk = bytesOnDisk();
    expect(wrapped.filter((bytes) => disk.includes(bytes))).toEqual([]);
    expect(disk.includes(kept)).toBe(true);
    expect((await store.keys(doomed)).size).toBe(0);
    expect((await store.keys(keyIds)).size).toBe(150);
    // Idempotent: destroying again changes nothing.
    await store.destroy(doomed);
    expect((await store.keys(keyIds)).size).toBe(150);
  });

  it('destroys while another store holds the file open', async () => {
    const [a, b] = [open(), open()];
    const keyId = await a.newKeyId();
    const [wrapped] = wrappedOf([keyId]);
    // The registration that takes a key looks it up (from memory) before anyone can name it.
    expect((await a.keys([keyId])).size).toBe(1);
    expect((await b.keys([keyId])).size).toBe(1);
    await b.destroy([keyId]);
    expect(bytesOnDisk().includes(wrapped)).toBe(false);
    expect((await a.keys([keyId])).size).toBe(0);
  });

  it('refuses to work once closed', async () => {
    const store = open();
    await store.close();
    await expect(store.newKeyId()).rejects.toThrow(/closed/);
    await expect(store.keys(['x'])).rejects.toThrow(/closed/);
    await store.close();
  });
});
