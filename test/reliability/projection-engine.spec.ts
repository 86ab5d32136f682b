import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { recipientRegistryProjection } from '../../projections/recipient-registry/recipient-registry.projection';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import type { ProgrammeProjection } from '../../projections/programme-event';
import { collectionOf, type AnyProjection } from '../../src/platform/projection-engine/projection';
import {
  DEFER_INDEXES_BEHIND,
  ProjectionEngine,
} from '../../src/platform/projection-engine/projection-engine';
import {
  ProjectionGroup,
  type GroupMember,
} from '../../src/platform/projection-engine/projection-group';
import { ReadModelBehindException, ReadModels } from '../../src/read/read-models';
import type { QueryPlan, ReadStore } from '../../src/platform/read-store/read-store.port';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { allEvents, storedAndRebuilt } from '../helpers/read-model-comparison';
import { EVENT_STORES } from '../doubles/event-stores-under-test';
import { KurrentDbSemanticsEventStore } from '../doubles/kurrentdb-semantics-event-store';
import { until } from '../helpers/until';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

/** Counts recipients per regency; version 2 counts only KUBEs, so the two differ visibly. */
function regencyCount(version: number): ProgrammeProjection<{ recipients: number }> {
  return {
    name: 'regency-count',
    version,
    indexes: [],
    handles: ['RecipientRegistered'],
    documentIds: (event) =>
      event.type === 'RecipientRegistered' && (version === 1 || event.data.kind === 'KUBE')
        ? [event.data.regencyCode]
        : [],
    evolve: (document) => ({ recipients: (document?.recipients ?? 0) + 1 }),
  };
}

/** Throws at the first KUBE, as a handler with a bug would. */
const brokenProjection: ProgrammeProjection<{ n: number }> = {
  name: 'broken',
  version: 1,
  indexes: [],
  handles: ['RecipientRegistered'],
  documentIds: () => ['all'],
  evolve: (document, event) => {
    if (event.type === 'RecipientRegistered' && event.data.kind === 'KUBE') {
      throw new Error('cannot handle a KUBe');
    }
    return { n: (document?.n ?? 0) + 1 };
  },
};

