import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { FixedClock } from '../../src/platform/clock';
import { EVENT_STORE, type EventStore } from '../../src/platform/event-store/event-store.port';
import { EventStoreUnavailableError } from '../../src/platform/event-store/event-store.errors';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import type { HealthReport } from '../../src/operations/health/health.controller';
import { ProjectionEngine } from '../../src/platform/projection-engine/projection-engine';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { PROJECTIONS as DEFINED } from '../../projections';

const context = { actor: 'system', correlationId: 'c', causationId: 'c', commandId: 'c' };
/** Every read model the service defines, by name. */
const PROJECTIONS = DEFINED.map((definition) => definition.name).sort();

async function appendOne(store: EventStore, stream: string): Promise<bigint> {
  const { position } = await store.appendToStream(stream, [{ type: 'A', data: {} }], {
    expectedRevision: 'no_stream',
    context,
  });
  return position;
}

/** GET /health/ready until it answers 200 (the projections catch up on start), at most 2 s. */
async function whenReady(subject: TestApp): Promise<request.Response> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const response = await request(subject.app.getHttpServer()).get('/health/ready');
    if (response.status === 200 || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GET /health (liveness)', () => {
  let subject: TestApp;

  beforeEach(async () => {
    subject = await startTestApp();
  });

  afterEach(() => subject.stop());

  it('answers 200 with both stores, the head position and every projection', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const position = await appendOne(store, 'recipient-1');
    const response = await request(subject.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      eventStore: { adapter: 'sqlite', status: 'up', headPosition: position.toString() },
      readStore: { adapter: 'sqlite', status: 'up' },
      projectionLease: { name: 'projections', holding: true },
    });
    const projections = (response.body as HealthReport).projections;
    expect(projections.map((projection) => projection.name)).toEqual(PROJECTIONS);
    expect(projections.every((p) => p.status === 'active' && p.serving)).toBe(true);
  });

  it('still answers 200 when the event store does not answer, saying so', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    jest
      .spyOn(store, 'headPosition')
      .mockRejectedValue(new EventStoreUnavailableError('KurrentDB is unreachable'));
    const response = await request(subject.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      eventStore: { adapter: 'sqlite', status: 'down', error: 'KurrentDB is unreachable' },
      readStore: { status: 'up' },
      projections: [],
    });
  });

  it('has /health/live for orchestrators: 200 without asking either store', async () => {
    const store = subject.app.get<EventStore>(EVENT_STORE);
    const head = jest.spyOn(store, 'headPosition').mockRejectedValue(new Error('hung'));
    const response = await request(subject.app.getHttpServer()).get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(head).not.toHaveBeenCalled();
  });
});

