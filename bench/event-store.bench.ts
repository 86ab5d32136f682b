/**
 * Event store throughput of the SQLite adapter, durable settings (WAL, synchronous=FULL) on disk,
 * each figure beside its raw floor: better-sqlite3 alone doing the same transaction shape on the
 * same schema in the same run (rows bound from values made before the clock starts: no ids, no
 * expected revisions, no hashes). Each measurement runs in a fresh child process (so peak RSS is
 * its own); ours and the floor take turns run by run; medians are printed, and the median of
 * the runs' ratios.
 * Usage: npm run bench:event-store [-- --runs 3 --only batches1000]
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../src/platform/event-store/sqlite/sqlite-event-store';
import { migrateEventStore } from '../src/platform/event-store/sqlite/event-store.schema';
import { ANY, type NewEvent } from '../src/platform/event-store/event-store.port';
import { median } from './bench-support';

const context = { actor: 'bench', correlationId: 'c', causationId: 'c', commandId: 'c' };
const READ_EVENTS = 1_000_000;
const BATCH_EVENTS = 200_000;
const SINGLE_COMMITS = 2_000;

interface Figure {
  eventsPerSecond: number;
  peakRssMb: number;
}

/** A realistic event: an aid disbursement with two items. */
function disbursement(n: number): NewEvent {
  return {
    type: 'AidDisbursed',
    data: {
      disbursementId: `d-${n}`,
      recipientId: `r-${n}`,
      year: 2025,
      form: 'EQUIPMENT',
      items: [
        { description: 'Mesin jahit portabel', quantity: 1, unitPriceRupiah: 3_500_000 },
        { description: 'Kain katun 50 meter', quantity: 2, unitPriceRupiah: 750_000 },
      ],
      valueRupiah: 5_000_000,
      disbursedOn: '2025-03-14',
    },
  };
}

/**
 * The floor: a database with the event store's own schema and durability, and `count` event rows
 * ready to bind, all thirteen columns (the data serialized, ids and hashes filled in), before any
 * clock starts.
 */
function rawStore(file: string, count: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrateEventStore(db);
  const streamId = Number(
    db.prepare("INSERT INTO streams (name) VALUES ('raw')").run().lastInsertRowid,
  );
  const hash = Buffer.alloc(32, 7);
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, type, data, event_id, actor, correlation_id,
       causation_id, command_id, recorded_at, schema_version, hash, previous_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const recordedAt = new Date().toISOString();
  const rows = Array.from({ length: count }, (_, n) => [
    streamId,
    n,
    'AidDisbursed',
    JSON.stringify(disbursement(n).data),
    randomUUID(),
    context.actor,
    context.correlationId,
    context.causationId,
    context.commandId,
    recordedAt,
    1,
    hash,
    hash,
  ]);
  return { db, insert: (row: unknown[]) => insert.run(row), rows };
}

