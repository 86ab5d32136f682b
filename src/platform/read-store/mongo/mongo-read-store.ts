import mongoose, { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { Clock } from '../../clock';
import {
  CheckpointMovedError,
  MissingCollectionError,
  UndeclaredFieldError,
  UnsupportedConditionError,
  type Checkpoint,
  type CheckpointAdvance,
  type CollectionSpec,
  type CollectionWrite,
  type Condition,
  type Filter,
  type FindOptions,
  type Lease,
  type QueryPlan,
  type ReadStore,
  type Scalar,
  type StoredDocument,
} from '../read-store.port';
import {
  checkElementCondition,
  checkIndexes,
  conditionsOf,
  fieldsOfCompound,
  isCompound,
  isElementField,
  isPrefix,
  pathOf,
  prefixPattern,
  queryFieldsOf,
  sortKeysOf,
} from '../field-conditions';
import { commitParts, MAX_TRANSACTION_BYTES } from './commit-parts';

export interface MongoReadStoreOptions {
  /** The database to use instead of the one named in the URL. */
  dbName?: string;
  /**
   * What leases expire by. Left out, the server's clock (`$$NOW`): one clock for every process,
   * so that skew between machines cannot move a takeover. Tests inject one to move time.
   */
  clock?: Clock;
  /** The most document bytes one transaction writes; a larger commit is split (`commit`). */
  maxTransactionBytes?: number;
}

/** A read-model document as stored: its own fields at the top level, beside these two. */
interface DocumentRecord {
  _id: string;
  _position: bigint;
  [field: string]: unknown;
}

interface CheckpointRecord {
  _id: string;
  projection: string;
  version: number;
  position: bigint;
  status: Checkpoint['status'];
  /** How many parts of split commits fenced it (`fence`); nothing reads it. */
  fences?: number;
}

interface CollectionRecord {
  _id: string;
  fields: string[];
}

interface LeaseRecord {
  _id: string;
  holder: string;
  expiresAt: Date;
}

type DocumentWrite = mongoose.mongo.AnyBulkWriteOperation<DocumentRecord>;

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const DUPLICATE_KEY = 11000;
const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
const RANGE = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * What a transaction reads and writes is majority-committed: a write it acknowledged survives a
 * failover, and the checkpoint it checked cannot be one that a failover rolls back.
 */
const TRANSACTION_OPTIONS: mongoose.mongo.TransactionOptions = {
  readConcern: { level: 'majority' },
  writeConcern: new mongoose.mongo.WriteConcern('majority'),
};

/**
 * Read models in MongoDB through mongoose: one MongoDB collection `rm_<name>` per read-model
 * collection, each document stored with its own fields at the top level beside `_id` and
 * `_position`, an index `{field: 1, _id: 1}` per declared field, the declared fields in
 * `read_collections` and the checkpoints in `read_checkpoints`. Ties are broken by `_id` in the
 * direction of the last sort key, so that one such index, read forwards or backwards, serves a
 * sort on its field in either direction without sorting in memory, and an equality filter on the
 * field in id order. An element index (`tokens[]`) is an ascending index on `tokens`, which
 * MongoDB makes multikey for an array: a condition on the field then holds when an element meets
 * it, and a prefix (an anchored, case-sensitive regular expression) is a range scan of that index.
 *
 * Documents are written through the driver collection behind the model, not through mongoose
 * documents, which would drop empty objects (`minimize`) and reshape dotted keys; reads use
 * `lean()`, so what is read is what was written. The connection reads int64 as bigint
 * (`useBigInt64`), so positions above 2^53 come back exact.
 *
 * Every write waits for a majority of the replica set (`w: 'majority'`) and every read sees only
 * majority-committed data, so that nothing a failover rolls back was ever acknowledged or served.
 * On a replica set or a sharded cluster, `commit` and `promote` run in a transaction. On a
 * standalone server they cannot; see `commitWithoutTransaction` for why that order stays safe.
 * docs/mongodb.md gives the evidence for each choice.
 */
export class MongoReadStore implements ReadStore {
  readonly adapter = 'mongodb';

  private readonly models = new Map<string, Model<DocumentRecord>>();
  private readonly declared = new Map<string, Set<string>>();
  private readonly checkpointModel: Model<CheckpointRecord>;
  private readonly collectionModel: Model<CollectionRecord>;
  private readonly leaseModel: Model<LeaseRecord>;
  private transactional?: Promise<boolean>;

  private readonly clock?: Clock;
  private readonly maxTransactionBytes: number;

  private constructor(
    private readonly connection: Connection,
    options: MongoReadStoreOptions,
  ) {
    this.clock = options.clock;
    this.maxTransactionBytes = options.maxTransactionBytes ?? MAX_TRANSACTION_BYTES;
    // Model names outside the collection-name pattern, so no read model can take them.
    this.checkpointModel = connection.model<CheckpointRecord>(
      'ReadCheckpoint',
      new Schema<CheckpointRecord>(
        {
          _id: { type: String, required: true },
          projection: { type: String, required: true },
          version: { type: Number, required: true },
          position: { type: Schema.Types.BigInt, required: true },
          status: { type: String, enum: ['active', 'building'], required: true },
          fences: { type: Number },
        },
        { collection: 'read_checkpoints', versionKey: false, autoIndex: false, autoCreate: false },
      ),
    );
    this.collectionModel = connection.model<CollectionRecord>(
      'ReadCollection',
      new Schema<CollectionRecord>(
        { _id: { type: String, required: true }, fields: { type: [String], required: true } },
        { collection: 'read_collections', versionKey: false, autoIndex: false, autoCreate: false },
      ),
    );
    this.leaseModel = connection.model<LeaseRecord>(
      'ReadLease',
      new Schema<LeaseRecord>(
        {
          _id: { type: String, required: true },
          holder: { type: String, required: true },
          expiresAt: { type: Date, required: true },
        },
        { collection: 'read_leases', versionKey: false, autoIndex: false, autoCreate: false },
      ),
    );
  }

  static async connect(url: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const connection = await mongoose
      .createConnection(url, {
        ...(options.dbName === undefined ? {} : { dbName: options.dbName }),
        // Positions are 64-bit integers: read them back as bigint, never as a rounded number.
        useBigInt64: true,
        // As JSON does in the SQLite adapter: a field that is undefined is left out, not null.
        ignoreUndefined: true,
        autoIndex: false,
        autoCreate: false,
        // Acknowledged once a majority has it, and read only once a majority has it: nothing
        // served or acknowledged is lost to a failover.
        w: 'majority',
        readConcernLevel: 'majority',
      })
      .asPromise();
    return new MongoReadStore(connection, options);
  }

  /** Over a connection the caller opened (with the options `connect` sets); for tests. */
  static over(connection: Connection, options: MongoReadStoreOptions = {}): MongoReadStore {
    return new MongoReadStore(connection, options);
  }

  /** Builds the indexes at once, `deferIndexes` or not: not measured on MongoDB here. */
  async ensureCollection(spec: CollectionSpec): Promise<void> {
    checkIndexes(spec.name, spec.indexes);
    const model = this.modelOf(spec.name);
    await model.createCollection();
    const documents = this.documents(spec.name);
    const fields = queryFieldsOf(spec.indexes);
    const elementPaths = new Set([...fields].filter(isElementField).map(pathOf));
    // `createIndex` returns at once when the index exists.
    for (const compound of spec.indexes.filter(isCompound)) {
      const keys = Object.fromEntries(fieldsOfCompound(compound).map((field) => [field, 1]));
      await documents.createIndex({ ...keys, _id: 1 });
    }
    for (const path of new Set([...fields].map(pathOf))) {
      if (elementPaths.has(path)) {
        // Multikey, for conditions on an element; never sorted on, so nothing after it.
        await documents.createIndex({ [path]: 1 });
        continue;
      }
      await documents.createIndex({ [path]: 1, _id: 1 });
      // The single-field index made before is a prefix of this one: only a cost to writes now.
      await dropIndexIfPresent(documents, `${path}_1`);
    }
    await this.collectionModel.updateOne(
      { _id: spec.name },
      { $set: { fields: [...spec.indexes] } },
      { upsert: true },
    );
    this.declared.set(spec.name, fields);
  }

  /** Forgets the checkpoint first: a crash half-way leaves documents without one, never a
   * checkpoint whose documents are gone. */
  async dropCollection(name: string): Promise<void> {
    checkName(name);
    await this.checkpointModel.deleteOne({ _id: name });
    await this.collectionModel.deleteOne({ _id: name });
    await this.dropDocuments(name);
  }

  async get<Doc extends object>(collection: string, id: string): Promise<Doc | null> {
    const found = await this.getMany(collection, [id]);
    return (found.get(id)?.document as Doc | undefined) ?? null;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>> {
    const model = this.modelOf(collection);
    if (ids.length === 0) return new Map();
    const records = await model.find({ _id: { $in: [...ids] } }).lean<DocumentRecord[]>();
    if (records.length < new Set(ids).size) await this.checkStillThere(collection);
    return new Map(records.map((record) => [record._id, storedOf(record)]));
  }

  async scan(
    collection: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredDocument[]> {
    if (limit <= 0) return [];
    const records = await this.modelOf(collection)
      .find(afterId === undefined ? {} : { _id: { $gt: afterId } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<DocumentRecord[]>();
    if (records.length === 0) await this.checkStillThere(collection);
    return records.map(storedOf);
  }

  async find<Doc extends object>(collection: string, options: FindOptions = {}): Promise<Doc[]> {
    const model = this.modelOf(collection);
    const filter = await this.filterOf(collection, options.filter);
    const sort = await this.sortOf(collection, options.sort);
    // MongoDB reads a limit of 0 as "no limit".
    if (options.limit === 0) return [];
    const query = model
      .find(filter)
      .sort(sort)
      .skip(options.offset ?? 0);
    if (options.limit !== undefined) query.limit(options.limit);
    const records = await query.lean<DocumentRecord[]>();
    if (records.length === 0) await this.checkStillThere(collection);
    return records.map((record) => storedOf(record).document as Doc);
  }

  /** How MongoDB would run `find` (its query planner's winning plan), in declared fields. */
  async explain(collection: string, options: FindOptions = {}): Promise<QueryPlan> {
    const filter = await this.filterOf(collection, options.filter);
    const sort = await this.sortOf(collection, options.sort);
    // As a command of its own: a cursor's explain would carry the connection's majority read
    // concern inside the explained `find`, which not every server version takes there.
    const explained = await this.database().command({
      explain: {
        find: this.documents(collection).collectionName,
        filter,
        sort,
        skip: options.offset ?? 0,
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      },
      verbosity: 'queryPlanner',
    });
    const planner = explained.queryPlanner as { winningPlan?: unknown } | undefined;
    const stages = stagesOf(planner?.winningPlan);
    const declared = this.declared.get(collection) ?? new Set<string>();
    const indexedFields = new Set<string>();
    for (const stage of stages) {
      if (stage.stage !== 'IXSCAN' || typeof stage.keyPattern !== 'object' || !stage.keyPattern)
        continue;
      if (wholeIndexScan(stage)) continue;
      const bounds = (stage.indexBounds ?? {}) as Record<string, unknown>;
      for (const path of Object.keys(stage.keyPattern)) {
        // A key the scan does not narrow (a compound index's sort key, `_id`) is not sought.
        if (path === '_id' || unbounded(bounds[path])) continue;
        // A multikey index serves the declared element index; a plain one the scalar field.
        indexedFields.add(
          declared.has(`${path}[]`) && stage.isMultiKey === true ? `${path}[]` : path,
        );
      }
    }
    return {
      indexedFields: [...indexedFields].sort(),
      fullScan: stages.some((stage) => stage.stage === 'COLLSCAN' || wholeIndexScan(stage)),
      blockingSort: stages.some((stage) => stage.stage === 'SORT'),
      detail: JSON.stringify(planner?.winningPlan ?? null, withoutRejectedPlans),
    };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const model = this.modelOf(collection);
    // Number(): a count beyond int32 arrives as int64, which this connection reads as bigint.
    const count = Number(await model.countDocuments(await this.filterOf(collection, filter)));
    if (count === 0) await this.checkStillThere(collection);
    return count;
  }

  /**
   * One transaction, unless the documents exceed `maxTransactionBytes` (MongoDB aborts a
   * transaction past 60 s or its cache share): then one transaction per part (`commitParts`), in
   * order. Every part first writes each checkpoint it advances, still at `from` (`fence`), so a
   * writer that moved one meanwhile conflicts with it and the part writes nothing; only the last
   * part advances them. A crash between parts leaves documents ahead of their checkpoint, which
   * the replay after it leaves alone (nothing lost or applied twice), and readers may see those
   * documents before the checkpoint passes them, as without transactions.
   */
  async commit(
    writes: readonly CollectionWrite[],
    advances: readonly CheckpointAdvance[],
  ): Promise<void> {
    for (const write of writes) this.modelOf(write.collection);
    if (!(await this.supportsTransactions())) {
      await this.commitWithoutTransaction(writes, advances);
      return;
    }
    const parts = commitParts(writes, this.maxTransactionBytes);
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      await this.connection.transaction(async (session) => {
        for (const advance of advances) {
          if (last) await this.advance(advance, session);
          else await this.fence(advance, session);
        }
        for (const write of part) {
          await this.bulkWrite(
            write.collection,
            [
              ...write.upserts.map(({ id, position, document }): DocumentWrite => ({
                replaceOne: {
                  filter: { _id: id },
                  replacement: recordOf(id, position, document),
                  upsert: true,
                },
              })),
              ...write.deletes.map((id): DocumentWrite => ({ deleteOne: { filter: { _id: id } } })),
            ],
            session,
          );
        }
      }, TRANSACTION_OPTIONS);
    }
  }

  async checkpoints(projection?: string): Promise<Checkpoint[]> {
    const records = await this.checkpointModel
      .find(projection === undefined ? {} : { projection })
      .sort({ _id: 1 })
      .lean<CheckpointRecord[]>();
    return records.map((record) => ({
      projection: record.projection,
      collection: record._id,
      version: record.version,
      position: toBigInt(record.position),
      status: record.status,
    }));
  }

  async createCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const { collection, projection, version, position, status } = checkpoint;
    try {
      await this.checkpointModel.create({ _id: collection, projection, version, position, status });
    } catch (error) {
      if (hasCode(error, DUPLICATE_KEY)) throw new CheckpointMovedError(collection);
      throw error;
    }
  }

  /**
   * Activates `collection` first and forgets the collections it replaces after, so that without
   * a transaction a crash between the two leaves two active collections (which promoting again
   * repairs), never none. MongoDB cannot drop a collection inside a transaction, so the replaced
   * documents are dropped once their checkpoints are gone.
   */
  async promote(collection: string): Promise<void> {
    const replaced = await this.inTransaction(async (session) => {
      const target = await this.checkpointModel
        .findOne({ _id: collection }, null, { session })
        .lean<CheckpointRecord>();
      if (!target) throw new CheckpointMovedError(collection);
      const active = await this.checkpointModel
        .find({ projection: target.projection, status: 'active', _id: { $ne: collection } }, null, {
          session,
        })
        .lean<CheckpointRecord[]>();
      const names = active.map((record) => record._id);
      const promoted = await this.checkpointModel.updateOne(
        { _id: collection },
        { $set: { status: 'active' } },
        { session },
      );
      if (promoted.matchedCount !== 1) throw new CheckpointMovedError(collection);
      if (names.length > 0) {
        await this.checkpointModel.deleteMany({ _id: { $in: names } }, { session });
        await this.collectionModel.deleteMany({ _id: { $in: names } }, { session });
      }
      return names;
    });
    for (const name of replaced) await this.dropDocuments(name);
  }

  /**
   * One findOneAndUpdate on the lease's `_id`, atomic on the document, whose pipeline takes the
   * lease only when it is free (a new document), the holder's own, or expired, and otherwise
   * leaves it as it is: acquired when the lease comes back with this holder. The condition sits
   * in the pipeline, not in the filter, because MongoDB refuses `$expr` in the filter of an upsert
   * (mongodb/mongo `jstests/core/query/expr/expr.js`); with a filter on `_id` alone, of two
   * processes inserting one lease at once the server retries the loser as an update, or it fails
   * with a duplicate key: either way not acquired. Expiry is written and compared by `now`
   * (`$$NOW`, the server's clock), through the driver collection, so that the pipeline and
   * `returnDocument` reach the server as written (mongoose passes a pipeline through uncast too,
   * but its own findOneAndUpdate answers with the document before the update unless told `new`).
   */
  async acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | null> {
    const now = this.now();
    const mine = { $literal: holder };
    const takeable = {
      $or: [
        { $eq: [{ $type: '$holder' }, 'missing'] },
        { $eq: ['$holder', mine] },
        { $lte: ['$expiresAt', now] },
      ],
    };
    try {
      const record = await this.leases().findOneAndUpdate(
        { _id: name },
        [
          {
            $set: {
              holder: { $cond: [takeable, mine, '$holder'] },
              expiresAt: { $cond: [takeable, { $add: [now, ttlMs] }, '$expiresAt'] },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      return record?.holder === holder ? leaseOf(record) : null;
    } catch (error) {
      if (hasCode(error, DUPLICATE_KEY)) return null;
      throw error;
    }
  }

  async renewLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.leases().updateOne({ _id: name, holder }, [
      { $set: { expiresAt: { $add: [this.now(), ttlMs] } } },
    ]);
    return renewed.matchedCount === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.leaseModel.deleteOne({ _id: name, holder });
  }

  async lease(name: string): Promise<Lease | null> {
    const record = await this.leaseModel.findOne({ _id: name }).lean<LeaseRecord>();
    return record ? leaseOf(record) : null;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /**
   * Without transactions the steps cannot be one, so they are ordered to make a crash at any
   * instant harmless:
   *
   * 1. The checkpoints are checked first, so that a stale commit is refused before it writes
   *    anything (only a writer racing between this check and step 3 can still get its documents
   *    in; one writer per projection is the engine's rule).
   * 2. The documents are written before the checkpoints move, each replacement guarded by its
   *    position: it applies only over an older `_position` or a new id, so replaying a commit
   *    never moves a document backwards. When the guard fails, the upsert collides with the
   *    stored `_id` (duplicate key, 11000): the stored document is already as new, and that
   *    error is ignored. Deletes are idempotent.
   * 3. The checkpoints advance last, each only from `from`.
   *
   * A crash before step 3 leaves the checkpoints where they were: the engine replays those
   * events, the guard skips what was already written, nothing is lost or applied twice. A crash
   * after step 3 has nothing left to do. The reverse order could advance a checkpoint past
   * documents that were never written.
   */
  private async commitWithoutTransaction(
    writes: readonly CollectionWrite[],
    advances: readonly CheckpointAdvance[],
  ): Promise<void> {
    if (advances.length > 0) {
      const current = await this.checkpointModel
        .find({ _id: { $in: advances.map((advance) => advance.collection) } })
        .lean<CheckpointRecord[]>();
      for (const { collection, from } of advances) {
        const found = current.find((record) => record._id === collection);
        if (!found || toBigInt(found.position) !== from) throw new CheckpointMovedError(collection);
      }
    }
    for (const write of writes) {
      try {
        await this.bulkWrite(write.collection, [
          ...write.upserts.map(({ id, position, document }): DocumentWrite => ({
            replaceOne: {
              filter: {
                _id: id,
                $or: [{ _position: { $lt: position } }, { _position: { $exists: false } }],
              },
              replacement: recordOf(id, position, document),
              upsert: true,
            },
          })),
          ...write.deletes.map((id): DocumentWrite => ({ deleteOne: { filter: { _id: id } } })),
        ]);
      } catch (error) {
        if (!onlyDuplicateKeys(error)) throw error;
      }
    }
    for (const advance of advances) await this.advance(advance);
  }

  private async advance(
    { collection, from, to }: CheckpointAdvance,
    session?: ClientSession,
  ): Promise<void> {
    const result = await this.checkpointModel.updateOne(
      { _id: collection, position: from },
      { $set: { position: to } },
      { session },
    );
    if (result.matchedCount !== 1) throw new CheckpointMovedError(collection);
  }

  /**
   * Writes the checkpoint without moving it, only while it is at `from`: a transaction that writes
   * a document conflicts with any other that writes it (a no-op `$set` would write nothing).
   */
  private async fence({ collection, from }: CheckpointAdvance, session: ClientSession) {
    const result = await this.checkpointModel.updateOne(
      { _id: collection, position: from },
      { $inc: { fences: 1 } },
      { session },
    );
    if (result.matchedCount !== 1) throw new CheckpointMovedError(collection);
  }

  /** In a transaction each operation runs in order; without one, none stops the others. */
  private async bulkWrite(
    collection: string,
    operations: DocumentWrite[],
    session?: ClientSession,
  ): Promise<void> {
    if (operations.length === 0) return;
    await this.documents(collection).bulkWrite(
      operations,
      session ? { session, ordered: true } : { ordered: false },
    );
  }

  private async inTransaction<T>(work: (session?: ClientSession) => Promise<T>): Promise<T> {
    if (!(await this.supportsTransactions())) return work();
    return this.connection.transaction((session) => work(session), TRANSACTION_OPTIONS);
  }

  /** Transactions need a replica set member or a mongos; a standalone server has neither. */
  private supportsTransactions(): Promise<boolean> {
    this.transactional ??= this.database()
      .admin()
      .command({ hello: 1 })
      .then((hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid')
      .catch((error: unknown) => {
        this.transactional = undefined;
        throw error;
      });
    return this.transactional;
  }

  /**
   * A dropped collection answers every read with nothing, where SQLite fails (no such table); a
   * read that raced a rebuild's promotion would then serve an empty page instead of running again
   * on the new collection (ReadModels.read retries on an error). So an answer of nothing is
   * trusted only while the collection is still declared: its `read_collections` record is deleted
   * before its documents are dropped (`promote`, `dropCollection`), so a record found after the
   * read means the documents were there when it ran. A read that found something needs no check:
   * a dropped collection yields nothing, and one dropped under a running cursor fails it.
   */
  private async checkStillThere(collection: string): Promise<void> {
    if (await this.collectionModel.exists({ _id: collection })) return;
    this.declared.delete(collection);
    throw new MissingCollectionError(collection);
  }

  private async dropDocuments(name: string): Promise<void> {
    this.declared.delete(name);
    try {
      await this.documents(name).drop();
    } catch (error) {
      // Servers before 7.0 refuse to drop a collection that does not exist.
      if (!hasCode(error, NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  /**
   * Now, for leases: the injected clock's time, or else `$$NOW`, the server's time when it runs
   * the operation, so that every process reads expiries by one clock.
   */
  private now(): Date | '$$NOW' {
    return this.clock?.now() ?? '$$NOW';
  }

  private leases(): mongoose.mongo.Collection<LeaseRecord> {
    return this.database().collection<LeaseRecord>(this.leaseModel.collection.collectionName);
  }

  private database(): mongoose.mongo.Db {
    const db = this.connection.db;
    if (!db) throw new Error('The MongoDB read store is not connected');
    return db;
  }

  /** The driver collection behind the model, typed for what it holds (`model.collection` is
   * typed for any document). */
  private documents(collection: string): mongoose.mongo.Collection<DocumentRecord> {
    return this.database().collection<DocumentRecord>(
      this.modelOf(collection).collection.collectionName,
    );
  }

  private modelOf(collection: string): Model<DocumentRecord> {
    let model = this.models.get(collection);
    if (!model) {
      checkName(collection);
      model = this.connection.model<DocumentRecord>(
        collection,
        new Schema<DocumentRecord>(
          { _id: String, _position: Schema.Types.BigInt },
          {
            strict: false,
            versionKey: false,
            collection: `rm_${collection}`,
            autoIndex: false,
            autoCreate: false,
          },
        ),
      );
      this.models.set(collection, model);
    }
    return model;
  }

  private async declaredField(collection: string, field: string): Promise<string> {
    let fields = this.declared.get(collection);
    if (!fields) {
      const record = await this.collectionModel
        .findOne({ _id: collection })
        .lean<CollectionRecord>();
      if (!record) throw new UndeclaredFieldError(collection, field);
      fields = queryFieldsOf(record.fields);
      this.declared.set(collection, fields);
    }
    if (!fields.has(field)) throw new UndeclaredFieldError(collection, field);
    return field;
  }

  /**
   * One clause per condition; clauses on distinct paths in one object, and several on one path
   * (all tokens of a search) under `$and`, since an object holds one value per key.
   */
  private async filterOf(
    collection: string,
    filter: Filter = {},
  ): Promise<Record<string, unknown>> {
    const clauses: [string, unknown][] = [];
    for (const [field, value] of Object.entries(filter)) {
      await this.declaredField(collection, field);
      for (const condition of conditionsOf(value)) {
        if (isElementField(field)) checkElementCondition(collection, field, condition);
        const translated = conditionOf(condition);
        if (translated !== undefined) clauses.push([pathOf(field), translated]);
      }
    }
    const paths = clauses.map(([path]) => path);
    if (new Set(paths).size === paths.length) return Object.fromEntries(clauses);
    return { $and: clauses.map(([path, translated]) => ({ [path]: translated })) };
  }

  /**
   * The sort keys in order (an object keeps the order its string keys were set in), then `_id` in
   * the direction of the last key: `{field: -1, _id: -1}` is `{field: 1, _id: 1}` read backwards.
   */
  private async sortOf(
    collection: string,
    sort: FindOptions['sort'],
  ): Promise<Record<string, 1 | -1>> {
    const order: Record<string, 1 | -1> = {};
    let last: 1 | -1 = 1;
    for (const { field, direction } of sortKeysOf(sort)) {
      await this.declaredField(collection, field);
      if (isElementField(field))
        throw new UnsupportedConditionError(
          collection,
          field,
          'is an element index: it cannot sort',
        );
      last = direction === 'desc' ? -1 : 1;
      order[field] = last;
    }
    order._id = last;
    return order;
  }
}

/** Equality (`null` matches null or missing, as in MongoDB), `$in`, or a range; undefined for an
 * empty range, which matches everything. */
function conditionOf(condition: Condition): unknown {
  if (condition === null || typeof condition !== 'object') return condition;
  if ('in' in condition) return { $in: [...condition.in] };
  // Anchored and case-sensitive: the one kind of regular expression an index answers as a range.
  if (isPrefix(condition)) return { $regex: prefixPattern(condition.startsWith) };
  const range: Record<string, Scalar> = {};
  for (const op of RANGE) {
    const value = condition[op];
    if (value !== undefined) range[`$${op}`] = value;
  }
  return Object.keys(range).length > 0 ? range : undefined;
}

interface PlanStage {
  stage?: unknown;
  keyPattern?: unknown;
  isMultiKey?: unknown;
  indexBounds?: unknown;
}

/**
 * An index scan from MinKey to MaxKey on every field, forwards or backwards: the whole index, in
 * order (for a sort).
 */
function wholeIndexScan(stage: PlanStage): boolean {
  if (stage.stage !== 'IXSCAN' || typeof stage.indexBounds !== 'object' || !stage.indexBounds)
    return false;
  return Object.values(stage.indexBounds).every(unbounded);
}

function unbounded(bounds: unknown): boolean {
  return (
    Array.isArray(bounds) &&
    bounds.length === 1 &&
    (bounds[0] === '[MinKey, MaxKey]' || bounds[0] === '[MaxKey, MinKey]')
  );
}

/**
 * Every stage of a plan tree, whatever it nests them under (inputStage, inputStages, the
 * slot-based engine's queryPlan, a mongos's shards), but none of the plans a shard rejected: a
 * mongos copies each shard's whole queryPlanner, `rejectedPlans` included, into its winning plan
 * (mongodb/mongo, ClusterExplain::buildPlannerInfo), and a rejected COLLSCAN or SORT is not how
 * the query runs.
 */
function stagesOf(plan: unknown): PlanStage[] {
  if (typeof plan !== 'object' || plan === null) return [];
  if (Array.isArray(plan)) return plan.flatMap(stagesOf);
  const nested = Object.entries(plan).flatMap(([key, value]) =>
    key === 'rejectedPlans' ? [] : stagesOf(value),
  );
  return 'stage' in plan ? [plan as PlanStage, ...nested] : nested;
}

/** A JSON.stringify replacer for `QueryPlan.detail`: the plan that runs, as `stagesOf` reads it. */
function withoutRejectedPlans(key: string, value: unknown): unknown {
  return key === 'rejectedPlans' ? undefined : value;
}

function checkName(collection: string): void {
  if (!NAME.test(collection)) throw new Error(`"${collection}" is not a valid collection name`);
}

function recordOf(id: string, position: bigint, document: object): DocumentRecord {
  return { ...document, _id: id, _position: position };
}

function storedOf({ _id, _position, ...document }: DocumentRecord): StoredDocument {
  return { id: _id, position: toBigInt(_position), document };
}

/** A position as written by this adapter is int64, read back as bigint; accept an exact number
 * too, but never round one. */
function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new Error(`Not a position: ${String(value)}`);
}

function leaseOf(record: LeaseRecord): Lease {
  return { name: record._id, holder: record.holder, expiresAt: new Date(record.expiresAt) };
}

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof mongoose.mongo.MongoBulkWriteError)) return false;
  const writeErrors = [error.writeErrors].flat();
  return (
    writeErrors.length > 0 &&
    writeErrors.every((writeError) => writeError.code === DUPLICATE_KEY) &&
    error.result.getWriteConcernError() === undefined
  );
}

async function dropIndexIfPresent(
  documents: mongoose.mongo.Collection<DocumentRecord>,
  name: string,
): Promise<void> {
  try {
    await documents.dropIndex(name);
  } catch (error) {
    if (!hasCode(error, INDEX_NOT_FOUND)) throw error;
  }
}
