/**
 * The embedded stores at a national scale: a programme of 1,000,000 recipients (about
 * 10,000,000 events) across Indonesia's 514 regencies/cities. Figures, each printed:
 * 1. appends while the log grows, per tenth of the recipients, and the file size on disk;
 * 2. a rebuild of every read model from scratch, in a child process (peak RSS its own);
 * 3. the audit: disbursement history as of a day, and verify, each in a child process with the
 *    audit heap cap (a run that dies of it is reported, then run again with a larger cap);
 * 4. the yearly quota streams: what one more slot costs the process deciding on one, and what
 *    reading all six from scratch costs a process's first slot of each year;
 * 5. reads: a paged name search of the registry and the quota progress of a year, p50/p99 of
 *    sequential requests, over HTTP through the running service and in process on the read store;
 * 6. the read models' file size.
 * The service runs on the bench's own data directory: the events are appended into its
 * events.sqlite and every read model rebuilt into its read-models.sqlite first, so it starts
 * caught up, and writes its key files on that first start.
 * Usage: npx tsc -p tsconfig.build.json && node dist/bench/national-scale.bench.js
 *        [--recipients 1000000]
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../projections';
import { endOfDay } from '../src/audit/as-of';
import { historyAsOf } from '../src/audit/replay-as-of';
import { LogSealer } from '../src/audit/sealing/log-sealer';
import { verifyLog } from '../src/audit/verify/verify-log';
import { VERIFY_READ_STORE } from '../src/audit/verify/verify-part';
import { findRecipients } from '../projections/recipient-registry/recipient-registry.queries';
import { recipientRegistryProjection } from '../projections/recipient-registry/recipient-registry.projection';
import { quotaProgress } from '../projections/quota-progress/quota-progress.queries';
import { quotaProgressProjection } from '../projections/quota-progress/quota-progress.projection';
import type { TakeSlot } from '../src/domain/quota/quota.commands';
import { quotaDecider } from '../src/domain/quota/quota.decider';
import type { EventContext } from '../src/platform/event-store/event-metadata';
import { SqliteEventStore } from '../src/platform/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../src/platform/read-store/sqlite/sqlite-read-store';
import { ReadModels } from '../src/read/read-models';
import { readState } from '../src/platform/command-handling/stream-states';
import { percentile, startService, type RunningService } from './bench-support';
import { KINDS, NATIONAL_REGENCIES, NationalProgramme, YEARS } from './national-programme';
import type { AppendUnit } from './programme-events';

type Task = 'rebuild' | 'history' | 'verify' | 'fold';

/** The heap cap of `bin/bansos-audit` (see docs/auditing.md), and the one tried after it. */
const AUDIT_HEAP_MB = 384;
const LARGER_HEAP_MB = 4096;

/** Appends in flight at once, as many requests would be (as bench/programme-events.ts does). */
const CONCURRENCY = 64;
const REQUESTS = 500;
const WARM_UP = 25;
/** What reading the six yearly quota streams from scratch may take before it counts as failed. */
const FOLD_LIMIT_SECONDS = 600;

/** Name fragments an operator would type: a first name and the start of a second one. */
const SEARCHES = ['siti ami', 'nur lest', 'dewi sar', 'sri raha', 'ratna wat', 'fitri han'];

const CONTEXT: EventContext = {
  actor: 'operator',
  correlationId: 'national',
  causationId: 'national',
  commandId: 'national',
};

interface Figure {
  seconds: number;
  eventsPerSecond: number;
  peakRssMb: number;
  detail: string;
}

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** A SQLite store's size on disk: the file and its write-ahead log. */
function storeBytes(file: string): number {
  return [file, `${file}-wal`]
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + statSync(path).size, 0);
}

const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;

