/**
 * Projections on the embedded stores. First 1,000,000 realistic programme events are appended;
 * then every read model is rebuilt from scratch into a fresh read store, in a child process of
 * its own (so peak RSS is the rebuild's), several times: median events/s and highest peak RSS,
 * and the ratio to reading the same log through `$all` alone, measured in the same child just
 * before its rebuild. With each rebuild, the CPU time it took (every thread) and the cores that
 * work would keep busy to finish at half the read's rate: what a 0.5× rebuild needs at the least;
 * and the longest the process could do nothing else meanwhile (answer a request, run a timer).
 * Last, the service runs while registrations arrive at 500/s over HTTP, and each registration's
 * answer position is read back with minPosition: the time until it is visible is the live lag.
 * `--baseline DIR` runs the rebuilds and the live-lag phase on another build too (its
 * dist/bench/projections.bench.js and dist/src/main.js), taking turns with this one run by run.
 * Each rebuild runs in two modes (`--modes fresh,beside`): into a fresh read store, and beside
 * the serving versions, as when a projection's version is raised.
 * Usage: npm run bench:projections [-- --events 1000000 --runs 3 --seconds 10 --lag-runs 3
 *        --rate 500 --modes fresh,beside --baseline ../old]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../projections';
import { SqliteEventStore } from '../src/platform/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from './programme-events';
import { femaleNik, median, percentile, startService, THIS_BUILD } from './bench-support';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** In a child process: rebuild every read model from the events in `dataDir` into `readFile`. */
async function rebuildChild(eventsFile: string, readFile: string, mode: Mode): Promise<void> {
  Logger.overrideLogger(false);
  const eventStore = new SqliteEventStore({ file: eventsFile });
  const readStore = new SqliteReadStore({ file: readFile });
  const head = await eventStore.headPosition();
  const readPerSecond = await readAllRate(eventStore, head);
  if (mode === 'beside') await serveEarlierVersions(readStore);
  const engine = new ProjectionEngine(eventStore, readStore, PROJECTIONS);
  const started = performance.now();
  // Every thread of the process (the store's writer thread too), user and system time.
  const cpuBefore = process.cpuUsage();
  const stalls = stallMeter();
  await engine.start();
  await new Promise<void>((resolve) => {
    const check = () =>
      engine.status().every((p) => BigInt(p.position) >= head && p.status === 'active') &&
      resolve();
    engine.onProgress(check);
    check();
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const longestStallMs = stalls.stop();
  await engine.stop();
  process.send?.({
    eventsPerSecond: Number(head) / seconds,
    readPerSecond,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    longestStallMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  } satisfies RebuildFigure);
  await readStore.close();
  await eventStore.close();
}

/**
 * How long, at the most, the process could answer nothing else (a request, a timer): the
 * longest gap between the ticks of a 10 ms timer, less the 10 ms.
 */
function stallMeter(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const ticks = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(ticks);
      return Math.max(longest, performance.now() - last - 10);
    },
  };
}

/**
 * How the read models are rebuilt: into a fresh read store (each serves from its first event on,
 * so its indexes are kept up row by row), or beside earlier versions that serve meanwhile, as
 * when a projection's version is raised (indexes built at the promotion).
 */
type Mode = 'fresh' | 'beside';

/** An empty, serving collection of each projection's previous version. */
async function serveEarlierVersions(readStore: SqliteReadStore): Promise<void> {
  for (const definition of PROJECTIONS) {
    const collection = `${definition.name}-v${definition.version - 1}`;
    await readStore.ensureCollection({ name: collection, indexes: [] });
    await readStore.createCheckpoint({
      projection: definition.name,
      collection,
      version: definition.version - 1,
      position: 0n,
      status: 'active',
    });
  }
}

/**
 * The floor of a rebuild: reading the same log through `$all` alone, in pages of 1,000 (as the
 * engine reads), every event's data parsed, in the same process just before the rebuild.
 */
async function readAllRate(eventStore: SqliteEventStore, head: bigint): Promise<number> {
  const started = performance.now();
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await eventStore.readAll({ after, maxCount: 1000 });
    if (page.length === 0) break;
    count += page.length;
    after = page[page.length - 1].position;
  }
  if (BigInt(count) !== head) throw new Error(`read ${count} events of ${head}`);
  return count / ((performance.now() - started) / 1000);
}

/** `readPerSecond`, `cpuSeconds` and `longestStallMs` are absent from older builds' rebuilds. */
interface RebuildFigure {
  eventsPerSecond: number;
  readPerSecond?: number;
  /** CPU time the rebuild took, all threads together. */
  cpuSeconds?: number;
  /** The longest the process's event loop was held at once meanwhile. */
  longestStallMs?: number;
  peakRssMb: number;
}

