import mongoose from 'mongoose';
import { MasterKey } from './master-key';
import { DATA_KEY_COLLECTION, MongoDataKeyStore } from './mongo-data-key-store';

/**
 * The adapter over the real mongoose and driver classes, with the driver's Collection answering
 * from memory as a server would (no server can run here; test/contract/data-key-store.contract.ts
 * runs the same behaviour on a real one when MONGODB_URL is set). Documents go through BSON both
 * ways, so what is read back has the types the driver would hand out (Binary, not Buffer).
 */
const { Collection, MongoClient, BSON } = mongoose.mongo;
const server = new Map<string, Map<string, Uint8Array>>();
const sent: { method: string; collection: string; options: unknown }[] = [];

type Stored = { _id: string } & Record<string, unknown>;

function documents(collection: string): Map<string, Uint8Array> {
  const found = server.get(collection) ?? new Map<string, Uint8Array>();
  server.set(collection, found);
  return found;
}

const masterKey = new MasterKey(Buffer.alloc(32, 5));
let store: MongoDataKeyStore;

beforeEach(() => {
  server.clear();
  sent.length = 0;
  jest.spyOn(Collection.prototype, 'insertMany').mockImplementation(async function (
    this: mongoose.mongo.Collection,
    docs: readonly Stored[],
    options?: unknown,
  ) {
    sent.push({ method: 'insertMany', collection: this.collectionName, options });
    await Promise.resolve();
    for (const doc of docs) documents(this.collectionName).set(doc._id, BSON.serialize(doc));
    return { acknowledged: true, insertedCount: docs.length } as never;
  });
  jest.spyOn(Collection.prototype, 'find').mockImplementation(function (
    this: mongoose.mongo.Collection,
    filter?: object,
  ) {
    const ids = (filter as { _id: { $in: string[] } })._id.$in;
    const found = ids
      .map((id) => documents(this.collectionName).get(id))
      .filter((bytes) => bytes !== undefined)
      .map((bytes) => BSON.deserialize(bytes));
    return { toArray: () => Promise.resolve(found) } as never;
  });
  jest.spyOn(Collection.prototype, 'deleteMany').mockImplementation(function (
    this: mongoose.mongo.Collection,
    filter?: object,
    options?: unknown,
  ) {
    sent.push({ method: 'deleteMany', collection: this.collectionName, options });
    const ids = (filter as { _id: { $in: string[] } })._id.$in;
    for (const id of ids) documents(this.collectionName).delete(id);
    return Promise.resolve({ acknowledged: true, deletedCount: ids.length }) as never;
  });
  store = openStore();
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** A store over a connection that never connects: the commands above answer before a socket. */
function openStore(batchSize = 16): MongoDataKeyStore {
  const client = new MongoClient('mongodb://127.0.0.1:9');
  const connection = mongoose.createConnection();
  Object.assign(connection, { db: client.db('read'), client });
  (connection as unknown as { onOpen(): void }).onOpen();
  return MongoDataKeyStore.over(connection, masterKey, { batchSize });
}

describe('MongoDataKeyStore', () => {
  it('makes keys in batches of one majority-acknowledged insertMany, shared by concurrent callers', async () => {
    const keyIds = await Promise.all(Array.from({ length: 40 }, () => store.newKeyId()));
    expect(new Set(keyIds).size).toBe(40);
    expect(sent).toEqual(
      Array.from({ length: 3 }, () => ({
        method: 'insertMany',
        collection: DATA_KEY_COLLECTION,
        options: expect.objectContaining({ writeConcern: { w: 'majority' } }) as unknown,
      })),
    );
    expect(documents(DATA_KEY_COLLECTION).size).toBe(48);
  });

  it('writes the next batch once a quarter of the pool is left, before anyone waits for it', async () => {
    for (let taken = 0; taken < 12; taken++) await store.newKeyId();
    expect(sent).toHaveLength(1);
    await store.newKeyId();
    await Promise.resolve();
    expect(sent).toHaveLength(2);
    expect(documents(DATA_KEY_COLLECTION).size).toBe(32);
  });

  it('stores keys wrapped by the master key, and reads them back unwrapped', async () => {
    const keyId = await store.newKeyId();
    const stored = BSON.deserialize(documents(DATA_KEY_COLLECTION).get(keyId) ?? new Uint8Array());
    expect(stored.wrapped).toBeInstanceOf(mongoose.mongo.Binary);
    // The first lookup is the registration's, from the pool; the next ones read the server.
    const key = (await store.keys([keyId])).get(keyId) ?? Buffer.alloc(0);
    expect(key).toHaveLength(32);
    expect(Buffer.from((stored.wrapped as mongoose.mongo.Binary).value()).includes(key)).toBe(
      false,
    );
    const fromServer = await store.keys([keyId, 'never-made']);
    expect([...fromServer.keys()]).toEqual([keyId]);
    expect(fromServer.get(keyId)).toEqual(key);
  });

  it('refuses a master key other than the one its keys were wrapped with', async () => {
    const keyId = await store.newKeyId();
    jest.spyOn(Collection.prototype, 'findOne').mockImplementation(function (
      this: mongoose.mongo.Collection,
    ) {
      const bytes = documents(this.collectionName).get(keyId);
      return Promise.resolve(bytes ? BSON.deserialize(bytes) : null) as never;
    });
    await expect(store.checkMasterKey()).resolves.toBeUndefined();
    const other = MongoDataKeyStore.over(
      (store as unknown as { connection: mongoose.Connection }).connection,
      new MasterKey(Buffer.alloc(32, 6)),
    );
    await expect(other.checkMasterKey()).rejects.toThrow(/PERSONAL_DATA_KEY/);
  });

  it('never hands out a key another store on the same database handed out', async () => {
    const other = openStore();
    const taken = await Promise.all(
      Array.from({ length: 50 }, (_, index) => (index % 2 ? store : other).newKeyId()),
    );
    expect(new Set(taken).size).toBe(50);
    expect((await store.keys(taken)).size).toBe(50);
  });

  it('destroys keys with a majority-acknowledged deleteMany, idempotently', async () => {
    const [gone, kept] = [await store.newKeyId(), await store.newKeyId()];
    await store.destroy([gone]);
    await store.destroy([gone]);
    expect([...(await store.keys([gone, kept])).keys()]).toEqual([kept]);
    expect(sent.filter((command) => command.method === 'deleteMany')).toEqual([
      {
        method: 'deleteMany',
        collection: DATA_KEY_COLLECTION,
        options: { writeConcern: { w: 'majority' } },
      },
      {
        method: 'deleteMany',
        collection: DATA_KEY_COLLECTION,
        options: { writeConcern: { w: 'majority' } },
      },
    ]);
  });

  it('hands out no key whose insert failed, and refills on the next call', async () => {
    jest
      .spyOn(Collection.prototype, 'insertMany')
      .mockRejectedValueOnce(new mongoose.mongo.MongoServerError({ message: 'not primary' }));
    await expect(store.newKeyId()).rejects.toThrow(/not primary/);
    const keyId = await store.newKeyId();
    expect((await store.keys([keyId])).size).toBe(1);
  });
});
