/**
 * Commands over HTTP against the service on the embedded default: a mix of RSE registrations
 * (each with a new NIK) and disbursements (to recipients registered beforehand; once the yearly
 * targets are reached these are refused with 409 QUOTA_EXHAUSTED or ALREADY_DISBURSED, which
 * are intended answers). Each run starts fresh processes on a fresh data directory, in one of
 * three layouts: one process doing everything (`npm start`), one API process beside a projector
 * process, and two API processes beside a projector, the load spread over both; the medians of
 * the runs are printed side by side.
 * Usage: npm run bench:commands [-- --runs 3 --seconds 10 --connections 16 --layouts all,1,2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  femaleNik,
  median,
  startProjector,
  startService,
  type RunningProcess,
  type RunningService,
} from './bench-support';

const PORT = 3900;
const POOL = 3000;
/** What a disbursement rightly meets once the yearly targets are reached, or its recipient aided. */
const INTENDED_REFUSALS = ['QUOTA_EXHAUSTED', 'ALREADY_DISBURSED'];

interface Layout {
  key: string;
  title: string;
  /** API processes: none means one process running the API and the projections. */
  apiProcesses: number;
}

const LAYOUTS: Layout[] = [
  { key: 'all', title: '1 process (API and projections)', apiProcesses: 0 },
  { key: '1', title: '1 API process + 1 projector', apiProcesses: 1 },
  { key: '2', title: '2 API processes + 1 projector', apiProcesses: 2 },
];

interface RunFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  byStatus: Record<string, number>;
  /** 4xx and 5xx answers by their `code`. */
  refusals: Record<string, number>;
  errors: number;
}

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

/** The processes of a layout on one data directory; the API ones in the order of their ports. */
async function startLayout(
  layout: Layout,
  dataDir: string,
): Promise<{ services: RunningService[]; all: RunningProcess[] }> {
  if (layout.apiProcesses === 0) {
    const service = await startService(dataDir, PORT, ['operator']);
    return { services: [service], all: [service] };
  }
  const projector = await startProjector(dataDir);
  const services = await Promise.all(
    Array.from({ length: layout.apiProcesses }, (_, i) =>
      startService(dataDir, PORT + i, ['operator'], 'api'),
    ),
  );
  return { services, all: [...services, projector] };
}

function registration(n: number): string {
  return JSON.stringify({
    kind: 'RSE',
    regencyCode: '64.72',
    name: `Penerima ${n}`,
    nik: femaleNik(n),
    businessType: 'Warung makan',
  });
}

function disbursement(year: number): string {
  return JSON.stringify({
    year,
    form: 'EQUIPMENT',
    items: [
      { description: 'Mesin jahit portabel', quantity: 1, unitPriceRupiah: 3_500_000 },
      { description: 'Kain katun 50 meter', quantity: 2, unitPriceRupiah: 750_000 },
    ],
    disbursedOn: `${year}-03-14`,
  });
}

async function post(
  service: RunningService,
  path: string,
  body: string,
): Promise<{ recipientId: string }> {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: service.headers,
    body,
  });
  if (response.status !== 201)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { recipientId: string };
}

async function run(layout: Layout, seconds: number, connections: number): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-bench-commands-'));
  const { services, all } = await startLayout(layout, dataDir);
  const [service] = services;
  try {
    const pool: string[] = [];
    for (let batch = 0; batch < POOL; batch += 50) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(service, '/api/v1/recipients', registration(batch + i)),
        ),
      );
      pool.push(...answers.map((answer) => answer.recipientId));
    }
    let registrations = POOL;
    let disbursements = 0;
    const refusals: Record<string, number> = {};
    /** Counts each refusal by its code: only the intended ones are not errors. */
    const onResponse = (status: number, body: string): void => {
      if (status < 400) return;
      const code = (JSON.parse(body) as { code?: string }).code ?? `HTTP_${status}`;
      refusals[code] = (refusals[code] ?? 0) + 1;
    };
    const result = await autocannon({
      // autocannon spreads the connections over several URLs (its types admit only one).
      url: services.map((s) => s.baseUrl) as unknown as string,
      connections,
      duration: seconds,
      headers: service.headers,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            path: '/api/v1/recipients',
            body: registration(registrations++),
          }),
          onResponse,
        },
        {
          method: 'POST',
          setupRequest: (request) => {
            const n = disbursements++;
            return {
              ...request,
              path: `/api/v1/recipients/${pool[n % POOL]}/disbursements`,
              body: disbursement(2024 + (n % 3)),
            };
          },
          onResponse,
        },
      ],
    });
    const byStatus = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [
        status,
        stats.count ?? 0,
      ]),
    );
    const unintended = Object.entries(refusals)
      .filter(([code]) => !INTENDED_REFUSALS.includes(code))
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      byStatus,
      refusals,
      errors: result.errors + result.timeouts + unintended,
    };
  } finally {
    // The API processes first, so that the projector sees every event before it stops.
    for (const running of all) await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Number(flag('runs', '3'));
  const seconds = Number(flag('seconds', '10'));
  const connections = Number(flag('connections', '16'));
  const keys = flag('layouts', 'all,1,2').split(',');
  const layouts = LAYOUTS.filter((layout) => keys.includes(layout.key));
  console.log(
    `Commands over HTTP, embedded SQLite (synchronous=FULL), ${connections} connections, ` +
      `${seconds} s per run, median of ${runs} runs; half registrations, half disbursements`,
  );
  // Layouts take turns run by run, so that a busier spell of the machine weighs on all of them.
  const figures = new Map<Layout, RunFigures[]>(layouts.map((layout) => [layout, []]));
  for (let i = 0; i < runs; i++) {
    for (const layout of layouts) {
      const figure = await run(layout, seconds, connections);
      figures.get(layout)?.push(figure);
      console.log(
        `  run ${i + 1}, ${layout.title}: ${Math.round(figure.requestsPerSecond)} commands/s, ` +
          `p50 ${figure.p50} ms, p99 ${figure.p99} ms, answers ${JSON.stringify(figure.byStatus)}, ` +
          `refusals ${JSON.stringify(figure.refusals)}, errors ${figure.errors}`,
      );
    }
  }
  const medians = layouts.map((layout) => {
    const of = figures.get(layout) ?? [];
    return {
      layout,
      rate: median(of.map((f) => f.requestsPerSecond)),
      p50: median(of.map((f) => f.p50)),
      p99: median(of.map((f) => f.p99)),
      errors: of.reduce((sum, f) => sum + f.errors, 0),
    };
  });
  console.log('\nmedians (target >= 1,500 commands/s, p99 < 50 ms):');
  for (const { layout, rate, p50, p99, errors } of medians) {
    console.log(
      `  ${layout.title.padEnd(34)} ${String(Math.round(rate)).padStart(6)} commands/s   ` +
        `p50 ${String(p50).padStart(3)} ms   p99 ${String(p99).padStart(4)} ms   ` +
        `unintended errors ${errors}`,
    );
  }
  const one = medians.find((m) => m.layout.apiProcesses === 1);
  const two = medians.find((m) => m.layout.apiProcesses === 2);
  if (one && two) {
    console.log(`  2 API processes / 1 API process: ${(two.rate / one.rate).toFixed(2)}×`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