/**
 * The cores a rebuild at half the read's rate would keep busy, were its CPU work spread over
 * them perfectly: its CPU time over the wall time that rate allows (twice the read's).
 */
function coresForHalfTheRead(figure: RebuildFigure, events: number): number | undefined {
  if (!figure.readPerSecond || figure.cpuSeconds === undefined) return undefined;
  return figure.cpuSeconds / ((2 * events) / figure.readPerSecond);
}

const round = (value: number) => Math.round(value).toLocaleString('en-US');

function rebuild(
  eventsFile: string,
  readFile: string,
  rebuilder: Rebuilder,
): Promise<RebuildFigure> {
  return new Promise((resolve, reject) => {
    const child = fork(rebuilder.bench, ['--child', eventsFile, readFile, rebuilder.mode]);
    child.on('message', (figure: RebuildFigure) => resolve(figure));
    child.on('exit', (code) => code !== 0 && reject(new Error(`rebuild exited with ${code}`)));
  });
}

async function liveLag(seconds: number, rate: number, main: string): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-bench-lag-'));
  const service = await startService(dataDir, ['operator', 'viewer'], 'all', main);
  const { baseUrl, headers } = service;
  const lags: number[] = [];
  /** Each failed request, by what went wrong: any one voids the run. */
  const failures = new Map<string, number>();
  const fail = (reason: string): void => {
    failures.set(reason, (failures.get(reason) ?? 0) + 1);
  };
  const inFlight: Promise<void>[] = [];
  try {
    const started = performance.now();
    // One second of warm-up (JIT, caches) first, not counted.
    for (let n = 0; n < (seconds + 1) * rate; n++) {
      const due = started + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        // Caught here, so that every request ends before the service stops; reported below.
        registerAndReadBack(n).catch((error: Error) => fail(error.message)),
      );
    }
    await Promise.all(inFlight);
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.size > 0) {
    const list = [...failures].map(([reason, count]) => `${count}× ${reason}`).join('; ');
    throw new Error(`live lag: failed requests, so the run is void: ${list}`);
  }
  return lags;

  async function registerAndReadBack(n: number): Promise<void> {
    const answer = await fetch(`${baseUrl}/api/v1/recipients`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        kind: 'RSE',
        regencyCode: '64.72',
        name: `Penerima ${n}`,
        nik: femaleNik(n),
        businessType: 'Warung makan',
      }),
    });
    if (answer.status !== 201) {
      fail(`registration answered ${answer.status}`);
      return;
    }
    const { recipientId, position } = (await answer.json()) as {
      recipientId: string;
      position: string;
    };
    const answered = performance.now();
    const read = await fetch(
      `${baseUrl}/api/v1/recipients/${recipientId}?minPosition=${position}`,
      { headers },
    );
    if (read.status !== 200) fail(`read back answered ${read.status}`);
    else if (n >= rate) lags.push(performance.now() - answered);
  }
}

interface Build {
  name: string;
  /** The build's service. */
  main: string;
  /** The build's own rebuild child (this file, compiled in that build). */
  bench: string;
}

/** A build's rebuild in one mode. */
interface Rebuilder {
  name: string;
  bench: string;
  mode: Mode;
}

/**
 * Appends `events` events, then rebuilds every read model from scratch `runs` times by each
 * rebuilder, taking turns run by run.
 */
