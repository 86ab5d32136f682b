import mongoose from 'mongoose';
import { FixedClock } from '../../clock';
import { MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store';

/**
 * The adapter over the real mongoose and driver classes, with the driver's Collection answering
 * from memory as a server would for the few filters these cases send (no server can run here;
 * test/contract/mongo-read-store.spec.ts runs the same behaviour on a real one). A collection
 * that is not in `server` answers every read with nothing, as a dropped one does on MongoDB.
 */
type Stored = Record<string, unknown> & { _id: string };
const server = new Map<string, Map<string, Stored>>();
const sent: { method: string; collection: string; args: unknown[] }[] = [];

const { Collection, Admin, MongoClient } = mongoose.mongo;

function matches(document: Stored, filter: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = document[field];
    if (typeof condition === 'object' && condition !== null && '$in' in condition)
      return (condition.$in as unknown[]).includes(value);
    return value === condition;
  });
}

const documentsOf = (collection: string, filter: Record<string, unknown> = {}): Stored[] =>
  [...(server.get(collection)?.values() ?? [])].filter((document) => matches(document, filter));

function put(collection: string, document: Stored): void {
  const documents = server.get(collection) ?? new Map<string, Stored>();
  documents.set(document._id, document);
  server.set(collection, documents);
}

let store: MongoReadStore;
let connection: mongoose.Connection;

beforeEach(() => {
  server.clear();
  sent.length = 0;
  jest.spyOn(Collection.prototype, 'find').mockImplementation(function (
    this: mongoose.mongo.Collection,
    filter?: object,
  ) {
    const found = documentsOf(this.collectionName, filter as Record<string, unknown>);
    return { toArray: () => Promise.resolve(found) } as never;
  });
  jest.spyOn(Collection.prototype, 'findOne').mockImplementation(function (
    this: mongoose.mongo.Collection,
    filter?: object,
  ) {
    const [found] = documentsOf(this.collectionName, filter as Record<string, unknown>);
    return Promise.resolve(found ?? null) as never;
  });
  jest.spyOn(Collection.prototype, 'countDocuments').mockImplementation(function (
    this: mongoose.mongo.Collection,
    filter?: object,
  ) {
    return Promise.resolve(
      documentsOf(this.collectionName, filter as Record<string, unknown>).length,
    );
  });
  for (const method of ['findOneAndUpdate', 'updateOne'] as const) {
    jest.spyOn(Collection.prototype, method).mockImplementation(function (
      this: mongoose.mongo.Collection,
      ...args: unknown[]
    ) {
      sent.push({ method, collection: this.collectionName, args });
      return Promise.resolve(
        method === 'updateOne' ? { matchedCount: 1 } : { _id: 'lease', holder: 'a' },
      ) as never;
    });
  }
  store = openStore();
});

