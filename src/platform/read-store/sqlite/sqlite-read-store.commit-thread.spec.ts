import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readyThreadOf } from '../../../../test/helpers/writer-thread';
import { CheckpointMovedError } from '../read-store.port';
import { CommitThread } from './commit-thread';
import { SqliteReadStore } from './sqlite-read-store';

/** The SQLite read store's commits, written by a thread over a connection of its own. */
describe('SqliteReadStore: commits by a writer thread', () => {
  let dir: string;
  let file: string;
  const opened: SqliteReadStore[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-commit-thread-'));
    file = join(dir, 'read.sqlite');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  async function storeWithCheckpoint(): Promise<SqliteReadStore> {
    const store = new SqliteReadStore({ file });
    opened.push(store);
    await store.ensureCollection({ name: 'people', indexes: ['regency', 'words[]'] });
    await store.createCheckpoint({
      projection: 'people',
      collection: 'people',
      version: 1,
      position: 0n,
      status: 'active',
    });
    return store;
  }

  const person = (id: string, position: bigint, words: string[]) => ({
    id,
    position,
    document: { regency: '64.72', words },
  });

  /** The people at `to`, written with the checkpoint moving from `from`. */
  const commitPeople = (
    store: SqliteReadStore,
    from: bigint,
    to: bigint,
    ...people: ReturnType<typeof person>[]
  ) =>
    store.commit(
      [{ collection: 'people', upserts: people, deletes: [] }],
      [{ collection: 'people', from, to }],
    );

  it('shows each commit to reads as soon as it resolves, side rows included', async () => {
    const store = await storeWithCheckpoint();
    const thread = await readyThreadOf(store);
    const sent = jest.spyOn(thread, 'commit');
    for (let n = 1; n <= 20; n++) {
      await commitPeople(store, BigInt(n - 1), BigInt(n), person(`p${n}`, BigInt(n), [`w${n}`]));
      expect(await store.get('people', `p${n}`)).toEqual({ regency: '64.72', words: [`w${n}`] });
      expect(await store.count('people', { 'words[]': `w${n}` })).toBe(1);
      expect((await store.checkpoints())[0].position).toBe(BigInt(n));
    }
    expect(sent).toHaveBeenCalledTimes(20);
  });

  it('refuses a commit whose checkpoint moved, naming the collection, and writes none of it', async () => {
    const store = await storeWithCheckpoint();
    await readyThreadOf(store);
    const refused = commitPeople(store, 3n, 5n, person('p1', 5n, ['a']));
    await expect(refused).rejects.toBeInstanceOf(CheckpointMovedError);
    await expect(refused).rejects.toMatchObject({ collection: 'people' });
    expect(await store.count('people')).toBe(0);
    expect((await store.checkpoints())[0].position).toBe(0n);
  });

  it('fails the commits a dying thread held, and starts a new one for the next', async () => {
    const store = await storeWithCheckpoint();
    const thread = await readyThreadOf(store);
    await commitPeople(store, 0n, 1n, person('p1', 1n, ['a']));
    const worker = (thread as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const held = commitPeople(store, 1n, 2n, person('p2', 2n, ['b']));
    await worker.terminate();
    // Written or not when it died, the commit is all or nothing: retried from where it stands.
    const written = await held.then(
      () => true,
      (error: Error) => {
        expect(error.message).toMatch(/writer thread stopped/);
        return false;
      },
    );
    const at = written ? 2n : 1n;
    expect((await store.checkpoints())[0].position).toBe(at);
    expect(await store.count('people')).toBe(Number(at));
    await commitPeople(store, at, 3n, person('p3', 3n, ['c']));
    expect(await store.get('people', 'p3')).toEqual({ regency: '64.72', words: ['c'] });
    // Another thread takes over once it has opened its connection.
    expect((await readyThreadOf(store)).takesCommits()).toBe(true);
  });

  it('writes its commits itself until the thread is ready, and starts none before a commit', async () => {
    const reader = new SqliteReadStore({ file });
    opened.push(reader);
    await reader.get('people', 'p1').catch(() => undefined);
    expect((reader as unknown as { thread: { worker?: unknown } }).thread.worker).toBeUndefined();
    const store = await storeWithCheckpoint();
    const thread = (store as unknown as { thread: CommitThread }).thread;
    jest.spyOn(thread, 'takesCommits').mockReturnValue(false);
    const sent = jest.spyOn(thread, 'commit');
    await commitPeople(store, 0n, 1n, person('p1', 1n, ['a']));
    expect(sent).not.toHaveBeenCalled();
    expect(await store.count('people', { 'words[]': 'a' })).toBe(1);
  });

  it('writes every commit sent before close, then closes', async () => {
    const store = await storeWithCheckpoint();
    await readyThreadOf(store);
    const commits = Array.from({ length: 10 }, (_, index) => {
      const n = index + 1;
      return commitPeople(store, BigInt(n - 1), BigInt(n), person(`p${n}`, BigInt(n), ['x']));
    });
    await store.close();
    opened.splice(0);
    await Promise.all(commits);
    const again = new SqliteReadStore({ file });
    opened.push(again);
    expect(await again.count('people', { 'words[]': 'x' })).toBe(10);
  });

  it('keeps the writes of this store in the order they were sent, across both connections', async () => {
    const store = await storeWithCheckpoint();
    await readyThreadOf(store);
    const commit = commitPeople(store, 0n, 1n, person('p1', 1n, ['a']));
    // Sent after the commit: it finds the commit's document there to drop.
    const dropped = store.dropCollection('people');
    await Promise.all([commit, dropped]);
    expect(await store.checkpoints()).toEqual([]);
  });
});
