import { CommitThread } from '../../src/platform/read-store/sqlite/commit-thread';
import type { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { until } from './until';

/** A SQLite read store's writer thread, once it takes commits. */
export async function readyThreadOf(store: SqliteReadStore): Promise<CommitThread> {
  const thread = (store as unknown as { thread?: unknown }).thread;
  if (!(thread instanceof CommitThread)) throw new Error('the store writes without a thread');
  await until(() => thread.takesCommits(), 20_000, 'the writer thread ready');
  return thread;
}
