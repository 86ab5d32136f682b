import { Logger } from '@nestjs/common';
import { FixedClock } from '../../src/common/clock';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.errors';
import type { EventStore, StoredEvent } from '../../src/event-store/event-store.port';
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

/**
 * The event store becomes unreachable: from then on every call fails as a lost connection
 * would, without writing, until it is back. `afterAppends` lets that many appends through first,
 * so that the outage lands in the middle of a command.
 */
function outage(store: EventStore) {
  let appendsLeft = Infinity;
  const down = (): never => {
    throw new EventStoreUnavailableError('The event store cannot be reached');
  };
  const original = {
    appendToStream: store.appendToStream.bind(store),
    readStream: store.readStream.bind(store),
    readAll: store.readAll.bind(store),
    headPosition: store.headPosition.bind(store),
  };
  jest.spyOn(store, 'appendToStream').mockImplementation(async (...args) => {
    if (appendsLeft <= 0) down();
    appendsLeft--;
    return original.appendToStream(...args);
  });
  jest
    .spyOn(store, 'readStream')
    .mockImplementation(async (...args) =>
      appendsLeft <= 0 ? down() : original.readStream(...args),
    );
  jest
    .spyOn(store, 'readAll')
    .mockImplementation(async (...args) => (appendsLeft <= 0 ? down() : original.readAll(...args)));
  jest
    .spyOn(store, 'headPosition')
    .mockImplementation(async () => (appendsLeft <= 0 ? down() : original.headPosition()));
  return {
    begin(afterAppends = 0) {
      appendsLeft = afterAppends;
    },
    end() {
      appendsLeft = Infinity;
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
    store = outage(api.eventStore);
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

  it('leaves a KUBe registration cut off after two claims unable to complete, and its claims to be taken over', async () => {
    const group = kubeBody();
    store.begin(2);
    expectUnavailable(await post('/recipients', group));
    store.end();

    let events = await api.eventsAfter();
    expect(events.map((event) => event.type)).not.toContain('RecipientRegistered');
    const claims = events.filter((event) => event.type === 'NikClaimed');
    expect(claims).toHaveLength(2);
    const dead = (claims[0].data as { recipientId: string }).recipientId;

    // Once the claims are stale, the same group registers: the dead registration is fenced first.
    clock.set(new Date(NOW.getTime() + 31_000));
    const retried = await post('/recipients', group);
    expect(retried.status).toBe(201);
    const { recipientId } = retried.body as { recipientId: string };

    events = await api.eventsAfter();
    expect(streamOf(events, `recipient-${dead}`)).toEqual(['RegistrationAbandoned']);
    expect(streamOf(events, `recipient-${recipientId}`)).toEqual(['RecipientRegistered']);
    expect(events.filter((event) => event.type === 'RecipientRegistered')).toHaveLength(1);
    const nikStreams = [
      ...new Set(events.filter((e) => e.streamName.startsWith('nik-')).map((e) => e.streamName)),
    ];
    expect(nikStreams).toHaveLength(5);
    for (const stream of nikStreams) {
      const held = events.filter((event) => event.streamName === stream);
      const last = held[held.length - 1];
      expect(last).toMatchObject({ type: 'NikClaimed', data: { recipientId } });
      expect(held.map((event) => event.type)).toEqual(
        held.length === 1 ? ['NikClaimed'] : ['NikClaimed', 'NikReleased', 'NikClaimed'],
      );
    }
    // The fence holds: the cut-off registration can never be written now.
    await expect(
      api.eventStore.appendToStream(
        `recipient-${dead}`,
        [{ type: 'RecipientRegistered', data: {} }],
        {
          expectedRevision: 'no_stream',
          context: { actor: 'e2e', correlationId: 'c', causationId: 'c', commandId: 'c' },
        },
      ),
    ).rejects.toMatchObject({ name: 'WrongExpectedVersionError' });
  });

  it('leaves a disbursement cut off after its quota slot pending, settled by the fence when the aid is sent again', async () => {
    const registered = await post('/recipients', rseBody());
    const { recipientId } = registered.body as { recipientId: string };
    const body = disbursementBody();
    store.begin(1);
    expectUnavailable(await post(`/recipients/${recipientId}/disbursements`, body));
    store.end();

    let events = await api.eventsAfter();
    expect(streamOf(events, `recipient-${recipientId}`)).toEqual(['RecipientRegistered']);
    expect(streamOf(events, 'quota-2025-RSE')).toContain('QuotaSlotReserved');

    clock.set(new Date(NOW.getTime() + 61_000));
    const retried = await post(`/recipients/${recipientId}/disbursements`, body);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ disbursementId: `${recipientId}.2` });

    events = await api.eventsAfter();
    expect(streamOf(events, `recipient-${recipientId}`)).toEqual([
      'RecipientRegistered',
      'DisbursementAbandoned',
      'AidDisbursed',
    ]);
    const slots = events
      .filter(
        (event) => event.streamName === 'quota-2025-RSE' && event.type.startsWith('QuotaSlot'),
      )
      .map((event) => [event.type, (event.data as { disbursementId: string }).disbursementId]);
    expect(slots).toEqual([
      ['QuotaSlotReserved', `${recipientId}.1`],
      ['QuotaSlotReleased', `${recipientId}.1`],
      ['QuotaSlotReserved', `${recipientId}.2`],
      ['QuotaSlotConfirmed', `${recipientId}.2`],
    ]);
  });
});