/** In a child process: one task over the stores in `dir`; its figure goes to the parent. */
async function child(task: Task, dir: string): Promise<void> {
  Logger.overrideLogger(false);
  const stores = {
    eventStore: { kind: 'sqlite', file: join(dir, 'events.sqlite') },
    readStore: { kind: 'sqlite', file: join(dir, 'read-models.sqlite') },
  } as const;
  const eventStore = new SqliteEventStore({ file: stores.eventStore.file });
  const readStore = new SqliteReadStore({
    file: stores.readStore.file,
    ...(task === 'verify' ? VERIFY_READ_STORE : {}),
  });
  const head = await eventStore.headPosition();
  const started = performance.now();
  let detail = '';
  let processed = Number(head);
  if (task === 'rebuild') {
    const engine = new ProjectionEngine(eventStore, readStore, PROJECTIONS);
    await engine.start();
    await new Promise<void>((resolve) => {
      const check = () => engine.status().every((p) => BigInt(p.position) >= head) && resolve();
      engine.onProgress(check);
      check();
    });
    await engine.stop();
    detail = `${PROJECTIONS.length} read models`;
  } else if (task === 'fold') {
    // What a process's first slot of each year and kind costs: its stream read from the start.
    let events = 0;
    for (const year of YEARS) {
      for (const kind of KINDS) {
        const { revision } = await readState(eventStore, `quota-${year}-${kind}`, quotaDecider);
        events += Number(revision) + 1;
      }
    }
    processed = events;
    detail = `${count(events)} events of the six yearly quota streams folded`;
  } else if (task === 'history') {
    const day = new Date().toISOString().slice(0, 10);
    const records = await historyAsOf(eventStore, { knownBefore: endOfDay(day) });
    detail = `${count(records.length)} disbursements as of ${day}`;
  } else {
    // As `bin/bansos-audit verify` does: half the work in a worker thread.
    const report = await verifyLog(eventStore, readStore, PROJECTIONS, { stores });
    if (!report.ok) {
      throw new Error(`verify found differences: ${JSON.stringify(report).slice(0, 500)}`);
    }
    const documents = report.readModels.reduce((sum, model) => sum + model.documentsCompared, 0);
    detail = `${count(report.chains.streams)} chains, ${report.chains.seals} seals, ${count(documents)} documents compared`;
  }
  const seconds = (performance.now() - started) / 1000;
  process.send?.({
    seconds,
    eventsPerSecond: processed / seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    detail,
  } satisfies Figure);
  await readStore.close();
  await eventStore.close();
}

/**
 * Runs a task in a child process; rejects with how it ended (the tail of its stderr) if it
 * fails, or once `limitSeconds` have passed (the child is then killed).
 */
function run(task: Task, dir: string, heapMb?: number, limitSeconds?: number): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const forked = fork(__filename, ['--child', task, dir], {
      execArgv: heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    forked.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    let figure: Figure | undefined;
    forked.on('message', (message: Figure) => (figure = message));
    const timer =
      limitSeconds === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `did not finish within ${limitSeconds} s`;
            forked.kill('SIGKILL');
          }, limitSeconds * 1000);
    forked.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && figure) resolve(figure);
      else {
        const cause = /heap out of memory/i.test(stderr)
          ? 'JavaScript heap out of memory'
          : stderr.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`${task} ended with ${signal ?? `exit code ${code}`}: ${cause}`));
      }
    });
  });
}

const describe = (figure: Figure) =>
  `${figure.seconds.toFixed(1)} s, ${count(figure.eventsPerSecond)} events/s, ` +
  `peak RSS ${figure.peakRssMb} MB (${figure.detail})`;