/** A store over a connection that never connects: the commands above answer before a socket. */
function openStore(options: MongoReadStoreOptions = {}): MongoReadStore {
  const client = new MongoClient('mongodb://127.0.0.1:9');
  connection = mongoose.createConnection();
  Object.assign(connection, { db: client.db('read'), client });
  // What mongoose does once a client connects: its collections now reach the driver's.
  (connection as unknown as { onOpen(): void }).onOpen();
  return MongoReadStore.over(connection, options);
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('MongoReadStore, a read racing a promotion', () => {
  /** v1 serves `{kind: old}`; v2 was built beside it with `{kind: new}`. */
  function rebuilt(): void {
    put('read_checkpoints', {
      _id: 'q-v1',
      projection: 'q',
      version: 1,
      position: 5n,
      status: 'active',
    });
    put('read_checkpoints', {
      _id: 'q-v2',
      projection: 'q',
      version: 2,
      position: 5n,
      status: 'building',
    });
    put('read_collections', { _id: 'q-v1', fields: ['kind'] });
    put('read_collections', { _id: 'q-v2', fields: ['kind'] });
    put('rm_q-v1', { _id: 'a', _position: 5n, kind: 'old' });
    put('rm_q-v2', { _id: 'a', _position: 5n, kind: 'new' });
  }

  /** What `promote` leaves on the server: v2 active, v1's records gone, then its documents. */
  function promoted(): void {
    const v2 = server.get('read_checkpoints')?.get('q-v2');
    if (v2) v2.status = 'active';
    server.get('read_checkpoints')?.delete('q-v1');
    server.get('read_collections')?.delete('q-v1');
    server.delete('rm_q-v1');
  }

  it.each([
    ['find', () => store.find('q-v1', { filter: { kind: 'new' } })],
    ['get', () => store.get('q-v1', 'a')],
    ['getMany', () => store.getMany('q-v1', ['a'])],
    ['count', () => store.count('q-v1', { kind: 'new' })],
    ['scan', () => store.scan('q-v1', undefined, 10)],
  ])('a %s of a dropped collection rejects instead of answering nothing', async (_, read) => {
    rebuilt();
    // This process served v1 before, so it knows v1's fields without asking the server.
    await store.find('q-v1', { filter: { kind: 'old' } });
    promoted();
    // ReadModels.read runs a read that rejects again, on the collection that serves now.
    await expect(read()).rejects.toThrow(/q-v1 is not there/);
  });

  it('trusts an answer of nothing from a collection that is still there', async () => {
    rebuilt();
    expect(await store.find('q-v1', { filter: { kind: 'none' } })).toEqual([]);
    expect(await store.count('q-v1', { kind: 'none' })).toBe(0);
    expect(await store.get('q-v1', 'missing')).toBeNull();
  });
});

describe('MongoReadStore leases', () => {
  it("times leases by the server's clock ($$NOW) when given no clock", async () => {
    await store.acquireLease('projections', 'a', 15_000);
    await store.renewLease('projections', 'a', 15_000);
    const [acquire, renew] = sent;
    expect(acquire.collection).toBe('read_leases');
    // MongoDB refuses $expr in an upsert's filter: the filter names the lease alone.
    expect(acquire.args[0]).toEqual({ _id: 'projections' });
    const takeable = {
      $or: [
        { $eq: [{ $type: '$holder' }, 'missing'] },
        { $eq: ['$holder', { $literal: 'a' }] },
        { $lte: ['$expiresAt', '$$NOW'] },
      ],
    };
    expect(acquire.args[1]).toEqual([
      {
        $set: {
          holder: { $cond: [takeable, { $literal: 'a' }, '$holder'] },
          expiresAt: { $cond: [takeable, { $add: ['$$NOW', 15_000] }, '$expiresAt'] },
        },
      },
    ]);
    expect(acquire.args[2]).toMatchObject({ upsert: true, returnDocument: 'after' });
    expect(renew.args[0]).toEqual({ _id: 'projections', holder: 'a' });
    expect(renew.args[1]).toEqual([{ $set: { expiresAt: { $add: ['$$NOW', 15_000] } } }]);
    expect(JSON.stringify(sent)).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('answers whether the lease came back with the holder asking', async () => {
    expect(await store.acquireLease('projections', 'a', 15_000)).toMatchObject({ holder: 'a' });
    expect(await store.acquireLease('projections', 'b', 15_000)).toBeNull();
  });

  it('times them by an injected clock, which tests move', async () => {
    const clock = new FixedClock(new Date('2025-06-20T02:00:00.000Z'));
    store = openStore({ clock });
    await store.acquireLease('projections', 'a', 15_000);
    const text = JSON.stringify(sent[0].args[1]);
    expect(text).toContain(JSON.stringify({ $lte: ['$expiresAt', clock.now()] }));
    expect(text).toContain(JSON.stringify({ $add: [clock.now(), 15_000] }));
    expect(text).not.toContain('$$NOW');
  });
});

describe('MongoReadStore.connect', () => {
  it('gives the driver majority write and read concerns, which every collection inherits', async () => {
    // Mongoose builds the real MongoClient from these options; only the socket is left out.
    jest.spyOn(MongoClient.prototype, 'connect').mockImplementation(function (
      this: mongoose.mongo.MongoClient,
    ) {
      return Promise.resolve(this);
    });
    const connected = await MongoReadStore.connect('mongodb://127.0.0.1:9/read');
    const db = (connected as unknown as { connection: mongoose.Connection }).connection.db;
    const documents = db?.collection('rm_q-v1');
    expect(documents?.readConcern?.level).toBe('majority');
    expect(documents?.writeConcern?.w).toBe('majority');
    expect(documents?.bsonOptions).toMatchObject({ useBigInt64: true, ignoreUndefined: true });
    await connected.close();
  });
});

describe('MongoReadStore transactions', () => {
  interface Transaction {
    /** The concerns the driver's session holds for the transaction, which it sends to the server. */
    concerns: { readConcern?: string; writeConcern?: unknown };
    operations: string[];
  }

  /**
   * Commits on a replica set through mongoose's `connection.transaction` and the driver's own
   * `ClientSession.withTransaction`, recording each transaction's concerns and operations. No
   * operation reaches a server, so each transaction commits empty, without a command.
   */
  function onReplicaSet(): () => Transaction[] {
    store = openStore({ maxTransactionBytes: 1000 });
    jest.spyOn(Admin.prototype, 'command').mockResolvedValue({ setName: 'rs0' });
    const bySession = new Map<unknown, Transaction>();
    const record = (options: unknown, operation: string): void => {
      const session = (options as { session?: mongoose.mongo.ClientSession } | undefined)?.session;
      if (!session?.inTransaction()) throw new Error(`${operation} ran outside a transaction`);
      let transaction = bySession.get(session);
      if (!transaction) {
        const { options } = session.transaction;
        transaction = {
          concerns: {
            readConcern: mongoose.mongo.ReadConcern.fromOptions(options)?.level,
            writeConcern: options.writeConcern?.w,
          },
          operations: [],
        };
        bySession.set(session, transaction);
      }
      transaction.operations.push(operation);
    };
    jest.spyOn(Collection.prototype, 'updateOne').mockImplementation(function (
      this: mongoose.mongo.Collection,
      _filter,
      update,
      options,
    ) {
      const text = JSON.stringify(update, (_, value: unknown) =>
        typeof value === 'bigint' ? `${value}n` : value,
      );
      record(options, `${this.collectionName} ${text}`);
      return Promise.resolve({ matchedCount: 1 }) as never;
    });
    jest.spyOn(Collection.prototype, 'bulkWrite').mockImplementation(function (
      this: mongoose.mongo.Collection,
      operations,
      options,
    ) {
      for (const operation of operations)
        record(options, `${this.collectionName} ${'deleteOne' in operation ? 'delete' : 'upsert'}`);
      return Promise.resolve({}) as never;
    });
    // In the order they began: one session per transaction (mongoose starts one for each).
    return () => [...bySession.values()];
  }

  const document = (id: string, bytes: number) => ({
    id,
    position: 9n,
    document: { text: 'x'.repeat(bytes) },
  });

  it("reads and writes majority-committed data: the driver's session holds both concerns", async () => {
    const transactions = onReplicaSet();
    await store.commit(
      [{ collection: 'q-v1', upserts: [document('a', 10)], deletes: [] }],
      [{ collection: 'q-v1', from: 5n, to: 9n }],
    );
    expect(transactions()).toHaveLength(1);
    expect(transactions()[0].concerns).toEqual({
      readConcern: 'majority',
      writeConcern: 'majority',
    });
  });

  it('promotes in a transaction with the same concerns', async () => {
    const transactions = onReplicaSet();
    jest
      .spyOn(Collection.prototype, 'findOne')
      .mockResolvedValue({ _id: 'q-v2', projection: 'q', status: 'building', position: 5n });
    await store.promote('q-v2');
    expect(transactions().map((transaction) => transaction.concerns)).toEqual([
      { readConcern: 'majority', writeConcern: 'majority' },
    ]);
  });

  it('splits a commit beyond the byte cap, fencing the checkpoint in each part and advancing it in the last', async () => {
    const transactions = onReplicaSet();
    await store.commit(
      [{ collection: 'q-v1', upserts: [document('a', 600), document('b', 600)], deletes: ['c'] }],
      [{ collection: 'q-v1', from: 5n, to: 9n }],
    );
    expect(transactions().map((transaction) => transaction.operations)).toEqual([
      ['read_checkpoints {"$inc":{"fences":1}}', 'rm_q-v1 upsert'],
      ['read_checkpoints {"$set":{"position":"9n"}}', 'rm_q-v1 upsert', 'rm_q-v1 delete'],
    ]);
  });
});

describe('MongoReadStore explain', () => {
  /** `q-v1` declares `kind`; the server answers the explain command with `answer`. */
  function explained(answer: object) {
    put('read_collections', { _id: 'q-v1', fields: ['kind'] });
    const command = jest.spyOn(mongoose.mongo.Db.prototype, 'command').mockResolvedValue(answer);
    return { command, plan: store.explain('q-v1', { filter: { kind: 'new' }, limit: 20 }) };
  }

  /** The plan that runs: `{kind: 1, _id: 1}` sought on `kind`, read in `_id` order. */
  const seek = {
    stage: 'FETCH',
    inputStage: {
      stage: 'IXSCAN',
      keyPattern: { kind: 1, _id: 1 },
      isMultiKey: false,
      indexBounds: { kind: ['["new", "new"]'], _id: ['[MinKey, MaxKey]'] },
    },
  };
  /** What the planner tried and dropped: the whole collection, sorted in memory. */
  const rejected = [{ stage: 'SORT', sortPattern: { _id: 1 }, inputStage: { stage: 'COLLSCAN' } }];

  it('reads a mongos answer by the plans the shards run, not by the ones they rejected', async () => {
    // A mongos copies each shard's queryPlanner, rejectedPlans included, under its winning plan.
    const { plan } = explained({
      queryPlanner: {
        mongosPlannerVersion: 1,
        winningPlan: {
          stage: 'SINGLE_SHARD',
          shards: [{ shardName: 'shard0', winningPlan: seek, rejectedPlans: rejected }],
        },
      },
    });
    expect(await plan).toMatchObject({
      indexedFields: ['kind'],
      fullScan: false,
      blockingSort: false,
    });
    expect((await plan).detail).not.toContain('COLLSCAN');
  });

  it("reads the slot-based engine's plan under queryPlan", async () => {
    const { plan } = explained({
      queryPlanner: {
        winningPlan: { queryPlan: seek, slotBasedPlan: { slots: '…', stages: '…' } },
        rejectedPlans: rejected,
      },
    });
    expect(await plan).toMatchObject({ indexedFields: ['kind'], fullScan: false });
  });

  it('sends explain as a command of its own, with the sort that find sends', async () => {
    const { command, plan } = explained({ queryPlanner: { winningPlan: seek } });
    await plan;
    expect(command).toHaveBeenCalledWith({
      explain: { find: 'rm_q-v1', filter: { kind: 'new' }, sort: { _id: 1 }, skip: 0, limit: 20 },
      verbosity: 'queryPlanner',
    });
  });
});
