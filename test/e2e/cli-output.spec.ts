import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { readLog } from '../../src/audit/event-log';
import { CSV_COLUMNS } from '../../src/audit/history/history-format';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';

const ROOT = join(__dirname, '../..');
const BIN = join(ROOT, 'bin');

/** Every tool with its commands, as a shell user runs them. */
const TOOLS: { bin: string; commands: string[] }[] = [
  { bin: 'bansos-audit', commands: ['history', 'projection', 'verify', 'seal'] },
  { bin: 'bansos-projections', commands: ['status', 'rebuild'] },
  { bin: 'bansos-seed-demo', commands: [] },
  { bin: 'bansos-personal-data', commands: ['due', 'erase'] },
  { bin: 'bansos-personal-data-migrate', commands: [] },
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The size of a pipe's buffer on Linux: larger answers reach a slow reader in several writes. */
const PIPE_BUFFER_BYTES = 64 * 1024;

/** The Node the machine has besides Node 24, older than the ledger needs (better-sqlite3 crashes). */
const SYSTEM_NODE = '/usr/bin/node';

/**
 * The command-line tools through their launchers in bin/, each command line run by a real shell
 * in a scratch directory (redirects and pipes included), on a log of a few hundred recipients in
 * a DATA_DIR of its own. The first run builds dist/ if it is stale; every later one must not.
 */
describe('command-line tools as a shell user runs them', () => {
  let workDir: string;
  let dataDir: string;
  let disbursements: number;
  let events: number;

  /** Runs a command line in `sh`, with bin/ on PATH. */
  function sh(line: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', line], {
        cwd: workDir,
        env: {
          ...process.env,
          PATH: `${BIN}:${process.env.PATH ?? ''}`,
          DATA_DIR: dataDir,
          RETENTION_DAYS_AFTER_LAST_EVENT: '',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  const file = (name: string) => readFileSync(join(workDir, name), 'utf8');

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'bansos-cli-output-'));
    dataDir = join(workDir, 'data');
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    try {
      // Some 500 recipients: the history, its CSV and the registry each exceed a pipe's buffer.
      // The CSV is the smallest (some 95 KB; 2,000 events would leave it near 64 KiB). Writing
      // the log takes well under a second: the spec's time goes to starting the tools.
      await appendProgrammeEvents(store, 3000, 1);
      disbursements = 0;
      events = 0;
      for await (const page of readLog(store)) {
        events += page.length;
        disbursements += page.filter((event) => event.type === 'AidDisbursed').length;
      }
    } finally {
      await store.close();
    }
    // Builds dist/ if the sources are newer: the only build of this spec.
    const first = await sh('bansos-projections rebuild quota-progress');
    // The answer alone on stdout: the projection engine's log line goes to stderr.
    expect(first).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(
        /^quota-progress rebuilt into \S+ up to position \d+; it now serves reads\n$/,
      ),
      stderr: expect.stringMatching(/Projection quota-progress v\d+ caught up/),
    });
  }, 180_000);

  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the built tool again without building: nothing on stderr, dist/ untouched', async () => {
    const built = join(ROOT, 'dist/src/cli/audit.js');
    const before = statSync(built).mtimeMs;
    const run = await sh('bansos-audit --help');
    expect(run).toEqual({
      status: 0,
      stdout: expect.stringMatching(/^Usage: bansos-audit /),
      stderr: '',
    });
    expect(statSync(built).mtimeMs).toBe(before);
  });

  it('writes a clean CSV file through a shell redirect: the BOM first, the header, a row each', async () => {
    const run = await sh('bansos-audit history --format csv > history.csv');
    expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
    const lines = file('history.csv').split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${CSV_COLUMNS.join(',')}`);
    expect(disbursements).toBeGreaterThan(0);
    expect(lines.slice(1, -1)).toHaveLength(disbursements);
    expect(lines.at(-1)).toBe('');
  });

  it('writes one JSON document through a shell redirect for every command that prints a table', async () => {
    const lines = {
      history: 'bansos-audit history --format json > history.json',
      projection: 'bansos-audit projection quota-progress --format json > projection.json',
      verify: 'bansos-audit verify --format json > verify.json',
      status: 'bansos-projections status --format json > status.json',
      due: 'bansos-personal-data due --retention-days 1 --format json > due.json',
      erase:
        'bansos-personal-data erase --reference "Keputusan 1/2027" --retention-days 1 --format json > erase.json',
    };
    for (const line of Object.values(lines)) {
      expect({ line, ...(await sh(line)) }).toEqual({ line, status: 0, stdout: '', stderr: '' });
    }
    const history = JSON.parse(file('history.json')) as unknown[];
    expect(history).toHaveLength(disbursements);
    const projection = JSON.parse(file('projection.json')) as { id: string; document: object }[];
    expect(projection.map(({ id }) => id)).toContain('2025:RSE');
    expect(JSON.parse(file('verify.json'))).toMatchObject({ ok: true, chains: { events } });
    expect(JSON.parse(file('status.json'))).toEqual({
      headPosition: expect.stringMatching(/^\d+$/),
      lease: null,
      projections: [
        {
          projection: 'quota-progress',
          version: expect.any(Number),
          status: 'active',
          collection: expect.stringMatching(/^quota-progress/),
          position: expect.stringMatching(/^\d+$/),
          lagEvents: 0,
          lagCapped: false,
        },
      ],
    });
    // Everything was recorded today: nobody is due after a day.
    expect(JSON.parse(file('due.json'))).toEqual([]);
    expect(JSON.parse(file('erase.json'))).toEqual({
      dryRun: true,
      retentionDays: 1,
      reference: 'Keputusan 1/2027',
      recipients: [],
    });
  }, 60_000);

  it('writes the migration report as one JSON document', async () => {
    const run = await sh(
      'bansos-personal-data-migrate --to encrypted --format json > migration.json',
    );
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(JSON.parse(file('migration.json'))).toMatchObject({
      ok: true,
      copy: { events },
      differing: [],
    });
  }, 60_000);

  describe('through a pipe to a reader that starts late, so that the pipe is full', () => {
    // The tool must wait for the reader before it exits: on a pipe Node writes asynchronously.
    // The reader starts after the tool has (usually) finished, as a slow consumer would.
    const piped = async (command: string, name: string) => {
      const run = await sh(`${command} | { sleep 3; cat; } > ${name}`);
      expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
      const text = file(name);
      expect(Buffer.byteLength(text)).toBeGreaterThan(PIPE_BUFFER_BYTES);
      return text;
    };

    it('writes the whole history as JSON', async () => {
      const text = await piped('bansos-audit history --format json', 'piped-history.json');
      expect(JSON.parse(text)).toHaveLength(disbursements);
    });

    it('writes the whole history as CSV', async () => {
      const lines = (await piped('bansos-audit history --format csv', 'piped-history.csv')).split(
        '\r\n',
      );
      expect(lines[0]).toBe(`\uFEFF${CSV_COLUMNS.join(',')}`);
      expect(lines.slice(1, -1)).toHaveLength(disbursements);
      expect(lines.at(-1)).toBe('');
    });

    it('writes the whole recipient registry as JSON', async () => {
      const text = await piped(
        'bansos-audit projection recipient-registry --format json',
        'piped-registry.json',
      );
      const registry = JSON.parse(text) as { id: string }[];
      expect(registry.length).toBeGreaterThan(300);
      expect(new Set(registry.map(({ id }) => id)).size).toBe(registry.length);
    });
  });

  describe('on a DATA_DIR that holds no event log (mistyped), EVENTSTORE_URL unset', () => {
    const ledgerReaders = [
      'bansos-audit history',
      'bansos-audit projection quota-progress',
      'bansos-audit verify',
      'bansos-audit seal',
      'bansos-projections status',
      'bansos-projections rebuild quota-progress',
      'bansos-personal-data due --retention-days 1',
      'bansos-personal-data erase --reference R-1 --retention-days 1',
      'bansos-personal-data erase --reference R-1 --retention-days 1 --apply',
      'bansos-personal-data-migrate --to migrated',
    ];

    it.each(ledgerReaders)('%s refuses, exit status 1, and creates nothing', async (line) => {
      const run = await sh(`DATA_DIR=./dtaa ${line}`);
      const missing = join(workDir, 'dtaa');
      expect(run).toEqual({
        status: 1,
        stdout: '',
        stderr: `No event log in DATA_DIR ${missing}: ${join(missing, 'events.sqlite')} does not exist. Set DATA_DIR to the data directory of the service (or EVENTSTORE_URL to its KurrentDB); nothing was created.\n`,
      });
      expect(existsSync(missing)).toBe(false);
      expect(existsSync(join(workDir, 'migrated'))).toBe(false);
    });
  });

  const systemNode = existsSync(SYSTEM_NODE)
    ? execFileSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).trim()
    : undefined;
  const olderThan22 = systemNode !== undefined && Number(/^v(\d+)/.exec(systemNode)?.[1]) < 22;

  (olderThan22 ? it : it.skip)(
    olderThan22
      ? `refuses to run on Node ${systemNode}, naming the Node it needs`
      : `refuses to run on an older Node (skipped: ${SYSTEM_NODE} is ${systemNode ?? 'missing'}, no older Node to run)`,
    async () => {
      const run = await sh(`${SYSTEM_NODE} ${join(BIN, 'bansos-audit')} verify`);
      expect(run).toEqual({
        status: 1,
        stdout: '',
        stderr: `bansos-ledger needs Node 22 or later (.nvmrc: 24); this is ${systemNode}\n`,
      });
    },
  );

  const helps = TOOLS.flatMap(({ bin, commands }) => [
    `${bin} -h`,
    `${bin} --help`,
    ...commands.flatMap((command) => [`${bin} ${command} -h`, `${bin} ${command} --help`]),
  ]);

  const usageErrors: [line: string, message: RegExp][] = [
    ...TOOLS.map(({ bin }): [string, RegExp] => [`${bin} --bogus`, /Unknown option '--bogus'/]),
    ...TOOLS.flatMap(({ bin, commands }) =>
      commands.map((command): [string, RegExp] => [
        `${bin} ${command} --frobnicate`,
        /Unknown option '--frobnicate'/,
      ]),
    ),
    ['bansos-audit', /No command given/],
    ['bansos-audit seal --format json', /Unknown option '--format'/],
    ['bansos-audit reseal', /Unknown command "reseal"/],
    ['bansos-audit history --kind PKH', /--kind must be one of RSE, KUBE \(got "PKH"\)/],
    ['bansos-audit verify extra', /Unexpected argument "extra"/],
    ['bansos-projections rebuild', /No projection given/],
    ['bansos-projections status --format xml', /--format must be one of table, json/],
    ['bansos-personal-data erase --retention-days 1', /--reference is required/],
    ['bansos-personal-data-migrate', /--to NEW_DATA_DIR is required/],
  ];

  // Some fifty short runs, a few at a time: each test then reads its own.
  const runs = new Map<string, Promise<Run>>();
  const ran = (line: string) => runs.get(line) ?? sh(line);

  beforeAll(() => {
    const queue = [...helps, ...usageErrors.map(([line]) => line)];
    let previous: Promise<unknown>[] = [];
    for (let start = 0; start < queue.length; start += 4) {
      const batch = queue.slice(start, start + 4);
      const after = Promise.allSettled(previous);
      previous = batch.map((line) => {
        const run = after.then(() => sh(line));
        runs.set(line, run);
        return run;
      });
    }
  });

  it.each(helps)('%s prints its usage on stdout, exit status 0', async (line) => {
    const [bin, command] = line.split(' ');
    const run = await ran(line);
    expect(run).toEqual({
      status: 0,
      stdout: expect.stringMatching(
        new RegExp(`^Usage: ${bin} ${command.startsWith('-') ? '' : `${command}\\b`}`),
      ),
      stderr: '',
    });
    expect(run.stdout).toMatch(/-h,? (or )?--help/);
  });

  it.each(usageErrors)(
    '%s is a usage error: the message and the usage on stderr, exit status 2',
    async (line, message) => {
      const run = await ran(line);
      expect(run).toEqual({
        status: 2,
        stdout: '',
        stderr: expect.stringMatching(message),
      });
      expect(run.stderr).toMatch(/\n\nUsage: bansos-/);
    },
  );
});
