/**
 * Commands over HTTP against the service on the embedded default: a mix of RSE registrations
 * (each with a new NIK) and disbursements (to recipients registered beforehand; once the yearly
 * targets are reached these are refused with 409 QUOTA_EXHAUSTED or ALREADY_DISBURSED, which
 * are intended answers). Each run starts a fresh service on a fresh data directory; the median of
 * the runs is printed. Usage: npm run bench:commands [-- --runs 3 --seconds 10 --connections 16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { femaleNik, median, startService, type RunningService } from './bench-support';

const PORT = 3900;
const POOL = 3000;
/** What a disbursement rightly meets once the yearly targets are reached, or its recipient aided. */
const INTENDED_REFUSALS = ['QUOTA_EXHAUSTED', 'ALREADY_DISBURSED'];

interface RunFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  byStatus: Record<string, number>;
  /** 4xx and 5xx answers by their `code`. */
  refusals: Record<string, number>;
  errors: number;
}

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
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

async function run(seconds: number, connections: number): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-bench-commands-'));
  const service = await startService(dataDir, PORT, ['operator']);
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
      url: service.baseUrl,
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
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = flag('runs', 3);
  const seconds = flag('seconds', 10);
  const connections = flag('connections', 16);
  console.log(
    `Commands over HTTP, embedded SQLite (synchronous=FULL), ${connections} connections, ` +
      `${seconds} s per run, median of ${runs} runs; half registrations, half disbursements`,
  );
  const figures: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const figure = await run(seconds, connections);
    figures.push(figure);
    console.log(
      `  run ${i + 1}: ${Math.round(figure.requestsPerSecond)} commands/s, p50 ${figure.p50} ms, ` +
        `p99 ${figure.p99} ms, answers ${JSON.stringify(figure.byStatus)}, ` +
        `refusals ${JSON.stringify(figure.refusals)}, errors ${figure.errors}`,
    );
  }
  const unintended = figures.reduce((sum, f) => sum + f.errors, 0);
  console.log(
    `median: ${Math.round(median(figures.map((f) => f.requestsPerSecond)))} commands/s, ` +
      `p50 ${median(figures.map((f) => f.p50))} ms, p99 ${median(figures.map((f) => f.p99))} ms ` +
      `(target >= 1,500 commands/s, p99 < 50 ms); unintended errors: ${unintended}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
