import mongoose, { type Connection } from 'mongoose';
import { KeyPool } from './key-pool';
import type { MasterKey } from './master-key';
import type { DataKeyStore } from './personal-data';

export const DATA_KEY_COLLECTION = 'personal_data_keys';

export interface MongoDataKeyStoreOptions {
  /** The database to use instead of the one named in the URL. */
  dbName?: string;
  /** How many keys one refill of the pool makes (one insertMany). */
  batchSize?: number;
}

interface KeyRecord {
  _id: string;
  wrapped: mongoose.mongo.Binary;
  createdAt: Date;
}

const DEFAULT_BATCH_SIZE = 256;
/** Acknowledged once a majority has it: a key handed out survives a failover. */
const MAJORITY = { writeConcern: { w: 'majority' as const } };

/**
 * Data keys in the `personal_data_keys` collection of the read store's MongoDB database, each
 * `{_id: keyId, wrapped, createdAt}`. Keys are made ahead in a pool (KeyPool), one insertMany
 * per refill, the next one started while a quarter of the last is left; concurrent callers share
 * one refill. Each process makes its own random ids, so no two hand out
 * the same key.
 *
 * Destroying deletes the documents (majority-acknowledged). Unlike the SQLite file, MongoDB may
 * keep the bytes of a deleted document in its storage files until they are reused or compacted,
 * and the insert in its oplog until the oplog rolls over: what stays there is the key wrapped by
 * the master key, useless without it (docs: the erasure section of README).
 */
export class MongoDataKeyStore implements DataKeyStore {
  readonly adapter = 'mongodb';

  private readonly batchSize: number;
  private readonly pool = new KeyPool();
  private refilling?: Promise<void>;
  private closed = false;

  private constructor(
    private readonly connection: Connection,
    private readonly masterKey: MasterKey,
    options: MongoDataKeyStoreOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  }

  /** Its own connection to the database the URL names, as MongoReadStore.connect opens one. */
  static async connect(
    url: string,
    masterKey: MasterKey,
    options: MongoDataKeyStoreOptions = {},
  ): Promise<MongoDataKeyStore> {
    const connection = await mongoose
      .createConnection(url, {
        ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
        autoIndex: false,
        autoCreate: false,
        w: 'majority',
        readConcernLevel: 'majority',
      })
      .asPromise();
    const store = new MongoDataKeyStore(connection, masterKey, options);
    try {
      await store.checkMasterKey();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /**
   * Unwraps one stored key, if any: a wrong PERSONAL_DATA_KEY must stop the start, or the service
   * would read every person as unreadable and wrap new keys under a second master key.
   */
  async checkMasterKey(): Promise<void> {
    const record = await this.collection().findOne({}, { projection: { wrapped: 1 } });
    if (record) this.masterKey.unwrap(record._id, record.wrapped.value());
  }

  /** Over a connection the caller opened (with the options `connect` sets); for tests. */
  static over(
    connection: Connection,
    masterKey: MasterKey,
    options: MongoDataKeyStoreOptions = {},
  ): MongoDataKeyStore {
    return new MongoDataKeyStore(connection, masterKey, options);
  }

  async newKeyId(): Promise<string> {
    this.checkOpen();
    for (;;) {
      const keyId = this.pool.take();
      // A quarter left: the next batch is written while these are handed out.
      if (this.pool.size < this.batchSize / 4) this.startRefill().catch(() => undefined);
      if (keyId !== undefined) return keyId;
      await this.startRefill();
    }
  }

  async keys(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    this.checkOpen();
    const keys = new Map<string, Buffer>();
    const left = this.pool.claim(keyIds, keys);
    if (left.length === 0) return keys;
    const records = await this.collection()
      .find({ _id: { $in: left } }, { projection: { wrapped: 1 } })
      .toArray();
    for (const record of records) {
      keys.set(record._id, this.masterKey.unwrap(record._id, record.wrapped.value()));
    }
    return keys;
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    this.checkOpen();
    if (keyIds.length === 0) return;
    this.pool.forget(keyIds);
    await this.collection().deleteMany({ _id: { $in: [...keyIds] } }, MAJORITY);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }

  /** One refill at a time, shared by whoever waits for it. */
  private startRefill(): Promise<void> {
    this.refilling ??= this.refill().finally(() => (this.refilling = undefined));
    return this.refilling;
  }

  private async refill(): Promise<void> {
    const createdAt = new Date();
    const keys = KeyPool.make(this.masterKey, this.batchSize);
    const records: KeyRecord[] = keys.map(({ keyId, wrapped }) => ({
      _id: keyId,
      wrapped: new mongoose.mongo.Binary(wrapped),
      createdAt,
    }));
    await this.collection().insertMany(records, { ordered: true, ...MAJORITY });
    this.pool.add(keys);
  }

  private collection(): mongoose.mongo.Collection<KeyRecord> {
    const db = this.connection.db;
    if (db === undefined) throw new Error('The data key store is not connected');
    return db.collection<KeyRecord>(DATA_KEY_COLLECTION);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('The data key store is closed');
  }
}
