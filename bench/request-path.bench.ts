/**
 * The files of the service one disbursement runs through, from the HTTP request to the event
 * store and back: the service runs with V8's precise coverage on, and the scripts that ran any
 * function while one `POST /recipients/{id}/disbursements` (with an Idempotency-Key, as clients
 * send it) was answered are listed by folder. A registration and a disbursement go first, so
 * that nothing loaded lazily on a first request is counted. The process serves the API only
 * (no projection engine runs beside the request).
 * `--baseline DIR` lists another build too (DIR/dist/src/main.js) and prints the ratio.
 * Usage: npm run bench:request-path [-- --baseline ../old]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_TOKEN, femaleNik, THIS_BUILD } from './bench-support';

const PORT = 3950;
const PROBE = join(__dirname, 'request-path-probe.js');

async function filesOfOneDisbursement(main: string): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-request-path-'));
  const child = spawn(process.execPath, ['--require', PROBE, main], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(PORT),
      PROCESS_ROLE: 'api',
      LOG_LEVEL: 'warn',
      AUTH_TOKENS: JSON.stringify([{ token: BENCH_TOKEN, actor: 'bench', roles: ['operator'] }]),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const scriptsRun = () =>
    new Promise<string[]>((resolve) => {
      child.once('message', (urls) => resolve(urls as string[]));
      child.send('take');
    });
  const post = async (path: string, body: object): Promise<Record<string, string>> => {
    const response = await fetch(`http://127.0.0.1:${PORT}/api/v1${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${BENCH_TOKEN}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as Record<string, string>;
  };
  const register = async (n: number) =>
    (
      await post('/recipients', {
        kind: 'RSE',
        regencyCode: '64.72',
        name: 'Siti Aminah',
        nik: femaleNik(n),
        businessType: 'Warung makan',
      })
    ).recipientId;
  const disburse = (recipientId: string) =>
    post(`/recipients/${recipientId}/disbursements`, {
      year: 2025,
      form: 'MATERIALS',
      items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: 5_000_000 }],
      disbursedOn: '2025-03-01',
    });
  try {
    await waitUntilListening();
    await disburse(await register(1));
    const recipientId = await register(2);
    await scriptsRun();
    await disburse(recipientId);
    const root = dirname(dirname(main));
    return (await scriptsRun())
      .filter((url) => url.startsWith('file://'))
      .map((url) => relative(root, fileURLToPath(url)))
      .filter((file) => !file.startsWith('..') && !file.includes('node_modules'))
      .sort();
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitUntilListening(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The service did not start');
}

function print(name: string, files: string[]): void {
  console.log(`\n${name}: ${files.length} files`);
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file.slice(folder.length + 1)]);
  }
  for (const [folder, names] of byFolder) console.log(`  ${folder}/: ${names.join(' ')}`);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--baseline');
  const baseline = at > 0 ? join(process.argv[at + 1], 'dist', 'src', 'main.js') : undefined;
  const mine = await filesOfOneDisbursement(THIS_BUILD);
  print('this build', mine);
  if (baseline) {
    const theirs = await filesOfOneDisbursement(baseline);
    print('baseline', theirs);
    console.log(
      `\nfiles one disbursement runs through: ${mine.length} here, ${theirs.length} in the baseline ` +
        `(${(mine.length / theirs.length).toFixed(2)}×)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