describe.each(EVENT_STORES)('projection engine over %s', (_name, openEventStore) => {
  let eventStore: EventStore;
  let readStore: ReadStore;
  let engines: ProjectionEngine[];

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(() => {
    eventStore = openEventStore();
    readStore = new SqliteReadStore({ file: ':memory:' });
    engines = [];
  });

  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.stop()));
    await eventStore.close();
    await readStore.close();
  });

  async function start(
    definitions: readonly AnyProjection[],
    batchSize = 1000,
  ): Promise<ProjectionEngine> {
    const engine = new ProjectionEngine(eventStore, readStore, definitions, batchSize);
    engines.push(engine);
    await engine.start();
    return engine;
  }

  const caughtUp = async (engine: ProjectionEngine, name: string) => {
    const head = await eventStore.headPosition();
    const status = engine.status().find((projection) => projection.name === name);
    return status?.status === 'active' && BigInt(status.position) >= head;
  };

  it('stops a projection whose handler throws, at that event, and no other', async () => {
    await appendProgrammeEvents(eventStore, 2_000);
    const events = await allEvents(eventStore);
    const firstKube = events.find(
      (event) =>
        event.type === 'RecipientRegistered' && (event.data as { kind: string }).kind === 'KUBE',
    );
    if (!firstKube) throw new Error('the log has no KUBe');
    const engine = await start([brokenProjection, quotaProgressProjection], 100);
    await until(() => caughtUp(engine, 'quota-progress'));

    const broken = engine.status().find((projection) => projection.name === 'broken');
    expect(broken).toMatchObject({
      status: 'stopped',
      failure: {
        position: firstKube.position.toString(),
        type: 'RecipientRegistered',
        streamName: firstKube.streamName,
        error: 'Error: cannot handle a KUBe',
      },
    });
    // Its checkpoint stays before the failing event: nothing after it was skipped.
    expect(BigInt(broken?.position ?? -1)).toBeLessThan(firstKube.position);
    const { stored, rebuilt } = await storedAndRebuilt(quotaProgressProjection, events, readStore);
    expect(stored).toEqual(rebuilt);

    // Started again, it stops at the same event again rather than skip it.
    await engine.stop();
    const again = await start([brokenProjection]);
    await until(() => again.status()[0].status === 'stopped');
    expect(again.status()[0].failure?.position).toBe(firstKube.position.toString());
  });

  it('restarts a group that failed for another reason than a handler, from its checkpoint', async () => {
    await appendProgrammeEvents(eventStore, 2_000);
    jest
      .spyOn(readStore, 'commit')
      .mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'));
    const engine = await start([quotaProgressProjection], 500);
    await until(() => engine.status()[0]?.status === 'retrying');
    expect(engine.status()[0]).toMatchObject({ error: 'Error: SQLITE_IOERR: disk I/O error' });

    await until(() => caughtUp(engine, 'quota-progress'), 5_000);
    const { stored, rebuilt } = await storedAndRebuilt(
      quotaProgressProjection,
      await allEvents(eventStore),
      readStore,
    );
    expect(stored).toEqual(rebuilt);
  });

  it('rebuilds a new version beside the old one, which serves reads until the new one has caught up', async () => {
    await appendProgrammeEvents(eventStore, 20_000);
    const first = await start([regencyCount(1)]);
    await until(() => caughtUp(first, 'regency-count'));
    await first.stop();
    const readModels = new ReadModels(readStore);
    const v1 = collectionOf(regencyCount(1));
    const v1Total = (await readStore.find<{ recipients: number }>(v1)).reduce(
      (sum, d) => sum + d.recipients,
      0,
    );

    const second = await start([regencyCount(2)], 50);
    expect(second.status()[0].status).toBe('building');
    expect(await readModels.collection('regency-count')).toBe(v1);
    expect(await readStore.count(v1)).toBeGreaterThan(0);

    await until(() => caughtUp(second, 'regency-count'));
    const v2 = collectionOf(regencyCount(2));
    expect(await readModels.collection('regency-count')).toBe(v2);
    expect((await readStore.checkpoints('regency-count')).map((c) => c.collection)).toEqual([v2]);
    const v2Total = (await readStore.find<{ recipients: number }>(v2)).reduce(
      (sum, d) => sum + d.recipients,
      0,
    );
    expect(v2Total).toBeGreaterThan(0);
    expect(v2Total).toBeLessThan(v1Total);
  });

  it('keeps the indexes of a read model that starts far behind the head until it catches up, answering queries meanwhile', async () => {
    await appendProgrammeEvents(eventStore, Number(DEFER_INDEXES_BEHIND) + 2_000);
    const collection = collectionOf(recipientRegistryProjection);
    const query = { filter: { regencyCode: '64.72', 'searchTokens[]': 'anggota' } };
    const commit = readStore.commit.bind(readStore);
    const whileBehind: { plan?: QueryPlan; found?: number } = {};
    // Seen half way through the catch-up: the read model serves, its indexes still waiting.
    const halfWay = (await eventStore.headPosition()) / 2n;
    jest.spyOn(readStore, 'commit').mockImplementation(async (writes, advances) => {
      if (whileBehind.plan === undefined && advances[0].to >= halfWay) {
        whileBehind.plan = await (readStore as SqliteReadStore).explain(collection, query);
        whileBehind.found = (await readStore.find(collection, query)).length;
      }
      return commit(writes, advances);
    });
    const engine = await start([recipientRegistryProjection], 1_000);
    await until(() => caughtUp(engine, 'recipient-registry'));

    expect(whileBehind.plan).toMatchObject({ fullScan: true, indexedFields: [] });
    expect(whileBehind.found).toBeGreaterThan(0);
    expect(engine.status()[0]).toMatchObject({ collection, status: 'active' });
    // Built right after the commit that reached the head.
    const plan = async () => (readStore as SqliteReadStore).explain(collection, query);
    await until(async () => !(await plan()).fullScan);
    expect((await plan()).indexedFields.length).toBeGreaterThan(0);
    const events = await allEvents(eventStore);
    const { stored, rebuilt } = await storedAndRebuilt(
      recipientRegistryProjection,
      events,
      readStore,
    );
    expect(stored).toEqual(rebuilt);
    const expected = [...rebuilt.values()].filter(
      (doc) =>
        (doc as { regencyCode: string }).regencyCode === '64.72' &&
        (doc as { searchTokens: string[] }).searchTokens.includes('anggota'),
    );
    expect(await readStore.find(collection, query)).toHaveLength(expected.length);

    // A read model that starts near the head keeps its indexes up from the first event on.
    await engine.stop();
    const near = regencyCount(1);
    const nearEngine = await start([{ ...near, indexes: ['recipients'] }]);
    await until(() => caughtUp(nearEngine, 'regency-count'));
    expect(
      (
        await (readStore as SqliteReadStore).explain(collectionOf(near), {
          filter: { recipients: 1 },
        })
      ).fullScan,
    ).toBe(false);
  });

  it('applies a batch over the documents the batch before it is still committing', async () => {
    await appendProgrammeEvents(eventStore, 3_000);
    // Slow commits, so that the next batch is read and applied before each one is written.
    const commit = readStore.commit.bind(readStore);
    let overlapped = 0;
    let writing = false;
    jest.spyOn(readStore, 'getMany').mockImplementation(async function (this: ReadStore, ...args) {
      if (writing) overlapped++;
      return SqliteReadStore.prototype.getMany.apply(readStore, args);
    });
    jest.spyOn(readStore, 'commit').mockImplementation(async (writes, advances) => {
      writing = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await commit(writes, advances);
      writing = false;
    });
    // Every registration in one document: each batch changes what the one before wrote.
    const engine = await start([regencyCount(1), quotaProgressProjection], 100);
    await until(
      async () => (await caughtUp(engine, 'regency-count')) && caughtUp(engine, 'quota-progress'),
    );

    expect(overlapped).toBeGreaterThan(5);
    const events = await allEvents(eventStore);
    for (const definition of [regencyCount(1), quotaProgressProjection] as AnyProjection[]) {
      const { stored, rebuilt } = await storedAndRebuilt(definition, events, readStore);
      expect(stored).toEqual(rebuilt);
    }
  });

  it('answers a read at minPosition once the event is applied, and 503 when it is not within the wait', async () => {
    const engine = await start(PROJECTIONS);
    const readModels = new ReadModels(readStore, (listener) => engine.onProgress(listener));
    const { position } = await eventStore.appendToStream(
      'quota-2025-RSE',
      [
        {
          type: 'YearlyQuotaDefined',
          data: { year: 2025, kind: 'RSE', target: 500, ceilingRupiah: 5_000_000 },
        },
      ],
      { expectedRevision: 'no_stream', context },
    );
    const quota = await readModels.read('quota-progress', position, (collection) =>
      readStore.get(collection, '2025:RSE'),
    );
    expect(quota).toMatchObject({ target: 500 });

    const started = Date.now();
    await expect(
      readModels.read('quota-progress', position + 100n, async () => 'read too early', 300),
    ).rejects.toBeInstanceOf(ReadModelBehindException);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('runs a read again on the new collection when a rebuild dropped the one it had resolved', async () => {
    const readModels = new ReadModels(readStore);
    const engine = await start([regencyCount(1)]);
    await appendProgrammeEvents(eventStore, 500);
    await until(() => caughtUp(engine, 'regency-count'));
    const v1 = collectionOf(regencyCount(1));
    const rebuilt = `${v1}-rebuilt`;
    const reads: string[] = [];
    const total = await readModels.read('regency-count', undefined, async (collection) => {
      reads.push(collection);
      if (reads.length === 1) {
        // A rebuild promotes its collection, dropping this one, while the read is under way.
        await readStore.ensureCollection({ name: rebuilt, indexes: [] });
        await readStore.createCheckpoint({
          projection: 'regency-count',
          collection: rebuilt,
          version: 1,
          position: 0n,
          status: 'building',
        });
        await readStore.promote(rebuilt);
      }
      return readStore.count(collection);
    });
    expect(reads).toEqual([v1, rebuilt]);
    expect(total).toBe(0);
  });

  it('carries on into the new collection when another process rebuilt the read model under it', async () => {
    await appendProgrammeEvents(eventStore, 3_000);
    const engine = await start([quotaProgressProjection]);
    await until(() => caughtUp(engine, 'quota-progress'));

    // What `bansos-projections rebuild quota-progress` does from another process:
    const collection = `${collectionOf(quotaProgressProjection)}-rebuilt`;
    await readStore.ensureCollection({
      name: collection,
      indexes: quotaProgressProjection.indexes,
    });
    await readStore.createCheckpoint({
      projection: 'quota-progress',
      collection,
      version: 1,
      position: 0n,
      status: 'building',
    });
    const member: GroupMember = {
      definition: quotaProgressProjection as AnyProjection,
      collection,
      position: 0n,
      status: 'building',
    };
    const rebuild: ProjectionGroup = new ProjectionGroup(eventStore, readStore, [member], {
      committed: () => void (member.status === 'active' && rebuild.stop()),
      replanNeeded: () => undefined,
    });
    await rebuild.run();
    expect(member.status).toBe('active');

    await appendProgrammeEvents(eventStore, 500);
    await until(async () => {
      const status = engine.status()[0];
      return status?.collection === collection && (await caughtUp(engine, 'quota-progress'));
    });
    const { stored, rebuilt } = await storedAndRebuilt(
      quotaProgressProjection,
      await allEvents(eventStore),
      readStore,
    );
    expect(stored).toEqual(rebuilt);
  });
});

