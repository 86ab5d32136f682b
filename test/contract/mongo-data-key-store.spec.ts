import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { MasterKey } from '../../src/platform/personal-data/master-key';
import { MongoDataKeyStore } from '../../src/platform/personal-data/mongo-data-key-store';
import { describeDataKeyStoreContract } from './data-key-store.contract';

const url = process.env.MONGODB_URL;

if (url) {
  describeDataKeyStoreContract('MongoDB', async () => {
    // A database of its own per case, dropped after: the server may serve other runs meanwhile.
    const dbName = `bansos_keys_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const masterKey = new MasterKey(Buffer.alloc(32, 1));
    const open = () => MongoDataKeyStore.connect(url, masterKey, { dbName });
    const store = await open();
    return {
      store,
      openAnother: open,
      dispose: async () => {
        await store.close();
        const connection = await mongoose.createConnection(url, { dbName }).asPromise();
        try {
          await connection.dropDatabase();
        } finally {
          await connection.close();
        }
      },
    };
  });
} else {
  describe('DataKeyStore contract: MongoDB', () => {
    it.todo(
      'skipped: set MONGODB_URL (a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0) to run it',
    );
  });
}