const measurements: Record<string, (file: string) => Promise<number>> = {
  async sequential(file) {
    const store = new SqliteEventStore({ file });
    const count = 2_000;
    const started = performance.now();
    for (let n = 0; n < count; n++) {
      await store.appendToStream(`recipient-${n}`, [disbursement(n)], {
        expectedRevision: ANY,
        context,
      });
    }
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return count / seconds;
  },

  async concurrent64(file) {
    const store = new SqliteEventStore({ file });
    const writers = 64;
    const perWriter = 800;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < perWriter; n++) {
          await store.appendToStream(`recipient-${writer}`, [disbursement(n)], {
            expectedRevision: n === 0 ? 'no_stream' : BigInt(n - 1),
            context,
          });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return (writers * perWriter) / seconds;
  },

  /** What a keyed registration appends: a NIK claim, the registration and the key's answer. */
  async commands64(file) {
    const store = new SqliteEventStore({ file });
    const writers = 64;
    const perWriter = 400;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < perWriter; n++) {
          const id = `${writer}-${n}`;
          await store.appendToStreams(
            [
              {
                streamName: `nik-${id}`,
                expectedRevision: 'no_stream',
                events: [{ type: 'NikClaimed', data: { recipientId: id } }],
              },
              {
                streamName: `recipient-${id}`,
                expectedRevision: 'no_stream',
                events: [disbursement(n)],
              },
              {
                streamName: `idempotency-${id}`,
                expectedRevision: 'no_stream',
                events: [{ type: 'IdempotentRequestAnswered', data: { statusCode: 201 } }],
              },
            ],
            { context },
          );
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return (3 * writers * perWriter) / seconds;
  },

  async batches1000(file) {
    const store = new SqliteEventStore({ file });
    const started = performance.now();
    for (let batch = 0; batch < BATCH_EVENTS / 1000; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => disbursement(batch * 1000 + i));
      await store.appendToStream(`batch-${batch}`, events, { expectedRevision: ANY, context });
    }
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return BATCH_EVENTS / seconds;
  },

  /** The log the reads run over, written once. */
  async buildLog(file) {
    const store = new SqliteEventStore({ file });
    for (let batch = 0; batch < READ_EVENTS / 1000; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => disbursement(batch * 1000 + i));
      await store.appendToStream(`batch-${batch}`, events, { expectedRevision: ANY, context });
    }
    await store.close();
    return READ_EVENTS;
  },

  async readAll(file) {
    const store = new SqliteEventStore({ file });
    let after = 0n;
    let count = 0;
    let valueRupiah = 0;
    const started = performance.now();
    for (;;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) break;
      for (const event of page) valueRupiah += (event.data as { valueRupiah: number }).valueRupiah;
      count += page.length;
      after = page[page.length - 1].position;
    }
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return checkedRead(count, valueRupiah, seconds);
  },

  /** Floor of the single-event appends: one row per transaction, so one fsync each. */
  async rawSingleCommits(file) {
    const { db, insert, rows } = rawStore(file, SINGLE_COMMITS);
    const started = performance.now();
    for (const row of rows) insert(row);
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return SINGLE_COMMITS / seconds;
  },

  /** Floor of the 1,000-event batches: 1,000 rows per transaction. */
  async rawBatches1000(file) {
    const { db, insert, rows } = rawStore(file, BATCH_EVENTS);
    const insertBatch = db.transaction((batch: unknown[][]) => {
      for (const row of batch) insert(row);
    });
    const started = performance.now();
    for (let from = 0; from < rows.length; from += 1000) insertBatch(rows.slice(from, from + 1000));
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return BATCH_EVENTS / seconds;
  },

  /** Floor of the read: the same pages of rows, with each event's data parsed. */
  async rawReadAll(file) {
    const db = new Database(file, { readonly: true });
    const page = db.prepare<[number], { position: number; data: string }>(
      'SELECT position, data FROM events WHERE position > ? ORDER BY position LIMIT 1000',
    );
    let after = 0;
    let count = 0;
    let valueRupiah = 0;
    const started = performance.now();
    for (;;) {
      const rows = page.all(after);
      if (rows.length === 0) break;
      for (const row of rows)
        valueRupiah += (JSON.parse(row.data) as { valueRupiah: number }).valueRupiah;
      count += rows.length;
      after = rows[rows.length - 1].position;
    }
    const seconds = (performance.now() - started) / 1000;
    db.close();
    return checkedRead(count, valueRupiah, seconds);
  },
};

function checkedRead(count: number, valueRupiah: number, seconds: number): number {
  if (count !== READ_EVENTS || valueRupiah !== READ_EVENTS * 5_000_000) {
    throw new Error(`read ${count} events worth Rp${valueRupiah}: the store is incomplete`);
  }
  return count / seconds;
}

function runChild(name: string, file: string): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', name, file]);
    child.on('message', (figure: Figure) => resolve(figure));
    child.on('exit', (code) => code !== 0 && reject(new Error(`${name} exited with ${code}`)));
  });
}

