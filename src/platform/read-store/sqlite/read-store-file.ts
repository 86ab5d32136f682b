import Database from 'better-sqlite3';

export interface ReadStoreFileOptions {
  file: string;
  busyTimeoutMs: number;
  /** SQLite's page cache of this connection. */
  cacheMb: number;
}

/**
 * A connection to the read store's file, set up alike for the store and its writer thread.
 * `synchronous=NORMAL` suffices here: a power cut may lose the last commits, but documents and
 * checkpoints go back together, and the engine replays what is missing.
 */
export function openReadStoreFile({ file, busyTimeoutMs, cacheMb }: ReadStoreFileOptions) {
  const db = new Database(file, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Documents hold names and phone numbers: text a document no longer holds (an erased
  // person's, a dropped collection's) is overwritten with zeros, not left in free space.
  db.pragma('secure_delete = ON');
  db.pragma(`cache_size = -${cacheMb * 1024}`);
  // Checkpoints every 16 MB of WAL: rarer than SQLite's 4 MB default, as hot pages (indexes,
  // totals) are then copied less often, yet short enough not to stall live reads.
  db.pragma('wal_autocheckpoint = 4000');
  return db;
}
