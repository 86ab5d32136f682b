/**
 * Commands over HTTP against the service on the embedded default: a mix of RSE registrations
 * (each with a new NIK) and disbursements (to recipients registered beforehand; once the yearly
 * targets are reached these are refused with 409 QUOTA_EXHAUSTED or ALREADY_DISBURSED, which
 * are intended answers). Each run starts fresh processes on a fresh data directory, in one of
 * three layouts: one process doing everything (`npm start`), one API process beside a projector
 * process, and two API processes beside a projector, the load spread over both; the medians of
 * the runs are printed side by side. Every request carries its own Idempotency-Key, as the demo
 * seed and any client that retries does.
 * `--baseline DIR` also runs another build of the service (DIR/dist/src/main.js, e.g. a git
 * worktree of an older commit after `npm ci && npm run build`), taking turns with this one run by
 * run, and prints this build's figures as a ratio of the baseline's.
 * `--mix registrations` sends registrations only (each with a phone and an address: three
 * personal fields to encrypt), to weigh what encrypting personal data costs a registration.
 * Usage: npm run bench:commands [-- --runs 3 --seconds 10 --connections 16 --layouts all,1,2
 *        --mix both|registrations --baseline ../old]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import {
  femaleNik,
  median,
  benchToken,
  startProjector,
  startService,
  THIS_BUILD,
  type RunningProcess,
  type RunningService,
} from './bench-support';

const POOL = 3000;
/** What a disbursement rightly meets once the yearly targets are reached, or its recipient aided. */
const INTENDED_REFUSALS = ['QUOTA_EXHAUSTED', 'ALREADY_DISBURSED'];

interface Layout {
  key: string;
  title: string;
  /** API processes: none means one process running the API and the projections. */
  apiProcesses: number;
}

/** A build of the service to run: this one, or a baseline to compare with. */
interface Build {
  name: string;
  main: string;
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

/** The processes of a layout on one data directory. */
async function startLayout(
  layout: Layout,
  build: Build,
  dataDir: string,
): Promise<{ services: RunningService[]; all: RunningProcess[] }> {
  const token = benchToken();
  if (layout.apiProcesses === 0) {
    const service = await startService(dataDir, ['operator'], 'all', build.main, { token });
    return { services: [service], all: [service] };
  }
  const projector = await startProjector(dataDir, build.main);
  const services = await Promise.all(
    Array.from({ length: layout.apiProcesses }, () =>
      startService(dataDir, ['operator'], 'api', build.main, { token }),
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
    phone: '0812 5432 1098',
    address: `Jl. Pahlawan No. ${n % 200}, Samarinda`,
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
    headers: { ...service.headers, 'idempotency-key': randomUUID() },
    body,
  });
  if (response.status !== 201)
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { recipientId: string };
}

async function run(
  layout: Layout,
  build: Build,
  seconds: number,
  connections: number,
  registrationsOnly: boolean,
): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-bench-commands-'));
  const { services, all } = await startLayout(layout, build, dataDir);
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
            headers: { ...request.headers, 'idempotency-key': randomUUID() },
            body: registration(registrations++),
          }),
          onResponse,
        },
        ...(registrationsOnly
          ? []
          : [
              {
                method: 'POST' as const,
                setupRequest: (request: autocannon.Request) => {
                  const n = disbursements++;
                  return {
                    ...request,
                    path: `/api/v1/recipients/${pool[n % POOL]}/disbursements`,
                    headers: { ...request.headers, 'idempotency-key': randomUUID() },
                    body: disbursement(2024 + (n % 3)),
                  };
                },
                onResponse,
              },
            ]),
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
  const baseline = flag('baseline', '');
  const registrationsOnly = flag('mix', 'both') === 'registrations';
  const layouts = LAYOUTS.filter((layout) => keys.includes(layout.key));
  const builds: Build[] = [
    { name: 'this build', main: THIS_BUILD },
    ...(baseline ? [{ name: 'baseline', main: join(baseline, 'dist', 'src', 'main.js') }] : []),
  ];
  console.log(
    `Commands over HTTP, embedded SQLite (synchronous=FULL), ${connections} connections, ` +
      `${seconds} s per run, median of ${runs} runs; ` +
      (registrationsOnly ? 'registrations only, ' : 'half registrations, half disbursements, ') +
      'each with an Idempotency-Key' +
      (baseline ? `; baseline: ${baseline}` : ''),
  );
  // Builds and layouts take turns run by run, so that a busier spell of the machine weighs on all.
  const cases = builds.flatMap((build) => layouts.map((layout) => ({ build, layout })));
  const figures = new Map(cases.map((c) => [c, [] as RunFigures[]]));
  for (let i = 0; i < runs; i++) {
    for (const c of cases) {
      const figure = await run(c.layout, c.build, seconds, connections, registrationsOnly);
      figures.get(c)?.push(figure);
      console.log(
        `  run ${i + 1}, ${c.build.name}, ${c.layout.title}: ` +
          `${Math.round(figure.requestsPerSecond)} commands/s, ` +
          `p50 ${figure.p50} ms, p99 ${figure.p99} ms, answers ${JSON.stringify(figure.byStatus)}, ` +
          `refusals ${JSON.stringify(figure.refusals)}, errors ${figure.errors}`,
      );
      // A figure with failed requests in it measures something else: stop rather than print it.
      if (figure.errors > 0) {
        throw new Error(`${figure.errors} unintended errors in this run: the figures are void`);
      }
    }
  }
  const medians = cases.map((c) => {
    const of = figures.get(c) ?? [];
    return {
      ...c,
      rate: median(of.map((f) => f.requestsPerSecond)),
      p50: median(of.map((f) => f.p50)),
      p99: median(of.map((f) => f.p99)),
      errors: of.reduce((sum, f) => sum + f.errors, 0),
    };
  });
  console.log('\nmedians (target >= 1,500 commands/s, p99 < 50 ms):');
  for (const { build, layout, rate, p50, p99, errors } of medians) {
    console.log(
      `  ${`${build.name}, ${layout.title}`.padEnd(48)} ${String(Math.round(rate)).padStart(6)} commands/s   ` +
        `p50 ${String(p50).padStart(3)} ms   p99 ${String(p99).padStart(4)} ms   ` +
        `unintended errors ${errors}`,
    );
  }
  const of = (build: Build, apiProcesses: number) =>
    medians.find((m) => m.build === build && m.layout.apiProcesses === apiProcesses);
  const [current, old] = builds;
  const one = of(current, 1);
  const two = of(current, 2);
  if (one && two) {
    console.log(`  2 API processes / 1 API process: ${(two.rate / one.rate).toFixed(2)}×`);
  }
  if (old) {
    for (const layout of layouts) {
      const now = of(current, layout.apiProcesses);
      const before = of(old, layout.apiProcesses);
      if (!now || !before) continue;
      console.log(
        `  this build / baseline, ${layout.title}: ${(now.rate / before.rate).toFixed(2)}× commands/s, ` +
          `p99 ${now.p99} ms against ${before.p99} ms`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