/** `--only batches1000`: one measurement alone (sequential, concurrent64, commands64, readAll). */
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : undefined;

interface Pair {
  label: string;
  ours: string;
  floor: string;
  floorLabel: string;
  target?: string;
  /** The file each run writes or reads. */
  file: (run: number, side: 'ours' | 'floor') => string;
}

/** Ours and its floor, taking turns run by run; medians, highest peak RSS, and the ratio. */
async function measurePair(pair: Pair, runs: number): Promise<void> {
  if (only && pair.ours !== only) return;
  const figures = { ours: [] as Figure[], floor: [] as Figure[] };
  for (let run = 0; run < runs; run++) {
    figures.ours.push(await runChild(pair.ours, pair.file(run, 'ours')));
    figures.floor.push(await runChild(pair.floor, pair.file(run, 'floor')));
  }
  const ours = median(figures.ours.map((f) => f.eventsPerSecond));
  const floor = median(figures.floor.map((f) => f.eventsPerSecond));
  // Each run's ratio is taken between neighbours in time, so a slower spell weighs on both sides.
  const ratio = median(
    figures.ours.map((f, run) => f.eventsPerSecond / figures.floor[run].eventsPerSecond),
  );
  const rss = Math.max(...figures.ours.map((f) => f.peakRssMb));
  const rate = (value: number) => Math.round(value).toLocaleString('en-US').padStart(9);
  console.log(
    `  ${pair.label.padEnd(46)} ${rate(ours)} events/s  (RSS ${rss} MB)  ` +
      `${pair.floorLabel.padEnd(30)} ${rate(floor)} rows/s  ` +
      `ratio ${ratio.toFixed(2)}×${pair.target ? `  (target ${pair.target})` : ''}`,
  );
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
  const dir = mkdtempSync(join(tmpdir(), 'bansos-bench-'));
  const fresh = (name: string) => (run: number, side: string) =>
    join(dir, `${name}-${side}-${run}.sqlite`);
  const big = join(dir, 'big.sqlite');
  try {
    console.log(
      `SQLite event store, WAL + synchronous=FULL, Node ${process.version}, median of ${runs} runs;` +
        ' each beside raw better-sqlite3 doing the same transaction shape, taking turns',
    );
    const single = 'raw single-row commits';
    await measurePair(
      {
        label: 'sequential single-event appends',
        ours: 'sequential',
        floor: 'rawSingleCommits',
        floorLabel: single,
        file: fresh('seq'),
      },
      runs,
    );
    await measurePair(
      {
        label: 'single-event appends, 64 concurrent writers',
        ours: 'concurrent64',
        floor: 'rawSingleCommits',
        floorLabel: single,
        target: '>= 5×',
        file: fresh('c64'),
      },
      runs,
    );
    await measurePair(
      {
        label: 'three-stream commits (a registration), 64 writers',
        ours: 'commands64',
        floor: 'rawSingleCommits',
        floorLabel: single,
        file: fresh('cmd64'),
      },
      runs,
    );
    await measurePair(
      {
        label: '1,000-event batch appends',
        ours: 'batches1000',
        floor: 'rawBatches1000',
        floorLabel: 'raw 1,000-row transactions',
        target: '>= 0.7×',
        file: fresh('batch'),
      },
      runs,
    );
    if (!only || only === 'readAll') await runChild('buildLog', big);
    await measurePair(
      {
        label: 'read $all, 1,000,000 events, JSON parsed',
        ours: 'readAll',
        floor: 'rawReadAll',
        floorLabel: 'raw pages of rows, data parsed',
        file: () => big,
      },
      runs,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(name: string, file: string): Promise<void> {
  const eventsPerSecond = await measurements[name](file);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.send?.({ eventsPerSecond, peakRssMb } satisfies Figure);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
