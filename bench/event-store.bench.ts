/**
 * Event store throughput of the SQLite adapter, durable settings (WAL, synchronous=FULL) on disk.
 * Each measurement runs in a fresh child process (so peak RSS belongs to that measurement alone)
 * several times; the median is printed. Usage: npm run bench:event-store [-- --runs 3]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src/platform/event-store/sqlite/sqlite-event-store';
import { ANY, type NewEvent } from '../src/platform/event-store/event-store.port';
import { median } from './bench-support';

const context = { actor: 'bench', correlationId: 'c', causationId: 'c', commandId: 'c' };
const READ_EVENTS = 1_000_000;

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
    for (let batch = 0; batch < READ_EVENTS / 1000; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => disbursement(batch * 1000 + i));
      await store.appendToStream(`batch-${batch}`, events, { expectedRevision: ANY, context });
    }
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return READ_EVENTS / seconds;
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
    if (count !== READ_EVENTS || valueRupiah !== READ_EVENTS * 5_000_000) {
      throw new Error(`read ${count} events worth Rp${valueRupiah}: the store is incomplete`);
    }
    return count / seconds;
  },
};

function runChild(name: string, file: string): Promise<Figure> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', name, file]);
    child.on('message', (figure: Figure) => resolve(figure));
    child.on('exit', (code) => code !== 0 && reject(new Error(`${name} exited with ${code}`)));
  });
}

async function measure(name: string, runs: number, file: (run: number) => string): Promise<Figure> {
  const figures: Figure[] = [];
  for (let run = 0; run < runs; run++) figures.push(await runChild(name, file(run)));
  return {
    eventsPerSecond: median(figures.map((f) => f.eventsPerSecond)),
    peakRssMb: Math.max(...figures.map((f) => f.peakRssMb)),
  };
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
  const dir = mkdtempSync(join(tmpdir(), 'bansos-bench-'));
  const fresh = (name: string) => (run: number) => join(dir, `${name}-${run}.sqlite`);
  const big = join(dir, 'big.sqlite');
  try {
    console.log(`SQLite event store, WAL + synchronous=FULL, median of ${runs} runs`);
    const rows: [string, Figure, string][] = [];
    const report = (label: string, figure: Figure, target = ''): void => {
      rows.push([label, figure, target]);
      const rate = Math.round(figure.eventsPerSecond).toLocaleString('en-US').padStart(9);
      console.log(
        `  ${label.padEnd(44)} ${rate} events/s  peak RSS ${figure.peakRssMb} MB ${target}`,
      );
    };
    report('sequential single-event appends', await measure('sequential', runs, fresh('seq')));
    report(
      'single-event appends, 64 concurrent writers',
      await measure('concurrent64', runs, fresh('c64')),
      '(target >= 15,000)',
    );
    report(
      'three-stream commits (a keyed registration), 64 writers',
      await measure('commands64', runs, fresh('cmd64')),
    );
    report('1,000-event batches (building 1M events)', await measure('batches1000', 1, () => big));
    report(
      'read $all, 1,000,000 events, JSON parsed',
      await measure('readAll', runs, () => big),
      '(target >= 150,000; RSS < 300 MB)',
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
