import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import {
  PROJECTION_LEASE,
  ProjectionEngine,
} from '../../src/platform/projection-engine/projection-engine';
import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents, programmeEvents } from '../../bench/programme-events';
import { allEvents, storedAndRebuilt } from '../helpers/read-model-comparison';
import { until } from '../helpers/until';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');
const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

/** Every read model equals a replay from scratch, and every checkpoint stands at the head. */
async function expectEqualToRebuild(eventStore: EventStore, readStore: ReadStore): Promise<void> {
  const events = await allEvents(eventStore);
  for (const definition of PROJECTIONS) {
    const { stored, rebuilt, storedCount } = await storedAndRebuilt(definition, events, readStore);
    expect({ projection: definition.name, count: storedCount }).toEqual({
      projection: definition.name,
      count: rebuilt.size,
    });
    expect(stored).toEqual(rebuilt);
  }
  const head = events[events.length - 1].position;
  expect((await readStore.checkpoints()).map((checkpoint) => checkpoint.position)).toEqual(
    PROJECTIONS.map(() => head),
  );
}

async function caughtUp(eventStore: EventStore, readStore: ReadStore): Promise<boolean> {
  const head = await eventStore.headPosition();
  const checkpoints = await readStore.checkpoints();
  return (
    checkpoints.length === PROJECTIONS.length &&
    checkpoints.every((checkpoint) => checkpoint.position >= head)
  );
}

describe('projection engines sharing one read store', () => {
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  let engines: ProjectionEngine[];

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(() => {
    eventStore = new SqliteEventStore({ file: ':memory:' });
    readStore = new SqliteReadStore({ file: ':memory:' });
    engines = [];
  });

  afterEach(async () => {
    await Promise.all(engines.map((engine) => engine.stop()));
    await eventStore.close();
    await readStore.close();
  });

  function engine(holder: string): { engine: ProjectionEngine; commits: () => number } {
    const created = new ProjectionEngine(eventStore, readStore, PROJECTIONS, 200, {
      holder,
      ttlMs: 5_000,
      renewEveryMs: 50,
    });
    engines.push(created);
    let commits = 0;
    created.onProgress(() => commits++);
    return { engine: created, commits: () => commits };
  }

  it('one runs the projections while the other stands by, and takes over when it stops', async () => {
    await appendProgrammeEvents(eventStore, 5_000);
    const a = engine('a');
    const b = engine('b');
    await a.engine.start();
    await b.engine.start();
    expect(a.engine.leaseStatus()).toMatchObject({ holder: 'a', holding: true });
    expect(b.engine.leaseStatus()).toEqual({ name: PROJECTION_LEASE, holder: 'b', holding: false });
    expect(b.engine.status()).toEqual([]);

    await until(() => caughtUp(eventStore, readStore), 20_000);
    await appendProgrammeEvents(eventStore, 1_000);
    await until(() => caughtUp(eventStore, readStore), 20_000);
    expect(a.commits()).toBeGreaterThan(0);
    expect(b.commits()).toBe(0);

    await a.engine.stop();
    expect(await readStore.lease(PROJECTION_LEASE)).toBeNull();
    await until(() => b.engine.leaseStatus()?.holding === true, 2_000);
    await appendProgrammeEvents(eventStore, 2_000);
    await until(() => caughtUp(eventStore, readStore), 20_000);
    expect(b.commits()).toBeGreaterThan(0);
    expect(b.engine.status().map((projection) => projection.status)).toEqual(
      PROJECTIONS.map(() => 'active'),
    );
    await expectEqualToRebuild(eventStore, readStore);
  });

  it('a holder whose lease is taken stops its projections, and resumes from the checkpoints when it gets the lease back', async () => {
    await appendProgrammeEvents(eventStore, 3_000);
    const a = engine('a');
    await a.engine.start();
    await until(() => caughtUp(eventStore, readStore), 20_000);

    // As if its lease had expired while it was paused and another process had taken it.
    await readStore.releaseLease(PROJECTION_LEASE, 'a');
    await readStore.acquireLease(PROJECTION_LEASE, 'c', 60_000);
    await until(() => a.engine.leaseStatus()?.holding === false, 2_000);
    expect(a.engine.status()).toEqual([]);
    const commits = a.commits();
    await appendProgrammeEvents(eventStore, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.commits()).toBe(commits);
    expect(await caughtUp(eventStore, readStore)).toBe(false);

    await readStore.releaseLease(PROJECTION_LEASE, 'c');
    await until(() => caughtUp(eventStore, readStore), 20_000);
    expect(a.engine.leaseStatus()).toMatchObject({ holding: true });
    await expectEqualToRebuild(eventStore, readStore);
  });
});

