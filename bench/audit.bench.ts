/**
 * Audits on the embedded stores. 1,000,000 realistic programme events are appended and sealed,
 * and every read model is built; then, each in a child process of its own (so peak RSS is its
 * own), the disbursement history as of a day is rebuilt from the events and the whole log is
 * verified (every hash, chain and seal; every read model recomputed and compared), several
 * times: median events/s and highest peak RSS of each.
 * Usage: npm run bench:audit [-- --events 1000000 --runs 3]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../projections';
import { endOfDay } from '../src/audit/as-of';
import { historyAsOf } from '../src/audit/replay-as-of';
import { LogSealer } from '../src/audit/sealing/log-sealer';
import { verifyLog } from '../src/audit/verify/verify-log';
import { VERIFY_READ_STORE } from '../src/audit/verify/verify-part';
import { SqliteEventStore } from '../src/platform/event-store/sqlite/sqlite-event-store';
import { ProjectionEngine } from '../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../src/platform/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from './programme-events';
import { median } from './bench-support';

type Task = 'history' | 'verify';

const AUDIT_NODE_OPTIONS = ['--max-old-space-size=384'];

interface Figure {
  eventsPerSecond: number;
  peakRssMb: number;
  detail: string;
}

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

/** In a child process: one audit task over the stores in `dir`. */
async function child(task: Task, dir: string): Promise<void> {
  Logger.overrideLogger(false);
  const stores = {
    eventStore: { kind: 'sqlite', file: join(dir, 'events.sqlite') },
    readStore: { kind: 'sqlite', file: join(dir, 'read-models.sqlite') },
  } as const;
  const eventStore = new SqliteEventStore({ file: stores.eventStore.file });
  const readStore = new SqliteReadStore({ file: stores.readStore.file, ...VERIFY_READ_STORE });
  const head = await eventStore.headPosition();
  const started = performance.now();
  let detail: string;
  if (task === 'history') {
    const records = await historyAsOf(eventStore, { knownBefore: endOfDay('2099-12-31') });
    detail = `${records.length.toLocaleString('en-US')} disbursements`;
  } else {
    // As `bin/bansos-audit verify` does: half the work in a worker thread.
    const report = await verifyLog(eventStore, readStore, PROJECTIONS, { stores });
    if (!report.ok)
      throw new Error(`verify found differences: ${JSON.stringify(report).slice(0, 500)}`);
    const documents = report.readModels.reduce((sum, model) => sum + model.documentsCompared, 0);
    detail = `${report.chains.streams.toLocaleString('en-US')} chains, ${report.chains.seals} seal(s), ${documents.toLocaleString('en-US')} documents compared`;
  }
  const seconds = (performance.now() - started) / 1000;
  process.send?.({
    eventsPerSecond: Number(head) / seconds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    detail,
  } satisfies Figure);
  await readStore.close();
  await eventStore.close();
}

function run(task: Task, dir: string): Promise<Figure> {
  return new Promise((resolve, reject) => {
    // The same heap limit as `bin/bansos-audit` (see docs/auditing.md).
    const forked = fork(__filename, ['--child', task, dir], { execArgv: AUDIT_NODE_OPTIONS });
    forked.on('message', (figure: Figure) => resolve(figure));
    forked.on('exit', (code) => code !== 0 && reject(new Error(`${task} exited with ${code}`)));
  });
}

/** The log, one seal over it, and every read model built, as a running service would have. */
async function prepare(dir: string, events: number): Promise<void> {
  Logger.overrideLogger(false);
  const eventStore = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore({ file: join(dir, 'read-models.sqlite') });
  const started = performance.now();
  const written = await appendProgrammeEvents(eventStore, events);
  await new LogSealer(eventStore).seal();
  const head = await eventStore.headPosition();
  const engine = new ProjectionEngine(eventStore, readStore, PROJECTIONS);
  await engine.start();
  await new Promise<void>((resolve) => {
    const check = () => engine.status().every((p) => BigInt(p.position) >= head) && resolve();
    engine.onProgress(check);
    check();
  });
  await engine.stop();
  await readStore.close();
  await eventStore.close();
  console.log(
    `appended ${written.toLocaleString('en-US')} programme events, sealed them and built every ` +
      `read model in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const events = flag('events', 1_000_000);
  const runs = flag('runs', 3);
  const dir = mkdtempSync(join(tmpdir(), 'bansos-bench-audit-'));
  try {
    await prepare(dir, events);
    const targets: Record<Task, number> = { history: 100_000, verify: 50_000 };
    for (const task of ['history', 'verify'] as const) {
      const figures: Figure[] = [];
      for (let attempt = 0; attempt < runs; attempt++) {
        const figure = await run(task, dir);
        figures.push(figure);
        console.log(
          `  ${task} ${attempt + 1}: ${Math.round(figure.eventsPerSecond).toLocaleString('en-US')} events/s, ` +
            `peak RSS ${figure.peakRssMb} MB (${figure.detail})`,
        );
      }
      const rate = median(figures.map((figure) => figure.eventsPerSecond));
      const peak = Math.max(...figures.map((figure) => figure.peakRssMb));
      console.log(
        `${task}: median ${Math.round(rate).toLocaleString('en-US')} events/s (target ≥ ${targets[task].toLocaleString('en-US')}), ` +
          `highest peak RSS ${peak} MB (target < 512 MB)`,
      );
    }
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