describe('projection engine over a KurrentDB whose subscriptions end or fail mid-stream', () => {
  let eventStore: KurrentDbSemanticsEventStore;
  let readStore: ReadStore;
  let engine: ProjectionEngine;
  let logged: string[];

  beforeEach(() => {
    logged = [];
    const record = (message: unknown) => void logged.push(String(message));
    Logger.overrideLogger({
      log: record,
      error: record,
      warn: record,
      debug: record,
      verbose: record,
    });
    readStore = new SqliteReadStore({ file: ':memory:' });
  });

  afterEach(async () => {
    await engine.stop();
    await eventStore.close();
    await readStore.close();
    Logger.overrideLogger(['log', 'error', 'warn']);
  });

  async function start(): Promise<void> {
    engine = new ProjectionEngine(eventStore, readStore, [quotaProgressProjection], 100);
    await engine.start();
  }

  async function expectCaughtUpAndEqualToReplay(): Promise<void> {
    await until(async () => {
      const head = await eventStore.headPosition();
      const status = engine.status()[0];
      return status?.status === 'active' && BigInt(status.position) >= head;
    });
    const { stored, rebuilt } = await storedAndRebuilt(
      quotaProgressProjection,
      await allEvents(eventStore),
      readStore,
    );
    expect(stored).toEqual(rebuilt);
  }

  it('restarts a group whose subscription ended without an error, from its checkpoint, and reaches the head', async () => {
    eventStore = new KurrentDbSemanticsEventStore({ endSubscriptionsAfter: 700 });
    await appendProgrammeEvents(eventStore, 2_000);
    await start();
    await until(() => engine.status()[0]?.status === 'retrying');
    expect(engine.status()[0].error).toMatch(/^SubscriptionEndedError: /);
    await expectCaughtUpAndEqualToReplay();
    expect(logged.filter((line) => line.includes('SubscriptionEndedError')).length).toBeGreaterThan(
      0,
    );
  });

  it('goes on with appends made after the server ended every live subscription (a leader change)', async () => {
    eventStore = new KurrentDbSemanticsEventStore();
    await appendProgrammeEvents(eventStore, 300);
    await start();
    await expectCaughtUpAndEqualToReplay();

    eventStore.endAllSubscriptions();
    await until(() => engine.status()[0]?.status === 'retrying');
    await eventStore.appendToStreams(
      [
        {
          streamName: 'quota-2031-RSE',
          expectedRevision: 'no_stream',
          events: [
            {
              type: 'YearlyQuotaDefined',
              data: { year: 2031, kind: 'RSE', target: 500, ceilingRupiah: 5_000_000 },
            },
          ],
        },
      ],
      { context },
    );
    await expectCaughtUpAndEqualToReplay();
    expect(await readStore.get(engine.status()[0].collection, '2031:RSE')).toMatchObject({
      target: 500,
    });
  });

  it('restarts a group whose subscription failed mid-stream, from its checkpoint', async () => {
    eventStore = new KurrentDbSemanticsEventStore({ failSubscriptionsAfter: 900 });
    await appendProgrammeEvents(eventStore, 2_000);
    await start();
    await until(() => engine.status()[0]?.status === 'retrying');
    expect(engine.status()[0].error).toMatch(/^EventStoreUnavailableError: /);
    await expectCaughtUpAndEqualToReplay();
  });
});