interface ProjectorProcess {
  child: ChildProcess;
  exited: Promise<number | NodeJS.Signals | null>;
  /** What it printed, for the message of a failing test. */
  output: () => string;
}

/** `PROCESS_ROLE=projector` as `npm run start:projector` runs it, on the embedded stores. */
function startProjector(dataDir: string, ttlMs: number, renewMs: number): ProjectorProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PROCESS_ROLE: 'projector',
    DATA_DIR: dataDir,
    PROJECTION_LEASE_TTL_MS: String(ttlMs),
    PROJECTION_LEASE_RENEW_MS: String(renewMs),
  };
  delete env.EVENTSTORE_URL;
  delete env.MONGODB_URL;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, exited, output: () => output };
}

describe('two projector processes on one data directory', () => {
  const TTL_MS = 2_000;
  const RENEW_MS = 250;
  let dataDir: string;
  let projectors: ProjectorProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-failover-'));
  });

  afterAll(async () => {
    for (const projector of projectors) projector.child.kill('SIGKILL');
    await Promise.all(projectors.map((projector) => projector.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the holder is killed, the standby takes over within the lease TTL and the read models end equal to a rebuild', async () => {
    const eventStore = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const readStore = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
    const units = programmeEvents(1_000_000);
    const appendUnit = async () => {
      const unit = units.next();
      if (unit.done) throw new Error('the event log ran out');
      await eventStore.appendToStreams(unit.value, { context });
    };
    let writing = true;
    /** Events keep arriving, as from API processes, before, during and after the kill. */
    const writer = (async () => {
      while (writing) {
        await appendUnit();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      for (let unit = 0; unit < 4_000; unit++) await appendUnit();

      projectors = [
        startProjector(dataDir, TTL_MS, RENEW_MS),
        startProjector(dataDir, TTL_MS, RENEW_MS),
      ];
      const pidOf = (holder: string | undefined) => Number(holder?.split('/')[1]);
      const byPid = (pid: number) => projectors.find((projector) => projector.child.pid === pid);
      const holders: string[] = [];
      /** Every holder the lease has had, in order, sampled until the end of the test. */
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const holder = (await readStore.lease(PROJECTION_LEASE))?.holder;
          if (holder && holders.at(-1) !== holder) holders.push(holder);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const logs = () => projectors.map((p, i) => `--- projector ${i}\n${p.output()}`).join('\n');

      await until(
        () => holders.length > 0,
        60_000,
        () => `a lease holder\n${logs()}`,
      );
      const first = byPid(pidOf(holders[0]));
      const standby = projectors.find((projector) => projector !== first);
      if (!first || !standby) throw new Error(`the lease holder is no child: ${holders[0]}`);
      // The holder is busy projecting, catching up and then live, when it dies.
      await until(
        async () => (await readStore.checkpoints()).some((c) => c.position > 10_000n),
        60_000,
        () => `progress\n${logs()}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));

      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      const killedAt = Date.now();
      // The dead holder renews no more: its lease as it stands now is the one the standby must
      // wait out. (A holder busy projecting may have renewed late, so this can be under TTL_MS.)
      const deadLease = await readStore.lease(PROJECTION_LEASE);
      await until(
        () => holders.length > 1,
        TTL_MS + 8_000,
        () => `a takeover\n${logs()}`,
      );
      const takenOverAt = Date.now();
      expect(pidOf(holders[1])).toBe(standby.child.pid);
      // Not before the dead holder's lease expired, and not much later than a TTL.
      expect(deadLease?.holder).toBe(holders[0]);
      expect(takenOverAt).toBeGreaterThanOrEqual(deadLease?.expiresAt.getTime() ?? Infinity);
      expect(takenOverAt - killedAt).toBeLessThanOrEqual(TTL_MS + RENEW_MS + 3_000);

      await new Promise((resolve) => setTimeout(resolve, 1_000));
      writing = false;
      await writer;
      await until(
        () => caughtUp(eventStore, readStore),
        60_000,
        () => `catch-up\n${logs()}`,
      );
      sampling = false;
      await sampler;
      expect(holders).toHaveLength(2);
      await expectEqualToRebuild(eventStore, readStore);

      // SIGTERM: it stops after the batch in hand, gives the lease up and exits 0.
      standby.child.kill('SIGTERM');
      expect(await standby.exited).toBe(0);
      expect(await readStore.lease(PROJECTION_LEASE)).toBeNull();
    } finally {
      writing = false;
      await writer.catch(() => undefined);
      await eventStore.close();
      await readStore.close();
    }
  }, 180_000);
});
