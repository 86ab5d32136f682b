import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';

const execFileAsync = promisify(execFile);
const CLI = join(__dirname, '../../src/cli/projections.ts');

/** `bansos-projections status|rebuild` on a data directory the service never opened. */
describe('projections CLI', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-projections-cli-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<string> {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['-r', '@swc-node/register', CLI, ...args],
      { env: { ...process.env, DATA_DIR: dataDir } },
    );
    return stdout;
  }

  /** How many events the log gained. */
  async function append(count: number): Promise<number> {
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    try {
      const before = await store.countEventsAfter(0n, 1_000_000);
      await appendProgrammeEvents(store, count, 1);
      return (await store.countEventsAfter(0n, 1_000_000)) - before;
    } finally {
      await store.close();
    }
  }

  it('rebuilds a read model, then reports its lag in events as the log grows', async () => {
    await append(40);
    expect(await cli('rebuild', 'quota-progress')).toMatch(
      /quota-progress rebuilt into .* it now serves reads/,
    );
    expect(await cli('status')).toMatch(/^quota-progress .* active .*\(lag 0 events\)$/m);

    const added = await append(7);
    expect(added).toBeGreaterThan(0);
    // A count of events, not a difference of positions (byte offsets on KurrentDB).
    expect(await cli('status')).toMatch(
      new RegExp(`^quota-progress .* active .*\\(lag ${added} events\\)$`, 'm'),
    );
  }, 60_000);
});
