import { LEDGER_EVENT_STORE } from '../../src/platform/event-store/create-event-store';
import { Logger } from '@nestjs/common';
import { FixedClock } from '../../src/platform/clock';
import { EventStoreUnavailableError } from '../../src/platform/event-store/event-store.errors';
import type { EventStore, StoredEvent } from '../../src/platform/event-store/event-store.port';
import {
  API,
  bearer,
  disbursementBody,
  kubeBody,
  NOW,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

/** The SQLite adapter's inserter of a stream's event rows (private to the adapter). */
interface EventRows {
  insertEvents(rows: readonly unknown[][]): bigint;
}

/**
 * The event store becomes unreachable: from then on every call fails as a lost connection
 * would, without writing, until it is back. `afterEvents` lets that many events of the next
 * commit reach the database first, so that the outage lands in the middle of a command's one
 * append, as a crash of the store's host would.
 */
function outage(store: EventStore) {
  let down = false;
  let eventsLeft = Infinity;
  const fail = (): never => {
    down = true;
    throw new EventStoreUnavailableError('The event store cannot be reached');
  };
  const original = {
    appendToStream: store.appendToStream.bind(store),
    appendToStreams: store.appendToStreams.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    headPosition: store.headPosition.bind(store),
  };
  jest
    .spyOn(store, 'appendToStream')
    .mockImplementation(async (...args) => (down ? fail() : original.appendToStream(...args)));
  jest
    .spyOn(store, 'appendToStreams')
    .mockImplementation(async (...args) => (down ? fail() : original.appendToStreams(...args)));
  jest
    .spyOn(store, 'readStream')
    .mockImplementation(async (...args) => (down ? fail() : original.readStream(...args)));
  jest
    .spyOn(store, 'readAll')
    .mockImplementation(async (...args) => (down ? fail() : original.readAll(...args)));
  jest
    .spyOn(store, 'headPosition')
    .mockImplementation(async () => (down ? fail() : original.headPosition()));
  // Inside the adapter's transaction: the events of a commit are inserted here one row at a
  // time, so that the outage can land between any two of them.
  const adapter = store as unknown as EventRows;
  const insertRows = adapter.insertEvents.bind(adapter);
  let inserted = 0;
  jest.spyOn(adapter, 'insertEvents').mockImplementation((rows) => {
    let position = 0n;
    for (const row of rows) {
      if (eventsLeft <= 0) fail();
      eventsLeft--;
      inserted++;
      position = insertRows([row]);
    }
    return position;
  });
  return {
    /** Down now, or once `afterEvents` more events have been inserted. */
    begin({ afterEvents }: { afterEvents?: number } = {}) {
      if (afterEvents === undefined) down = true;
      else eventsLeft = afterEvents;
      inserted = 0;
    },
    end() {
      down = false;
      eventsLeft = Infinity;
    },
    /** Rows inserted since `begin`, whether or not their transaction committed. */
    get inserted() {
      return inserted;
    },
  };
}

describe('event store unreachable', () => {
  let api: Api;
  let clock: FixedClock;
  let store: ReturnType<typeof outage>;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(async () => {
    clock = new FixedClock(NOW);
    api = await startApi({ clock });
    // The ledger under the decrypting view: the SQLite adapter whose inserts are cut off.
    store = outage(api.app.get<EventStore>(LEDGER_EVENT_STORE));
  });

  afterEach(() => api.stop());

  const post = (path: string, body: object, token: 'operator' | 'admin' = 'operator') =>
    api.http.post(`${API}${path}`).set('Authorization', bearer(token)).send(body);

  const streamOf = (events: StoredEvent[], name: string) =>
    events.filter((event) => event.streamName === name).map((event) => event.type);

  function expectUnavailable(response: { status: number; headers: object; body: unknown }): void {
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '1' });
    expect(response.body).toEqual({
      statusCode: 503,
      code: 'EVENT_STORE_UNAVAILABLE',
      message: 'The event store cannot be reached',
    });
  }

  it('answers every command 503 with Retry-After, writing nothing, and takes them once it is back', async () => {
    const registered = await post('/recipients', rseBody());
    const { recipientId } = registered.body as { recipientId: string };
    const head = await api.headPosition();
    const registration = rseBody();

    store.begin();
    expectUnavailable(
      await api.http
        .post(`${API}/recipients`)
        .set('Authorization', bearer('operator'))
        .set('Idempotency-Key', 'across-the-outage')
        .send(registration),
    );
    expectUnavailable(await post('/recipients', kubeBody()));
    expectUnavailable(await post(`/recipients/${recipientId}/disbursements`, disbursementBody()));
    expectUnavailable(
      await api.http
        .put(`${API}/programme/allocations/2025/RSE/64.72`)
        .set('Authorization', bearer('admin'))
        .send({ quota: 40 }),
    );
    store.end();

    expect(await api.headPosition()).toBe(head);
    // The refused request left no idempotency record either: sent again with its key, it runs.
    const again = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .set('Idempotency-Key', 'across-the-outage')
      .send(registration);
    expect(again.status).toBe(201);
    expect(await api.headPosition()).toBeGreaterThan(head);
  });

  it('stores nothing of a KUBe registration cut off after two of its claims, and takes it when sent again', async () => {
    const group = kubeBody();
    const head = await api.headPosition();
    store.begin({ afterEvents: 2 });
    expectUnavailable(await post('/recipients', group));
    store.end();
    // The store went down in the middle of the registration's one append: two of its claims
    // had reached the database, and were rolled back with the rest.
    expect(store.inserted).toBe(2);
    expect(await api.eventsAfter(head)).toEqual([]);

    // Sent again at once: no claim to wait for, take over or fence.
    const retried = await post('/recipients', group);
    expect(retried.status).toBe(201);
    const { recipientId } = retried.body as { recipientId: string };
    const events = await api.eventsAfter(head);
    expect(events.map((event) => event.type)).toEqual([
      ...Array<string>(5).fill('NikClaimed'),
      'RecipientRegistered',
    ]);
    expect(events.map((event) => (event.data as { recipientId: string }).recipientId)).toEqual(
      Array(6).fill(recipientId),
    );
    expect(events.map((event) => event.revision)).toEqual(Array(6).fill(0n));
    expect(new Set(events.map((event) => event.streamName)).size).toBe(6);
    expect(streamOf(events, `recipient-${recipientId}`)).toEqual(['RecipientRegistered']);
  });

  it.each([
    [1, 'after its AidDisbursed, before its quota slot'],
    [2, 'after its quota slot, before the answer to its Idempotency-Key'],
  ])(
    'stores nothing of a disbursement cut off %i event(s) in (%s), and takes it when sent again with its key',
    async (afterEvents) => {
      const registered = await post('/recipients', rseBody());
      const { recipientId } = registered.body as { recipientId: string };
      const body = disbursementBody();
      const disburse = () =>
        api.http
          .post(`${API}/recipients/${recipientId}/disbursements`)
          .set('Authorization', bearer('operator'))
          .set('Idempotency-Key', `cut-off-${afterEvents}`)
          .send(body);
      const head = await api.headPosition();
      store.begin({ afterEvents });
      expectUnavailable(await disburse());
      store.end();
      expect(store.inserted).toBe(afterEvents);
      expect(await api.eventsAfter(head)).toEqual([]);

      // Sent again at once with the same key: the key was never answered, so it runs, once,
      // under the same disbursement id; no slot is left pending or held for nothing.
      const retried = await disburse();
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect(retried.body).toMatchObject({ disbursementId: `${recipientId}.1` });
      const events = await api.eventsAfter(head);
      expect(events.map((event) => event.type)).toEqual([
        'AidDisbursed',
        'QuotaSlotTaken',
        'IdempotentRequestAnswered',
      ]);
      expect(streamOf(events, `recipient-${recipientId}`)).toEqual(['AidDisbursed']);
      expect(
        events
          .filter((event) => event.streamName === 'quota-2025-RSE')
          .map((event) => [event.type, (event.data as { disbursementId: string }).disbursementId]),
      ).toEqual([['QuotaSlotTaken', `${recipientId}.1`]]);

      const replayed = await disburse();
      expect(replayed.status).toBe(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.body).toEqual(retried.body);
      expect(await api.eventsAfter(head)).toHaveLength(3);
    },
  );
});
