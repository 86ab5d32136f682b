/** What the benchmarks share: the service as child processes, test NIKs and statistics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECTION_LEASE } from '../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../src/platform/read-store/sqlite/sqlite-read-store';

export const BENCH_TOKEN = 'bench-operator-token-0123456789';

export interface RunningProcess {
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface RunningService extends RunningProcess {
  baseUrl: string;
  headers: Record<string, string>;
}

/** This build of the service; another build's main.js may be given to compare with it. */
export const THIS_BUILD = join(__dirname, '..', 'src', 'main.js');

/** A built service (this one by default) in a process role, on a data directory. */
function spawnService(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  main = THIS_BUILD,
): RunningProcess & { pid?: number } {
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts the service on a data directory, with one token for all it is asked to do: the API and
 * the projections (`all`, what `npm start` runs) or the API only (`api`, `npm run start:api`).
 */
export async function startService(
  dataDir: string,
  port: number,
  roles: string[],
  processRole: 'all' | 'api' = 'all',
  main = THIS_BUILD,
): Promise<RunningService> {
  const child = spawnService(
    dataDir,
    {
      PORT: String(port),
      PROCESS_ROLE: processRole,
      AUTH_TOKENS: JSON.stringify([{ token: BENCH_TOKEN, actor: 'bench', roles }]),
    },
    main,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    baseUrl,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    stop: () => child.stop(),
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.stop();
  throw new Error('The service did not start');
}

/** `npm run start:projector` on a data directory; resolves once it holds the projection lease. */
export async function startProjector(dataDir: string, main = THIS_BUILD): Promise<RunningProcess> {
  const projector = spawnService(dataDir, { PROCESS_ROLE: 'projector' }, main);
  const readStore = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const lease = await readStore.lease(PROJECTION_LEASE);
      if (lease?.holder.split('/')[1] === String(projector.pid)) return projector;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await readStore.close();
  }
  await projector.stop();
  throw new Error('The projector did not take the projection lease');
}

/** A structurally valid, female-marked NIK of Samarinda, distinct for every n below 12 million. */
export function femaleNik(n: number): string {
  const district = String(1 + (n % 90)).padStart(2, '0');
  const day = 41 + (Math.floor(n / 90) % 28);
  const month = String(1 + (Math.floor(n / 2520) % 12)).padStart(2, '0');
  const year = String(60 + (Math.floor(n / 30240) % 40));
  const serial = String(1 + (Math.floor(n / 1209600) % 9999)).padStart(4, '0');
  return `6472${district}${day}${month}${year}${serial}`;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
