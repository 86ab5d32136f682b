import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import { ProjectionEngine } from '../../src/platform/projection-engine/projection-engine';
import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { SeededRandom } from '../../src/demo/seeded-random';
import { expectReadModelsAtHead } from '../helpers/read-model-comparison';
import { EVENT_STORES } from '../doubles/event-stores-under-test';

const PROJECTOR = join(__dirname, 'projector-process.ts');

/** Small batches make catching up take many commits, so that the kills land between them. */
const BATCH_SIZE = 50;

/** Starts the projector as a process; resolves with its exit (code, or the signal that ended it). */
function startProjector(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', PROJECTOR, dataDir, String(BATCH_SIZE)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let commits = 0;
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    commits += chunk.length;
    waiters.splice(0).forEach((wake) => wake());
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  /** Resolves once the projector has committed `count` batches (or has exited). */
  const committed = async (count: number): Promise<void> => {
    let running = true;
    void exited.then(() => {
      running = false;
      waiters.splice(0).forEach((wake) => wake());
    });
    while (running && commits < count) await new Promise<void>((wake) => waiters.push(wake));
  };
  return { child, exited, committed };
}

describe('projection engine killed at random instants', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-crash-'));
    const eventStore = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    await appendProgrammeEvents(eventStore, 100_000);
    await eventStore.close();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('neither loses nor double-applies an event: after 20 SIGKILLs every read model equals a rebuild', async () => {
    const random = new SeededRandom(20261128);
    const endings: (number | NodeJS.Signals | null)[] = [];
    for (let kill = 0; kill < 20; kill++) {
      // Somewhere between two commits, at an instant the projector does not choose.
      const { child, exited, committed } = startProjector(dataDir);
      await committed(random.int(10, 129));
      await new Promise((resolve) => setTimeout(resolve, random.next() * 5));
      child.kill('SIGKILL');
      endings.push(await exited);
    }
    // Most runs must really have been killed mid-way, or the test proves nothing.
    expect(endings.filter((ending) => ending === 'SIGKILL').length).toBeGreaterThanOrEqual(15);

    const last = startProjector(dataDir);
    expect(await last.exited).toBe(0);

    const eventStore = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const readStore = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
    try {
      await expectReadModelsAtHead(PROJECTIONS, eventStore, readStore);
    } finally {
      await eventStore.close();
      await readStore.close();
    }
  }, 120_000);
});

/** Batches as small as the KurrentDB stand-in hands over, so that both stores commit as often. */
const IN_PROCESS_BATCH_SIZE = 5;

/**
 * The read store as a projector sees it until the instant it dies, at its `killAt`-th commit:
 * that commit lands or not (at random: it may already be on the wire), and no call after it does.
 */
function dyingAt(readStore: ReadStore, killAt: number, random: SeededRandom) {
  let commits = 0;
  let dead = false;
  let die!: () => void;
  const died = new Promise<void>((resolve) => (die = resolve));
  const killed = (): Promise<never> => Promise.reject(new Error('the projector was killed'));
  const proxy = new Proxy(readStore, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const call = (args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      return (...args: unknown[]) => {
        if (dead) return killed();
        if (property !== 'commit' || ++commits < killAt) return call(args);
        dead = true;
        die();
        if (random.chance(0.5)) return killed();
        return Promise.resolve(call(args)).then(killed, killed);
      };
    },
  });
  return { readStore: proxy, died };
}

// A child process cannot share the in-memory KurrentDB stand-in, so the same crash points are
// reached in process: a projector whose storage calls all fail from one of its commits on (that
// commit landed or not) is as good as killed there, and the next engine starts from what landed.
describe.each(EVENT_STORES)(
  'projection engine killed at random instants, in process, over %s',
  (_name, openEventStore) => {
    beforeAll(() => Logger.overrideLogger(false));
    afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

    it('neither loses nor double-applies an event: after 20 kills every read model equals a rebuild', async () => {
      const eventStore = openEventStore();
      const readStore = new SqliteReadStore({ file: ':memory:' });
      try {
        await appendProgrammeEvents(eventStore, 10_000);
        const random = new SeededRandom(20261207);
        let deaths = 0;
        for (let kill = 0; kill < 20; kill++) {
          const dying = dyingAt(readStore, random.int(10, 129), random);
          const engine = new ProjectionEngine(
            eventStore,
            dying.readStore,
            PROJECTIONS,
            IN_PROCESS_BATCH_SIZE,
          );
          await engine.start();
          const stop = new AbortController();
          await Promise.race([
            dying.died.then(() => deaths++),
            caughtUp(engine, eventStore, stop.signal),
          ]);
          stop.abort();
          await engine.stop();
        }
        // Most runs must really have died mid-way, or the test proves nothing.
        expect(deaths).toBeGreaterThanOrEqual(15);

        const last = new ProjectionEngine(
          eventStore,
          readStore,
          PROJECTIONS,
          IN_PROCESS_BATCH_SIZE,
        );
        await last.start();
        await caughtUp(last, eventStore);
        await last.stop();
        await expectReadModelsAtHead(PROJECTIONS, eventStore, readStore);
      } finally {
        await eventStore.close();
        await readStore.close();
      }
    }, 120_000);
  },
);

/** Resolves once every projection of the engine has reached the head (or when cancelled). */
async function caughtUp(
  engine: ProjectionEngine,
  eventStore: EventStore,
  cancel?: AbortSignal,
): Promise<void> {
  const head = await eventStore.headPosition();
  while (!engine.status().every((projection) => BigInt(projection.position) >= head)) {
    if (cancel?.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
