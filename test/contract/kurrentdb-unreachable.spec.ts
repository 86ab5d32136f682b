import { KurrentDbEventStore } from '../../src/platform/event-store/kurrentdb/kurrentdb-event-store';
import { EventStoreUnavailableError } from '../../src/platform/event-store/event-store.errors';

/**
 * Runs everywhere: with no server listening, every operation of the KurrentDB adapter must fail
 * with the port's typed "unavailable" error, including appends, which the client reports as a
 * bare gRPC status.
 */
describe('KurrentDB adapter without a server', () => {
  let store: KurrentDbEventStore;

  beforeAll(() => {
    store = KurrentDbEventStore.connect('kurrentdb://127.0.0.1:1?tls=false');
  });

  afterAll(() => store.close());

  const context = { actor: 'a', correlationId: 'c', causationId: 'c', commandId: 'c' };

  it.each([
    [
      'appendToStream',
      () =>
        store.appendToStream('s-1', [{ type: 'A', data: {} }], {
          expectedRevision: 'any',
          context,
        }),
    ],
    ['readStream', () => store.readStream('s-1')],
    ['readAll', () => store.readAll({ maxCount: 10 })],
    ['headPosition', () => store.headPosition()],
    ['countEventsAfter', () => store.countEventsAfter(0n, 10)],
    [
      'subscribeToAll',
      async () => {
        for await (const _batch of store.subscribeToAll()) return;
      },
    ],
  ])('%s rejects with EventStoreUnavailableError', async (_name, operation) => {
    await expect(operation()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