/** Appends the programme a tenth of the recipients at a time, sealing each tenth as it ends. */
async function appendProgramme(dir: string, recipients: number): Promise<number> {
  const file = join(dir, 'events.sqlite');
  const store = new SqliteEventStore({ file });
  const programme = new NationalProgramme(recipients);
  const sealer = new LogSealer(store);
  let written = 0;
  let appendSeconds = 0;
  let sealSeconds = 0;
  const appendAll = async (units: Iterator<AppendUnit>): Promise<number> => {
    let events = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let unit = units.next(); !unit.done; unit = units.next()) {
          await store.appendToStreams(unit.value, { context: CONTEXT });
          events += unit.value.reduce((sum, append) => sum + append.events.length, 0);
        }
      }),
    );
    return events;
  };
  console.log('1. appends while the log grows (each tenth of the recipients, then sealed):');
  let started = performance.now();
  written += await appendAll(programme.quotaUnits()[Symbol.iterator]());
  appendSeconds += (performance.now() - started) / 1000;
  for (let tenth = 0; tenth < 10; tenth++) {
    const size =
      Math.floor((recipients * (tenth + 1)) / 10) - Math.floor((recipients * tenth) / 10);
    started = performance.now();
    const events = await appendAll(programme.lives(size));
    const seconds = (performance.now() - started) / 1000;
    appendSeconds += seconds;
    written += events;
    started = performance.now();
    await sealer.seal();
    sealSeconds += (performance.now() - started) / 1000;
    console.log(
      `   ${(tenth + 1) * 10}%: ${count(size)} recipients, ${count(events)} events in ` +
        `${seconds.toFixed(1)} s = ${count(events / seconds)} events/s; ` +
        `log ${count(written)} events, ${megabytes(storeBytes(file))} on disk`,
    );
  }
  await store.close();
  const bytes = storeBytes(file);
  console.log(
    `   total: ${count(written)} events (${(written / recipients).toFixed(1)} a recipient) in ` +
      `${appendSeconds.toFixed(1)} s = ${count(written / appendSeconds)} events/s; ` +
      `10 seals over them took ${sealSeconds.toFixed(1)} s in all`,
  );
  console.log(
    `   event store on disk (events.sqlite + -wal, after close): ${megabytes(bytes)}, ` +
      `${count(bytes / written)} bytes an event`,
  );
  return written;
}

/** The audit task under the audit heap cap; if that kills it, said so, then a larger cap. */
async function audit(task: Task, dir: string): Promise<void> {
  try {
    const figure = await run(task, dir, AUDIT_HEAP_MB);
    console.log(`   ${task}, heap cap ${AUDIT_HEAP_MB} MB: ${describe(figure)}`);
    return;
  } catch (error) {
    console.log(
      `   ${task}: FAILED under the ${AUDIT_HEAP_MB} MB heap cap (${(error as Error).message})`,
    );
  }
  const figure = await run(task, dir, LARGER_HEAP_MB);
  console.log(`   ${task}, heap cap ${LARGER_HEAP_MB} MB: ${describe(figure)}`);
}

/** `REQUESTS` timed reads after a warm-up, one at a time; p50 and p99 printed. */
async function timeReads(label: string, read: (n: number) => Promise<void>): Promise<void> {
  const times: number[] = [];
  for (let n = 0; n < WARM_UP + REQUESTS; n++) {
    const started = performance.now();
    await read(n);
    if (n >= WARM_UP) times.push(performance.now() - started);
  }
  console.log(
    `   ${label}: ${REQUESTS} sequential requests, p50 ${percentile(times, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(times, 99).toFixed(1)} ms`,
  );
}

const searchOf = (n: number) => ({
  q: SEARCHES[n % SEARCHES.length],
  limit: 50,
  offset: 50 * (n % 4),
});
const yearOf = (n: number) => YEARS[n % YEARS.length];

/** A GET through the service; any answer but 200 voids the run. */
async function get(service: RunningService, path: string): Promise<void> {
  const answer = await fetch(`${service.baseUrl}${path}`, { headers: service.headers });
  const body = await answer.text();
  if (answer.status !== 200) {
    throw new Error(`${path} answered ${answer.status}, so the run is void: ${body}`);
  }
}