async function rebuilds(events: number, runs: number, rebuilders: Rebuilder[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bansos-bench-projections-'));
  const eventsFile = join(dir, 'events.sqlite');
  try {
    const store = new SqliteEventStore({ file: eventsFile });
    const appendStarted = performance.now();
    const written = await appendProgrammeEvents(store, events);
    await store.close();
    console.log(
      `appended ${written.toLocaleString('en-US')} programme events in ` +
        `${((performance.now() - appendStarted) / 1000).toFixed(1)} s`,
    );
    const figures = new Map(rebuilders.map((rebuilder) => [rebuilder, [] as RebuildFigure[]]));
    for (let run = 0; run < runs; run++) {
      for (const rebuilder of rebuilders) {
        const readFile = join(dir, `read-models-${run}.sqlite`);
        const figure = await rebuild(eventsFile, readFile, rebuilder);
        figures.get(rebuilder)?.push(figure);
        const cores = coresForHalfTheRead(figure, written);
        console.log(
          `  rebuild ${run + 1}, ${rebuilder.name}: ${round(figure.eventsPerSecond)} events/s, ` +
            (figure.readPerSecond
              ? `$all read alone ${round(figure.readPerSecond)} events/s, ` +
                `ratio ${(figure.eventsPerSecond / figure.readPerSecond).toFixed(2)}×, `
              : '') +
            (figure.cpuSeconds === undefined
              ? ''
              : `CPU ${figure.cpuSeconds.toFixed(1)} s over ${(written / figure.eventsPerSecond).toFixed(1)} s, `) +
            (cores === undefined ? '' : `0.5× would keep ${cores.toFixed(1)} cores busy, `) +
            (figure.longestStallMs === undefined
              ? ''
              : `longest event-loop stall ${round(figure.longestStallMs)} ms, `) +
            `peak RSS ${figure.peakRssMb} MB`,
        );
        rmSync(readFile, { force: true });
      }
    }
    const medians = rebuilders.map((rebuilder) => {
      const own = figures.get(rebuilder) ?? [];
      const eventsPerSecond = median(own.map((f) => f.eventsPerSecond));
      const reads = own.flatMap((f) => (f.readPerSecond ? [f.readPerSecond] : []));
      const ratios = own.flatMap((f) =>
        f.readPerSecond ? [f.eventsPerSecond / f.readPerSecond] : [],
      );
      const cores = own.flatMap((f) => coresForHalfTheRead(f, written) ?? []);
      const stalls = own.flatMap((f) => f.longestStallMs ?? []);
      console.log(
        `rebuild of all ${PROJECTIONS.length} read models, ${rebuilder.name}, median of ${runs}: ` +
          `${round(eventsPerSecond)} events/s, ` +
          (reads.length > 0
            ? `${median(ratios).toFixed(2)}× the $all read alone (${round(median(reads))} events/s), `
            : '') +
          (cores.length > 0
            ? `0.5× would keep ${median(cores).toFixed(1)} cores busy (this machine has ${availableParallelism()}), `
            : '') +
          (stalls.length > 0 ? `longest event-loop stall ${round(Math.max(...stalls))} ms, ` : '') +
          `peak RSS ${Math.max(...own.map((f) => f.peakRssMb))} MB (target >= 0.5×, RSS < 512 MB)`,
      );
      return eventsPerSecond;
    });
    const baseline = rebuilders.findIndex((rebuilder) => rebuilder.name.startsWith('baseline'));
    if (baseline > 0)
      console.log(
        `rebuild into a fresh store, this build / baseline: ${(medians[0] / medians[baseline]).toFixed(2)}×`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const events = flag('events', 1_000_000);
  const runs = flag('runs', 3);
  const seconds = flag('seconds', 10);
  const baseline = process.argv.includes('--baseline')
    ? process.argv[process.argv.indexOf('--baseline') + 1]
    : '';
  const builds: Build[] = [
    { name: 'this build', main: THIS_BUILD, bench: __filename },
    ...(baseline
      ? [
          {
            name: 'baseline',
            main: join(baseline, 'dist', 'src', 'main.js'),
            bench: join(baseline, 'dist', 'bench', 'projections.bench.js'),
          },
        ]
      : []),
  ];
  const modes = (
    process.argv.includes('--modes')
      ? process.argv[process.argv.indexOf('--modes') + 1]
      : 'fresh,beside'
  ).split(',') as Mode[];
  const rebuilders: Rebuilder[] = [
    ...modes.map((mode) => ({
      name: `this build, ${mode === 'fresh' ? 'into a fresh read store' : 'beside the serving versions'}`,
      bench: __filename,
      mode,
    })),
    // An older build knows the fresh rebuild only.
    ...builds.slice(1).map((build) => ({
      name: 'baseline, into a fresh read store',
      bench: build.bench,
      mode: 'fresh' as const,
    })),
  ];
  if (runs > 0) await rebuilds(events, runs, rebuilders);
  const lagRuns = flag('lag-runs', 3);
  if (lagRuns === 0) return;
  const rate = flag('rate', 500);
  const lagFigures = new Map(builds.map((build) => [build, [] as { p50: number; p99: number }[]]));
  // Builds take turns run by run, so that a busier spell of the machine weighs on both.
  for (let run = 0; run < lagRuns; run++) {
    for (const build of builds) {
      const lags = await liveLag(seconds, rate, build.main);
      lagFigures.get(build)?.push({ p50: percentile(lags, 50), p99: percentile(lags, 99) });
      console.log(
        `  live lag ${run + 1}, ${build.name}: ${lags.length} registrations read back with minPosition, ` +
          `p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms`,
      );
    }
  }
  for (const build of builds) {
    const figures = lagFigures.get(build) ?? [];
    console.log(
      `live lag of ${build.name} at ${rate} registrations/s for ${seconds} s, median of ${lagRuns}: ` +
        `p50 ${median(figures.map((f) => f.p50)).toFixed(1)} ms, ` +
        `p99 ${median(figures.map((f) => f.p99)).toFixed(1)} ms (target p99 < 100 ms)`,
    );
  }
}

if (process.argv[2] === '--child') {
  rebuildChild(process.argv[3], process.argv[4], (process.argv[5] ?? 'fresh') as Mode).catch(
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
