import { START } from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.errors';
import { FakeKurrentDbServer } from './fake-kurrentdb-server';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { SERVICE_STREAM_PREFIXES } from './service-streams';

const context = { actor: 'a', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('KurrentDB adapter: reading $all', () => {
  let server: FakeKurrentDbServer;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    server = new FakeKurrentDbServer();
    store = new KurrentDbEventStore(server.store);
  });

  it('asks the server for the service’s own streams only, in every read of $all', async () => {
    await store.readAll();
    await store.headPosition();
    await store.countEventsAfter(START, 10);
    store.subscribeToAll();
    const filters = [...server.allReads, ...server.subscriptions].map((options) => options.filter);
    expect(filters).toHaveLength(4);
    for (const filter of filters) {
      expect(filter).toMatchObject({ filterOn: 'streamName', prefixes: SERVICE_STREAM_PREFIXES });
    }
  });

  it('reads $all from the leader, whose head and pages a lagging follower would cut short', async () => {
    await store.readAll();
    await store.headPosition();
    await store.countEventsAfter(START, 10);
    expect(server.allReads).toHaveLength(3);
    for (const options of server.allReads) expect(options.requiresLeader).toBe(true);
  });

  it('leaves out what other writers put in the same database', async () => {
    server.write('recipient-1');
    server.write('orders-9');
    server.write('quota-2027-RSE');
    const all = await store.readAll();
    expect(all.map((event) => event.streamName)).toEqual(['recipient-1', 'quota-2027-RSE']);
    expect(await store.headPosition()).toBe(all[1].position);
  });

  it('counts events after a position, up to the limit, not byte distance', async () => {
    server.write('recipient-1', 5);
    const [first, , , , last] = await store.readAll();
    expect(last.position - first.position).toBeGreaterThan(100n);
    expect(await store.countEventsAfter(first.position, 100)).toBe(4);
    expect(await store.countEventsAfter(first.position, 3)).toBe(3);
    expect(await store.countEventsAfter(last.position, 100)).toBe(0);
    expect(await store.countEventsAfter(START, 0)).toBe(0);
  });

  it('never falls back to START for an event the server sent without a position', async () => {
    server.write('recipient-1');
    const [event] = server.streams.get('recipient-1') ?? [];
    event.position = undefined;
    await expect(store.readStream('recipient-1')).rejects.toThrow(/without its \$all position/);
    event.position = { commit: 0n, prepare: 0n };
    await expect(store.readStream('recipient-1')).rejects.toThrow(/without its \$all position/);
    // What the server sends for a position it does not know: -1 as an unsigned 64-bit number.
    const unknown = 2n ** 64n - 1n;
    event.position = { commit: unknown, prepare: unknown };
    await expect(store.readStream('recipient-1')).rejects.toThrow(/without its \$all position/);
  });
});

describe('KurrentDB adapter: close()', () => {
  it('lets an append in flight finish, ends subscriptions, releases streams and channel, then refuses', async () => {
    const server = new FakeKurrentDbServer();
    const store = new KurrentDbEventStore(server.store);
    let release = () => undefined as void;
    server.answer = (written) =>
      new Promise((resolve) => {
        release = () => resolve(written());
      });
    const appending = store.appendToStream('recipient-1', [{ type: 'A', data: {} }], {
      expectedRevision: 'no_stream',
      context,
    });
    const subscription = store.subscribeToAll();
    const unsubscribed = jest.spyOn(
      (subscription as unknown as { source: { unsubscribe(): Promise<void> } }).source,
      'unsubscribe',
    );
    await new Promise((resolve) => setImmediate(resolve));

    const closing = store.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.released).toEqual([]);
    release();
    await expect(appending).resolves.toMatchObject({ revision: 0n });
    await closing;

    expect(unsubscribed).toHaveBeenCalled();
    expect(server.released).toEqual(['streams', 'channel']);
    for (const operation of [
      store.appendToStream('recipient-2', [{ type: 'A', data: {} }], {
        expectedRevision: 'any',
        context,
      }),
      store.readStream('recipient-1'),
      store.readAll(),
      store.headPosition(),
      store.countEventsAfter(START, 1),
    ]) {
      await expect(operation).rejects.toBeInstanceOf(EventStoreUnavailableError);
    }
    expect(() => store.subscribeToAll()).toThrow(EventStoreUnavailableError);
  });
});
