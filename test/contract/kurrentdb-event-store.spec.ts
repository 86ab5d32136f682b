import { KurrentDbEventStore } from '../../src/platform/event-store/kurrentdb/kurrentdb-event-store';
import { describeEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_URL;

if (url) {
  describeEventStoreContract('KurrentDB', async (clock) => {
    const store = KurrentDbEventStore.connect(url, clock);
    return { store, dispose: () => store.close() };
  });
} else {
  describe('EventStore contract: KurrentDB', () => {
    it.todo('skipped: set EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false) to run it');
  });
}
