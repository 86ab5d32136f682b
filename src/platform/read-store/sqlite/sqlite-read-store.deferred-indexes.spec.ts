import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readyThreadOf } from '../../../../test/helpers/writer-thread';
import { CollectionIndexes } from './collection-indexes';
import { SqliteReadStore } from './sqlite-read-store';

/** A collection built with its indexes deferred, as two processes (two connections) see it. */
describe('SqliteReadStore: indexes deferred to the promotion', () => {
  const COLLECTION = 'people-v2';
  const INDEXES = ['regency', 'tokens[]'];
  let dir: string;
  let file: string;
  const opened: SqliteReadStore[] = [];

  const open = () => {
    const store = new SqliteReadStore({ file });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-deferred-'));
    file = join(dir, 'read-models.sqlite');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const tablesOf = () => {
    const db = new Database(file, { readonly: true });
    const names = db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
      .pluck()
      .all()
      .filter((name) => name.includes(COLLECTION));
    db.close();
    return names.sort();
  };

  async function build(store: SqliteReadStore): Promise<void> {
    await store.ensureCollection({ name: COLLECTION, indexes: INDEXES }, { deferIndexes: true });
    await store.createCheckpoint({
      projection: 'people',
      collection: COLLECTION,
      version: 2,
      position: 0n,
      status: 'building',
    });
    await store.commit(
      [
        {
          collection: COLLECTION,
          upserts: [
            { id: 'a', position: 1n, document: { regency: '64.72', tokens: ['siti', 'aminah'] } },
            { id: 'b', position: 2n, document: { regency: '64.01', tokens: ['rahma'] } },
          ],
          deletes: [],
        },
      ],
      [{ collection: COLLECTION, from: 0n, to: 2n }],
    );
  }

  it('writes no index while building, and builds every declared one at the promotion', async () => {
    const store = open();
    await build(store);
    expect(tablesOf()).toEqual([`rm_${COLLECTION}`]);
    await store.promote(COLLECTION);
    expect(tablesOf()).toEqual(
      [
        `ix_${COLLECTION}_regency`,
        `rm_${COLLECTION}`,
        `rx_${COLLECTION}[tokens]`,
        `rx_${COLLECTION}[tokens]:doc`,
      ].sort(),
    );
    expect(
      (await store.find(COLLECTION, { filter: { 'tokens[]': { startsWith: 'ami' } } })).length,
    ).toBe(1);
  });

  it('builds them in the writer thread once it is ready, off the process that serves requests', async () => {
    const store = open();
    await build(store);
    await readyThreadOf(store);
    // The thread has a module of its own: a build on this thread would be seen here.
    const builtHere = jest.spyOn(CollectionIndexes.prototype, 'deferredBuild');
    await store.promote(COLLECTION);
    expect(builtHere).not.toHaveBeenCalled();
    expect(tablesOf()).toContain(`ix_${COLLECTION}_regency`);
    const plan = await store.explain(COLLECTION, { filter: { 'tokens[]': 'siti' } });
    expect(plan.fullScan).toBe(false);
    expect(await store.count(COLLECTION, { 'tokens[]': 'siti' })).toBe(1);

    // Without a thread (or before it is ready), the store builds them itself.
    const inline = new SqliteReadStore({ file: join(dir, 'inline.sqlite'), commitThread: false });
    opened.push(inline);
    await build(inline);
    await inline.promote(COLLECTION);
    expect(builtHere).toHaveBeenCalledWith(COLLECTION);
    expect(await inline.count(COLLECTION, { 'tokens[]': 'siti' })).toBe(1);
    builtHere.mockRestore();
  });

  it('keeps the element index of a collection another process promoted meanwhile', async () => {
    const builder = open();
    await build(builder);
    await open().promote(COLLECTION);
    // The builder's next write must keep the side rows the promotion made.
    await builder.commit(
      [
        {
          collection: COLLECTION,
          upserts: [{ id: 'a', position: 3n, document: { regency: '64.72', tokens: ['zahra'] } }],
          deletes: [],
        },
      ],
      [{ collection: COLLECTION, from: 2n, to: 3n }],
    );
    const reader = open();
    expect(await reader.count(COLLECTION, { 'tokens[]': 'siti' })).toBe(0);
    expect(await reader.count(COLLECTION, { 'tokens[]': 'zahra' })).toBe(1);
    expect((await reader.explain(COLLECTION, { filter: { 'tokens[]': 'zahra' } })).fullScan).toBe(
      false,
    );
  });

  it('opens a file whose collections table predates deferred indexes', async () => {
    const old = new Database(file);
    old.exec(
      'CREATE TABLE collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL) STRICT;' +
        `INSERT INTO collections VALUES ('${COLLECTION}', '["regency"]');`,
    );
    old.close();
    const store = open();
    await store.ensureCollection({ name: COLLECTION, indexes: INDEXES });
    expect(tablesOf()).toContain(`ix_${COLLECTION}_regency`);
  });
});