describe('GET /health/ready (readiness)', () => {
  const clock = new FixedClock(new Date('2025-09-15T02:00:00.000Z'));
  let subject: TestApp;

  beforeEach(async () => {
    subject = await startTestApp({ READY_MAX_LAG_SECONDS: '5' }, { clock });
  });

  afterEach(() => subject.stop());

  it('answers 200 once both stores answer and every read model has caught up', async () => {
    const response = await whenReady(subject);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      info: expect.any(Object),
      error: {},
      details: {
        eventStore: { status: 'up', adapter: 'sqlite', headPosition: expect.any(String) },
        readStore: { status: 'up', adapter: 'sqlite' },
        projections: { status: 'up', maxLagSeconds: 5, lagSeconds: 0 },
      },
    });
  });

  it('answers 503 NOT_READY with Retry-After when the event store does not answer', async () => {
    await whenReady(subject);
    jest
      .spyOn(subject.app.get<EventStore>(EVENT_STORE), 'headPosition')
      .mockRejectedValue(new EventStoreUnavailableError('KurrentDB is unreachable'));
    const response = await request(subject.app.getHttpServer()).get('/health/ready').expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({
      statusCode: 503,
      code: 'NOT_READY',
      message:
        'Not ready: eventStore (KurrentDB is unreachable), projections (unknown while a store does not answer)',
      details: { eventStore: { status: 'down' }, readStore: { status: 'up' } },
    });
  });

  it('answers 503 naming the read store when it does not answer', async () => {
    await whenReady(subject);
    jest
      .spyOn(subject.app.get<ReadStore>(READ_STORE), 'checkpoints')
      .mockRejectedValue(new Error('SQLITE_CANTOPEN: unable to open database file'));
    const response = await request(subject.app.getHttpServer()).get('/health/ready').expect(503);
    expect(response.body).toMatchObject({
      code: 'NOT_READY',
      message: expect.stringContaining(
        'readStore (SQLITE_CANTOPEN: unable to open database file)',
      ) as string,
      details: { eventStore: { status: 'up' }, readStore: { status: 'down' } },
    });
  });

  it('judges lag by the checkpoints in the read store: 503 once over READY_MAX_LAG_SECONDS', async () => {
    await whenReady(subject);
    // No engine moves the checkpoints any more, as in a process that serves the API only.
    await subject.app.get(ProjectionEngine).stop();
    await appendOne(subject.app.get<EventStore>(EVENT_STORE), 'recipient-late');
    const http = request(subject.app.getHttpServer());
    const start = clock.now().getTime();

    clock.set(new Date(start + 4_000));
    expect((await http.get('/health/ready')).status).toBe(200);

    clock.set(new Date(start + 6_000));
    const response = await http.get('/health/ready').expect(503);
    const problems = PROJECTIONS.map((name) => `${name} is 6 s behind (more than 5 s)`);
    expect(response.body).toMatchObject({
      message: `Not ready: projections (${problems.join('; ')})`,
      details: { projections: { status: 'down', maxLagSeconds: 5, problems } },
    });
    const health = (await http.get('/health').expect(200)).body as HealthReport;
    expect(health.projections.map((p) => [p.lagEvents, p.lagSeconds])).toEqual(
      PROJECTIONS.map(() => ['1', 6]),
    );
  });

  it('answers 503 while this process has a projection stopped at an event', async () => {
    await whenReady(subject);
    const engine = subject.app.get(ProjectionEngine);
    const statuses = engine.status();
    jest.spyOn(engine, 'status').mockReturnValue(
      statuses.map((status) =>
        status.name === 'quota-progress'
          ? {
              ...status,
              status: 'stopped',
              failure: { position: '7', type: 'AidDisbursed', streamName: 'r-1', error: 'boom' },
            }
          : status,
      ),
    );
    const http = request(subject.app.getHttpServer());
    const response = await http.get('/health/ready').expect(503);
    expect(response.body).toMatchObject({
      message: 'Not ready: projections (quota-progress stopped at AidDisbursed (position 7))',
    });
    expect((await http.get('/health').expect(200)).body).toMatchObject({ status: 'degraded' });
  });
});

describe('GET /health/ready in an API-only process', () => {
  it('is not ready until a projector has built the read models, then follows their checkpoints', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'bansos-api-only-'));
    const api = await startTestApp({ PROCESS_ROLE: 'api', DATA_DIR: shared });
    let projector: TestApp | undefined;
    try {
      const http = request(api.app.getHttpServer());
      const before = await http.get('/health/ready').expect(503);
      expect((before.body as { message: string }).message).toBe(
        `Not ready: projections (${PROJECTIONS.map((name) => `${name} has no read model yet`).join('; ')})`,
      );
      expect((await http.get('/health').expect(200)).body).not.toHaveProperty('projectionLease');

      projector = await startTestApp({ DATA_DIR: shared });
      expect((await whenReady(api)).status).toBe(200);
    } finally {
      await projector?.stop();
      await api.stop();
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

describe('shutdown', () => {
  it('commits the appends in flight and closes the store', async () => {
    // No seal on shutdown here: the head must move by exactly the appends in flight.
    const subject = await startTestApp({ SEAL_EVERY_EVENTS: '0', SEAL_EVERY_MS: '0' });
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