/** The two reads over HTTP, through the service started on the bench's data directory. */
async function readsOverHttp(dir: string): Promise<void> {
  const started = performance.now();
  let service: RunningService;
  try {
    service = await startService(dir, ['operator', 'viewer'], 'all');
  } catch (error) {
    console.log(
      `   FAILED: the service could not start: ${(error as Error).message.slice(0, 300)}`,
    );
    return;
  }
  console.log(
    `   the service (role all) started and answered in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  try {
    await timeReads('HTTP registry name search, 50 a page, with its total', (n) => {
      const { q, limit, offset } = searchOf(n);
      return get(
        service,
        `/api/v1/recipients?q=${encodeURIComponent(q)}&limit=${limit}&offset=${offset}`,
      );
    });
    await timeReads('HTTP quota progress of a year', (n) =>
      get(service, `/api/v1/quota-progress?year=${yearOf(n)}`),
    );
  } finally {
    await service.stop();
  }
}

/** The same two reads on the read store in this process: the queries without HTTP. */
async function readsInProcess(dir: string): Promise<void> {
  const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  const readModels = new ReadModels(readStore);
  try {
    await timeReads('in process, registry name search', async (n) => {
      const page = await readModels.read(recipientRegistryProjection.name, undefined, (c) =>
        findRecipients(readStore, c, searchOf(n)),
      );
      if (page.total === 0) throw new Error(`no recipient matches "${searchOf(n).q}"`);
    });
    await timeReads('in process, quota progress of a year', async (n) => {
      await readModels.read(quotaProgressProjection.name, undefined, (c) =>
        quotaProgress(readStore, c, yearOf(n)),
      );
    });
  } finally {
    await readStore.close();
  }
}

/** The median time of `run`, after a few runs that warm it up. */
function medianMs(run: () => unknown): number {
  const times: number[] = [];
  for (let rep = 0; rep < 18; rep++) {
    const started = performance.now();
    run();
    if (rep >= 3) times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

/**
 * What one more disbursement costs the process that decides on a yearly quota stream (every
 * slot of a year and kind goes through one), at the size the stream has grown to.
 */
async function quotaStreams(dir: string): Promise<void> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  try {
    for (const year of YEARS) {
      for (const kind of KINDS) {
        const { state, revision } = await readState(store, `quota-${year}-${kind}`, quotaDecider);
        const take: TakeSlot = {
          type: 'TakeSlot',
          disbursementId: 'national-bench.1',
          recipientId: 'national-bench',
          regencyCode: '64.72',
          valueRupiah: kind === 'RSE' ? 5_000_000 : 20_000_000,
        };
        const decided = quotaDecider.decide(take, state);
        const decideMs = medianMs(() => quotaDecider.decide(take, state));
        const evolveMs = medianMs(() =>
          decided.reduce((next, event) => quotaDecider.evolve(next, event), state),
        );
        console.log(
          `   quota-${year}-${kind}: ${count(Number(revision) + 1)} events, ` +
            `${count(state.slots.size)} slots held; one more slot costs ` +
            `${(decideMs + evolveMs).toFixed(3)} ms of CPU (decide ${decideMs.toFixed(3)}, ` +
            `evolve ${evolveMs.toFixed(3)})`,
        );
      }
    }
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const recipients = flag('recipients', 1_000_000);
  if (!Number.isInteger(recipients) || recipients < 10) {
    throw new Error('--recipients must be a whole number, at least 10');
  }
  console.log(
    `national-scale bench: node ${process.version}, ${new Date().toISOString()}, ` +
      `--recipients ${recipients} across ${NATIONAL_REGENCIES.length} regencies/cities`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'bansos-bench-national-'));
  try {
    const written = await appendProgramme(dir, recipients);

    console.log('2. rebuild of every read model from scratch:');
    const rebuilt = await run('rebuild', dir);
    console.log(`   ${describe(rebuilt)}`);
    const readBytes = storeBytes(join(dir, 'read-models.sqlite'));

    console.log('3. audit:');
    await audit('history', dir);
    await audit('verify', dir);

    console.log('4. the yearly quota streams (every slot of a year and kind in one stream):');
    await quotaStreams(dir);
    try {
      const fold = await run('fold', dir, undefined, FOLD_LIMIT_SECONDS);
      console.log(
        `   all six read from scratch, as a process's first slot of each year does (child process): ${describe(fold)}`,
      );
    } catch (error) {
      console.log(`   all six read from scratch: FAILED (${(error as Error).message})`);
    }

    console.log('5. reads (sequential, after a warm-up):');
    await readsOverHttp(dir);
    await readsInProcess(dir);

    console.log(
      `6. read models on disk (read-models.sqlite + -wal, after the rebuild): ` +
        `${megabytes(readBytes)}, ${count(readBytes / recipients)} bytes a recipient, ` +
        `${count(readBytes / written)} bytes an event`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Task, process.argv[4]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
