/** What the benchmarks share: the service as child processes, test NIKs and statistics. */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { PROJECTION_LEASE } from '../src/platform/projection-engine/projection-engine';
import { SqliteReadStore } from '../src/platform/read-store/sqlite/sqlite-read-store';

export interface RunningProcess {
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface RunningService extends RunningProcess {
  baseUrl: string;
  headers: Record<string, string>;
  /** The service's process, for a bench that talks to it over IPC. */
  child: ChildProcess;
}

/** This build of the service; another build's main.js may be given to compare with it. */
export const THIS_BUILD = join(__dirname, '..', 'src', 'main.js');

const STARTUP_MS = 30_000;

/** Preloaded into every process started here (see the file). */
const ORPHAN_GUARD = join(__dirname, 'orphan-guard.js');

/**
 * Every process a bench started and has not seen exit. However the bench ends (its last line, an
 * exception, a rejection nobody handled, Ctrl-C or SIGTERM), they are killed with it: a service
 * left running would hold its port and answer the next bench's requests.
 */
const started = new Set<ChildProcess>();

function killStarted(): void {
  for (const child of started) child.kill('SIGKILL');
}

let guarded = false;
function guardStarted(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', killStarted);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => process.exit(128 + constants.signals[signal]));
  }
  const crash = (error: unknown): void => {
    console.error(error);
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** A port nothing listens on now, picked by the kernel. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Spawned extends RunningProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<string>;
  /** The end of what it wrote on stderr, for the message when it fails. */
  stderrTail(): string;
}

/** A built service (this one by default) in a process role, on a data directory. */
function spawnService(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  main = THIS_BUILD,
  nodeArgs: string[] = [],
  ipc = false,
): Spawned {
  guardStarted();
  const stdio: StdioOptions = ['ignore', 'ignore', 'pipe', ...(ipc ? ['ipc' as const] : [])];
  const child = spawn(process.execPath, ['--require', ORPHAN_GUARD, ...nodeArgs, main], {
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    stdio,
  });
  started.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      started.delete(child);
      resolve(signal ?? String(code));
    }),
  );
  return {
    child,
    exited,
    stderrTail: () => stderr.trim(),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts the service on a data directory and a free port, with a bearer token made for this bench
 * alone: the API and the projections (`all`, what `npm start` runs) or the API only (`api`).
 * Before any load is sent, the process must prove it is this bench's own child on that port: it
 * is still running, and the port accepts that token (another service on the port would
 * answer 401). A service that exits or does not answer in time fails the bench with its stderr.
 */
export async function startService(
  dataDir: string,
  roles: string[],
  processRole: 'all' | 'api' = 'all',
  main = THIS_BUILD,
  options: {
    nodeArgs?: string[];
    ipc?: boolean;
    env?: NodeJS.ProcessEnv;
    /** Processes that share the load share one (made by `benchToken()`); else one of its own. */
    token?: string;
  } = {},
): Promise<RunningService> {
  const port = await freePort();
  const token = options.token ?? benchToken();
  const spawned = spawnService(
    dataDir,
    {
      ...options.env,
      PORT: String(port),
      PROCESS_ROLE: processRole,
      AUTH_TOKENS: JSON.stringify([{ token, actor: 'bench', roles }]),
    },
    main,
    options.nodeArgs,
    options.ipc,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const service: RunningService = { baseUrl, headers, child: spawned.child, stop: spawned.stop };
  let exit: string | undefined;
  void spawned.exited.then((code) => (exit = code));
  try {
    const deadline = Date.now() + STARTUP_MS;
    while (Date.now() < deadline) {
      if (exit !== undefined) {
        throw new Error(`exited (${exit}) before it listened: ${spawned.stderrTail()}`);
      }
      if (await answers(`${baseUrl}/health`)) {
        const own = await fetch(`${baseUrl}/api/v1/programme`, { headers });
        if (own.status === 401 || own.status === 403) {
          throw new Error(`port ${port} answers for another service (${own.status} to our token)`);
        }
        if (exit === undefined) return service;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`did not answer on port ${port} within ${STARTUP_MS / 1000} s`);
  } catch (error) {
    await service.stop();
    throw new Error(`The service (${main}) ${(error as Error).message}`);
  }
}

/** A bearer token no other process knows: a service that accepts it is one this bench started. */
export function benchToken(): string {
  return randomBytes(24).toString('hex');
}

/** Whether `url` answers 2xx; a refused or reset connection is "not yet". */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** `npm run start:projector` on a data directory; resolves once it holds the projection lease. */
export async function startProjector(dataDir: string, main = THIS_BUILD): Promise<RunningProcess> {
  const projector = spawnService(dataDir, { PROCESS_ROLE: 'projector' }, main);
  const readStore = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
  try {
    for (let attempt = 0; attempt < 300; attempt++) {
      const lease = await readStore.lease(PROJECTION_LEASE);
      if (lease?.holder.split('/')[1] === String(projector.child.pid)) return projector;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await readStore.close();
  }
  await projector.stop();
  throw new Error(`The projector did not take the projection lease: ${projector.stderrTail()}`);
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
