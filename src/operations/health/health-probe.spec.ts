import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../platform/clock';
import { parseAppConfig } from '../../config/app.config';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../platform/read-store/sqlite/sqlite-read-store';
import type { EventStore } from '../../platform/event-store/event-store.port';
import { HealthProbe, LAG_COUNT_CAP } from './health-probe';
import { projectionReadiness } from './readiness';

const context = { actor: 'system', correlationId: 'c', causationId: 'c', commandId: 'c' };
const T0 = Date.parse('2025-09-15T02:00:00.000Z');

/** A process that serves the API only: no projection engine, just the two stores. */
describe('HealthProbe without a projection engine in the process', () => {
  const clock = new FixedClock(new Date(T0));
  let folder: string;
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  let probe: HealthProbe;

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'bansos-health-'));
    eventStore = new SqliteEventStore({ file: join(folder, 'events.sqlite'), clock });
    readStore = new SqliteReadStore({ file: join(folder, 'read-models.sqlite') });
    probe = new HealthProbe(eventStore, readStore, clock, parseAppConfig({ PROCESS_ROLE: 'api' }), [
      { name: 'quota-progress' },
    ]);
    const checkpoint = { projection: 'quota-progress', version: 1, position: 0n } as const;
    await readStore.createCheckpoint({ ...checkpoint, collection: 'qp_v1', status: 'active' });
    await readStore.createCheckpoint({ ...checkpoint, collection: 'qp_v2', status: 'building' });
    await readStore.createCheckpoint({
      ...checkpoint,
      projection: 'retired',
      collection: 'old',
      status: 'active',
    });
  });

  afterEach(async () => {
    await eventStore.close();
    await readStore.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function appendAt(ms: number, stream: string): Promise<void> {
    clock.set(new Date(ms));
    await eventStore.appendToStream(stream, [{ type: 'A', data: {} }], {
      expectedRevision: 'no_stream',
      context,
    });
  }

  it('reads lag from the checkpoints: events behind, and the age of the oldest one waiting', async () => {
    await appendAt(T0, 'a-1');
    await appendAt(T0 + 3000, 'a-2');
    clock.set(new Date(T0 + 10_000));

    const snapshot = await probe.snapshot();
    expect(snapshot).toEqual({
      eventStore: { adapter: 'sqlite', status: 'up', headPosition: '2' },
      readStore: { adapter: 'sqlite', status: 'up' },
      projections: [
        {
          name: 'quota-progress',
          version: 1,
          collection: 'qp_v1',
          status: 'active',
          serving: true,
          position: '0',
          lagEvents: '2',
          lagSeconds: 10,
        },
        {
          name: 'quota-progress',
          version: 1,
          collection: 'qp_v2',
          status: 'building',
          serving: false,
          position: '0',
          lagEvents: '2',
          lagSeconds: 10,
        },
      ],
    });
  });

  it('is ready only when every defined projection serves within the bound', async () => {
    await appendAt(T0, 'a-1');
    clock.set(new Date(T0 + 10_000));
    const snapshot = await probe.snapshot();

    expect(projectionReadiness(snapshot, 5, ['quota-progress', 'audit-trail'])).toEqual({
      ready: false,
      maxLagSeconds: 5,
      problems: [
        'audit-trail has no read model yet',
        'quota-progress is 10 s behind (more than 5 s)',
      ],
    });
    expect(projectionReadiness(snapshot, 10, ['quota-progress'])).toEqual({
      ready: true,
      maxLagSeconds: 10,
      problems: [],
    });
  });

  it('counts a store that does not answer within 3 s as down', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      jest.spyOn(readStore, 'checkpoints').mockReturnValue(new Promise(() => undefined));
      const pending = probe.snapshot();
      await jest.advanceTimersByTimeAsync(3000);
      expect(await pending).toEqual({
        eventStore: { adapter: 'sqlite', status: 'up', headPosition: '0' },
        readStore: { adapter: 'sqlite', status: 'down', error: 'No answer within 3 s' },
        projections: [],
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('has no lag at the head, and none on an empty store', async () => {
    expect((await probe.snapshot()).projections.map((p) => [p.lagEvents, p.lagSeconds])).toEqual([
      ['0', 0],
      ['0', 0],
    ]);
  });
});

/** On KurrentDB positions are byte offsets with gaps: the lag must count events, not bytes. */
describe('HealthProbe on a store whose positions are not counts', () => {
  it('reports lagEvents as the events after the checkpoint, counted up to a cap', async () => {
    const clock = new FixedClock(new Date(T0));
    const folder = mkdtempSync(join(tmpdir(), 'bansos-health-'));
    const readStore = new SqliteReadStore({ file: join(folder, 'read-models.sqlite') });
    const waiting = {
      streamName: 'recipient-1',
      revision: 0n,
      position: 4_711n,
      type: 'A',
      data: {},
      metadata: { recordedAt: new Date(T0 - 4000).toISOString() },
    };
    const countEventsAfter = jest.fn(async () => 2);
    const eventStore = {
      adapter: 'kurrentdb',
      headPosition: async () => 9_422n,
      readAll: async () => [waiting],
      countEventsAfter,
    } as unknown as EventStore;
    try {
      const probe = new HealthProbe(
        eventStore,
        readStore,
        clock,
        parseAppConfig({ PROCESS_ROLE: 'api' }),
        [{ name: 'quota-progress' }],
      );
      const checkpoint = { projection: 'quota-progress', version: 1, position: 0n } as const;
      await readStore.createCheckpoint({ ...checkpoint, collection: 'qp_v1', status: 'active' });

      const [projection] = (await probe.snapshot()).projections;
      expect([projection.lagEvents, projection.lagSeconds]).toEqual(['2', 4]);
      expect(countEventsAfter).toHaveBeenCalledWith(0n, LAG_COUNT_CAP);
    } finally {
      await readStore.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
