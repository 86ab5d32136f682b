import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { MongoReadStore } from '../../src/platform/read-store/mongo/mongo-read-store';
import { describeRecipientSearch } from '../helpers/recipient-search-suite';

const url = process.env.MONGODB_URL;

if (url) {
  /** One database per run, dropped at the end: the server may serve other runs meanwhile. */
  const dbName = `bansos_recipient_search_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  describeRecipientSearch('MongoDB', async () => {
    const store = await MongoReadStore.connect(url, { dbName });
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
  describe('recipient registry search: MongoDB', () => {
    it.todo('skipped: set MONGODB_URL (a replica set) to run the registry search on MongoDB');
  });
}
