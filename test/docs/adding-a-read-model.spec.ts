import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TOKENS, rseBody } from '../helpers/api-client';
import { killAllServices, send, startService } from '../reliability/service-process';

const ROOT = join(__dirname, '..', '..');
const GUIDE = join(ROOT, 'docs', 'adding-a-projection.md');
const run = promisify(execFile);

/** Every file the guide gives whole: a fenced block right after a line "`projections/…`:". */
export function filesOfGuide(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  const block = /^`(projections\/[^`]+)`[^\n]*:\n\n```ts\n([\s\S]*?)\n```/gm;
  for (const [, path, code] of markdown.matchAll(block)) files.set(path, `${code}\n`);
  return files;
}

/**
 * docs/adding-a-projection.md, followed to the letter in a copy of the project: the files it
 * gives are written into a new folder and nothing else is touched; they type-check, their spec
 * passes, and the service started from the copy serves the new route from the new read model.
 */
describe('docs/adding-a-projection.md, followed literally', () => {
  const copy = mkdtempSync(join(tmpdir(), 'bansos-guide-'));
  const files = filesOfGuide(readFileSync(GUIDE, 'utf8'));

  beforeAll(() => {
    for (const entry of ['src', 'projections', 'test', 'tsconfig.json', 'jest.config.js']) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    for (const [path, code] of files) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      writeFileSync(join(copy, path), code);
    }
  });

  afterAll(async () => {
    await killAllServices();
    rmSync(copy, { recursive: true, force: true });
  });

  it('gives one new folder: definition, spec, route and index', () => {
    expect([...files.keys()].sort()).toEqual([
      'projections/exhibitions/exhibitions.projection.spec.ts',
      'projections/exhibitions/exhibitions.projection.ts',
      'projections/exhibitions/exhibitions.routes.ts',
      'projections/exhibitions/index.ts',
    ]);
  });

  it('type-checks with the project', async () => {
    writeFileSync(
      join(copy, 'tsconfig.guide.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['projections/exhibitions'] }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.guide.json'], {
      cwd: copy,
    }).catch((error: { stdout: string }) => error);
    expect(checked.stdout).toBe('');
  }, 120_000);

  it('has a spec that passes', async () => {
    const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const { stderr } = await run(
      process.execPath,
      [jest, '--ci', '--reporters=default', '--testPathPattern=projections/exhibitions'],
      { cwd: copy },
    ).catch((error: { stderr: string }) => error);
    expect(stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  }, 120_000);

  it('is found at start: the engine builds it and its route answers', async () => {
    const service = await startService(
      'guide',
      join(copy, 'data'),
      {},
      4,
      join(copy, 'src', 'main.ts'),
    );
    const registered = await send(service, 'POST', '/api/v1/recipients', {
      token: TOKENS.operator,
      body: rseBody(),
    });
    expect(registered.status).toBe(201);
    const { recipientId } = registered.body as { recipientId: string };
    const path = `/api/v1/recipients/${recipientId}`;
    const disbursed = await send(service, 'POST', `${path}/disbursements`, {
      token: TOKENS.operator,
      body: {
        year: 2025,
        form: 'MATERIALS',
        items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: 5_000_000 }],
        disbursedOn: '2025-03-01',
      },
    });
    expect(disbursed.status).toBe(201);
    const recorded = await send(service, 'POST', `${path}/exhibitions`, {
      token: TOKENS.monitor,
      body: { name: 'Pameran UMKM Kaltim Expo', date: '2025-08-17' },
    });
    expect(recorded.status).toBe(201);
    const { position } = recorded.body as { position: string };

    const read = (query: string) =>
      send(service, 'GET', `/api/v1/monitoring/exhibitions?${query}`, { token: TOKENS.viewer });
    expect(await read(`year=2025&minPosition=${position}`)).toMatchObject({
      status: 200,
      body: { year: 2025, participations: 1 },
    });
    expect(await read('year=2024')).toMatchObject({
      status: 200,
      body: { year: 2024, participations: 0 },
    });
    expect(await read('year=next')).toMatchObject({
      status: 400,
      body: { code: expect.any(String) },
    });
    const health = await send(service, 'GET', '/health');
    expect(JSON.stringify(health.body)).toContain('exhibitions');
    await service.stop();
  }, 90_000);
});
