import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '../../projections';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { SeededRandom } from '../../src/demo/seeded-random';
import { allEvents, expectEveryReadModelToEqualReplay } from '../helpers/read-model-comparison';

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
      const events = await allEvents(eventStore);
      await expectEveryReadModelToEqualReplay(PROJECTIONS, events, readStore);
      const checkpoints = await readStore.checkpoints();
      expect(checkpoints.map((checkpoint) => checkpoint.position)).toEqual(
        checkpoints.map(() => events[events.length - 1].position),
      );
    } finally {
      await eventStore.close();
      await readStore.close();
    }
  }, 120_000);
});
