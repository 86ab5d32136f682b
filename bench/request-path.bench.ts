/**
 * The files of the service one disbursement goes through, measured two ways while one
 * `POST /recipients/{id}/disbursements` (with an Idempotency-Key, as clients send it) is
 * answered: the chain of files on the call stack (async frames included) when the request
 * reaches the event store's append, from the controller down — the layers a command crosses —
 * and every file of the service that ran any function (V8 precise coverage), by folder. A registration and a disbursement go first, so
 * that nothing loaded lazily on a first request is counted. The process serves the API only
 * (no projection engine runs beside the request).
 * `--baseline DIR` lists another build too (DIR/dist/src/main.js) and prints the ratio.
 * Usage: npm run bench:request-path [-- --baseline ../old]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { femaleNik, startService, THIS_BUILD } from './bench-support';

const PROBE = join(__dirname, 'request-path-probe.js');

interface Observed {
  scripts: string[];
  chains: string[][];
}

interface RequestPath {
  /** Every file of the service that ran while the request was answered. */
  files: string[];
  /** The files the call chain to the store's append crosses, from the controller down. */
  chain: string[];
}

/**
 * The service's files a call chain crosses, from the controller down to the store: each file
 * once, in the order first met (the chain comes innermost first).
 */
function chainOf(urls: string[], ownFile: (path: string) => string | null): string[] {
  const files = urls
    .filter((url) => url.startsWith('file://'))
    .flatMap((url) => ownFile(fileURLToPath(url)) ?? [])
    .reverse();
  // The disbursement's own code (its controller, in either layout) is where the chain starts.
  const start = files.findIndex((file) => file.includes('disburse-aid'));
  const fromController = start < 0 ? files : files.slice(start);
  return [...new Set(fromController)];
}

async function requestPath(main: string): Promise<RequestPath> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bansos-request-path-'));
  const service = await startService(dataDir, ['operator'], 'api', main, {
    nodeArgs: ['--require', PROBE],
    ipc: true,
    env: { LOG_LEVEL: 'warn' },
  });
  const { child } = service;
  const observed = () =>
    new Promise<Observed>((resolve) => {
      child.once('message', (answer) => resolve(answer as Observed));
      child.send('take');
    });
  const post = async (path: string, body: object): Promise<Record<string, string>> => {
    const response = await fetch(`${service.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { ...service.headers, 'idempotency-key': randomUUID() },
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
    await disburse(await register(1));
    const recipientId = await register(2);
    await observed();
    await disburse(recipientId);
    const { scripts, chains } = await observed();
    const root = dirname(dirname(main));
    const ownFile = (path: string) => {
      const file = relative(root, path);
      return file.startsWith('src/') || file.startsWith('projections/') ? file : null;
    };
    const files = scripts
      .filter((url) => url.startsWith('file://'))
      .flatMap((url) => ownFile(fileURLToPath(url)) ?? [])
      .sort();
    if (chains.length !== 1) throw new Error(`${chains.length} appends, expected 1`);
    return { files, chain: chainOf(chains[0], ownFile) };
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(name: string, { files, chain }: RequestPath): void {
  console.log(
    `\n${name}: from the controller to the store, the call chain crosses ${chain.length} files:`,
  );
  console.log(`  ${chain.join('\n  → ')}`);
  console.log(`${name}: ${files.length} files ran in all`);
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
  const mine = await requestPath(THIS_BUILD);
  print('this build', mine);
  if (baseline) {
    const theirs = await requestPath(baseline);
    print('baseline', theirs);
    const ratio = (here: number, there: number) =>
      `${here} vs ${there} (${(here / there).toFixed(2)}×)`;
    console.log(`\none disbursement, this build vs the baseline:`);
    console.log(
      `  files crossed from controller to store: ${ratio(mine.chain.length, theirs.chain.length)}`,
    );
    console.log(`  files that ran in all: ${ratio(mine.files.length, theirs.files.length)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
