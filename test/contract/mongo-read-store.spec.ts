import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { MongoReadStore } from '../../src/platform/read-store/mongo/mongo-read-store';
import { describeReadStoreContract } from './read-store.contract';

const url = process.env.MONGODB_URL;

if (url) {
  /** One database per run, dropped at the end: the server may serve other runs meanwhile. */
  const dbName = `bansos_read_store_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  describeReadStoreContract('MongoDB', async (clock) => {
    const store = await MongoReadStore.connect(url, { dbName, clock });
    return {
      store,
      explain: (collection, options) => store.explain(collection, options),
      dispose: () => store.close(),
    };
  });

  afterAll(async () => {
    const connection = await mongoose.createConnection(url, { dbName }).asPromise();
    try {
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });
} else {
  describe('ReadStore contract: MongoDB', () => {
    it.todo(
      'skipped: set MONGODB_URL (a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0) to run it',
    );
  });
}
