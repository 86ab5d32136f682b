/** What the benchmarks share: the service as a child process, test NIKs and statistics. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BENCH_TOKEN = 'bench-operator-token-0123456789';

export interface RunningService {
  baseUrl: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the built service on a data directory, with one token for all it is asked to do. */
export async function startService(
  dataDir: string,
  port: number,
  roles: string[],
): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      AUTH_TOKENS: JSON.stringify([{ token: BENCH_TOKEN, actor: 'bench', roles }]),
    },
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    baseUrl,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
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
