import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.errors';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { startTestApp, type TestApp } from '../helpers/test-app';

const context = { actor: 'system', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('GET /health', () => {
  let subject: TestApp;

  beforeEach(async () => {
    subject = await startTestApp();
  });

  afterEach(() => subject.stop());

  it('answers 200 with the embedded event store and its head position', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const { position } = await store.appendToStream('recipient-1', [{ type: 'A', data: {} }], {
      expectedRevision: 'no_stream',
      context,
    });
    const response = await request(subject.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      eventStore: { adapter: 'sqlite', status: 'up', headPosition: position.toString() },
    });
    const projections = (response.body as { projections: { name: string; status: string }[] })
      .projections;
    expect(projections.map((projection) => projection.name).sort()).toEqual([
      'audit-trail',
      'mentoring-partners',
      'monitoring-outcomes',
      'quota-progress',
      'recipient-registry',
    ]);
    expect(projections.every((projection) => projection.status === 'active')).toBe(true);
  });

  it('answers 503 naming the failure, with Retry-After: 1, when the event store does not answer', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    jest
      .spyOn(store, 'headPosition')
      .mockRejectedValue(new EventStoreUnavailableError('KurrentDB is unreachable'));
    const response = await request(subject.app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      status: 'unavailable',
      eventStore: { adapter: 'sqlite', status: 'down', error: 'KurrentDB is unreachable' },
    });
    expect(response.headers['retry-after']).toBe('1');
  });
});

describe('shutdown', () => {
  it('commits the appends in flight and closes the store', async () => {
    const subject = await startTestApp();
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    const inFlight = Array.from({ length: 50 }, (_, n) =>
      store.appendToStream(`recipient-${n}`, [{ type: 'A', data: { n } }], {
        expectedRevision: 'no_stream',
        context,
      }),
    );
    await subject.app.close();
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.position)).toEqual(results.map((_, n) => head + BigInt(n + 1)));

    const reopened = new SqliteEventStore({ file: `${subject.dataDir}/events.sqlite` });
    expect(await reopened.headPosition()).toBe(head + 50n);
    await reopened.close();
    await subject.stop();
  });
});
