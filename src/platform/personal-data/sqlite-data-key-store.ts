import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { ensurePrivateFile } from '../private-files';
import { KeyPool } from './key-pool';
import type { MasterKey } from './master-key';
import type { DataKeyStore } from './personal-data';

export interface SqliteDataKeyStoreOptions {
  /** The database file; created owner-only with its folder when missing. */
  file: string;
  masterKey: MasterKey;
  /** How many keys one refill of the pool makes (one transaction, one fsync). */
  batchSize?: number;
  /** How long a write waits for another process's write lock, and a checkpoint for its readers. */
  busyTimeoutMs?: number;
}

interface KeyRow {
  key_id: string;
  wrapped: Buffer;
}

// One fsync per batch, and a pool that outlasts a few minutes of registrations at full speed.
const DEFAULT_BATCH_SIZE = 1024;
/** Tries of a checkpoint that other connections' readers kept from finishing. */
const CHECKPOINT_TRIES = 20;

/**
 * Data keys in their own SQLite file (DATA_DIR/personal-data-keys.sqlite), apart from the log.
 * WAL with `synchronous=FULL`: a key handed out is on disk. `secure_delete=ON`: a deleted key's
 * bytes are overwritten with zeros, not left in free space; `destroy` then checkpoints the WAL
 * and truncates it, so no older copy of the page survives there either.
 *
 * Keys are made ahead, 1024 to a transaction, into a pool in memory (KeyPool): taking one costs
 * no write, and its first lookup no read.
 * Each process (or instance) makes its own random ids, so two sharing the file never hand out
 * the same key; keys made but never handed out (a process stopped) belong to no one.
 */
export class SqliteDataKeyStore implements DataKeyStore {
  readonly adapter = 'sqlite';

  private readonly db: Database.Database;
  private readonly masterKey: MasterKey;
  private readonly batchSize: number;
  private readonly pool = new KeyPool();
  private closed = false;
  private readonly statements: {
    insert: Database.Statement<[string, Buffer, string]>;
    select: Database.Statement<[string], KeyRow>;
    delete: Database.Statement<[string]>;
  };

  constructor(options: SqliteDataKeyStoreOptions) {
    if (options.file !== ':memory:') ensurePrivateFile(options.file);
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      key_id TEXT PRIMARY KEY,
      wrapped BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.masterKey = options.masterKey;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    try {
      this.checkMasterKey();
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = {
      insert: this.db.prepare(
        'INSERT INTO data_keys (key_id, wrapped, created_at) VALUES (?, ?, ?)',
      ),
      // One statement for any number of ids: they travel as one JSON array.
      select: this.db.prepare<[string], KeyRow>(
        'SELECT key_id, wrapped FROM data_keys WHERE key_id IN (SELECT value FROM json_each(?))',
      ),
      delete: this.db.prepare(
        'DELETE FROM data_keys WHERE key_id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  async newKeyId(): Promise<string> {
    this.checkOpen();
    // better-sqlite3 is synchronous: concurrent callers cannot interleave with a refill.
    if (this.pool.size === 0) this.refill();
    return this.pool.take() as string;
  }

  async keys(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    this.checkOpen();
    const keys = new Map<string, Buffer>();
    const left = this.pool.claim(keyIds, keys);
    if (left.length === 0) return keys;
    for (const row of this.statements.select.all(JSON.stringify(left))) {
      keys.set(row.key_id, this.masterKey.unwrap(row.key_id, row.wrapped));
    }
    return keys;
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    this.checkOpen();
    if (keyIds.length === 0) return;
    this.pool.forget(keyIds);
    this.statements.delete.run(JSON.stringify(keyIds));
    // The page as it was before the delete may still be in the WAL, or in the database file with
    // its zeroed version only in the WAL: copy the WAL back and empty it. Readers in other
    // connections can hold a checkpoint back; the busy timeout waits for them, then we try again.
    for (let attempt = 1; ; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result.busy === 0) return;
      if (attempt === CHECKPOINT_TRIES) {
        throw new Error(
          'The data keys were deleted, but readers of the key store kept the WAL from being ' +
            'emptied; retry the erasure',
        );
      }
      await sleep(50);
    }
  }

  close(): Promise<void> {
    if (!this.closed) this.db.close();
    this.closed = true;
    return Promise.resolve();
  }

  /**
   * A wrong PERSONAL_DATA_KEY must stop the start: otherwise the service would run, read every
   * person as unreadable, and wrap new keys under a second master key in the same store.
   */
  private checkMasterKey(): void {
    const row = this.db.prepare<[], KeyRow>('SELECT key_id, wrapped FROM data_keys LIMIT 1').get();
    if (row !== undefined) this.masterKey.unwrap(row.key_id, row.wrapped);
  }

  private refill(): void {
    const createdAt = new Date().toISOString();
    const keys = KeyPool.make(this.masterKey, this.batchSize);
    this.db.transaction(() => {
      for (const { keyId, wrapped } of keys) this.statements.insert.run(keyId, wrapped, createdAt);
    })();
    this.pool.add(keys);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('The data key store is closed');
  }
}
