import { KurrentDbSemanticsEventStore } from '../doubles/kurrentdb-semantics-event-store';
import { describeEventStoreContract } from './event-store.contract';

// The in-memory stand-in for KurrentDB must keep the same contract as the real adapters, or the
// engine suites run over it would prove nothing.
describeEventStoreContract(
  'KurrentDB semantics (in memory)',
  async (clock) => {
    const store = new KurrentDbSemanticsEventStore({ clock });
    return { store, dispose: () => store.close() };
  },
  { refusesNonEventPositions: true },
);
