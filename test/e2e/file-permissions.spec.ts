import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenGrant } from '../../src/config/app.config';
import { rseBody } from '../helpers/api-client';
import { send, startService, type ServiceProcess } from '../reliability/service-process';

const modeOf = (path: string) => `0${(statSync(path).mode & 0o777).toString(8)}`;

/** Every file in the folder with its mode, and the folder's own as `.`. */
function modes(folder: string): Record<string, string> {
  const found: Record<string, string> = { '.': modeOf(folder) };
  for (const name of readdirSync(folder)) found[name] = modeOf(join(folder, name));
  return found;
}

describe('file permissions', () => {
  let root: string;
  let service: ServiceProcess | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bansos-permissions-'));
  });

  afterEach(async () => {
    await service?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps DATA_DIR 0700 and every file in it 0600, and warns of one an operator opened', async () => {
    // A DATA_DIR the service creates, with the NIK key and development tokens generated and a
    // seal anchored after every event.
    const dataDir = join(root, 'data');
    const env = { AUTH_TOKENS: '', NIK_HMAC_SECRET: '', SEAL_EVERY_EVENTS: '1' };
    const first = await startService('first', dataDir, env, 1);
    service = first;
    const grants = JSON.parse(
      readFileSync(join(dataDir, 'dev-tokens.json'), 'utf8'),
    ) as TokenGrant[];
    const operator = grants.find((grant) => grant.roles.includes('operator'))?.token;
    const answer = await send(first, 'POST', '/api/v1/recipients', {
      token: operator,
      body: rseBody(),
    });
    expect(answer.status).toBe(201);

    const expected = {
      '.': '0700',
      'dev-tokens.json': '0600',
      'nik-hmac.key': '0600',
      'events.sqlite': '0600',
      'events.sqlite-wal': '0600',
      'events.sqlite-shm': '0600',
      'read-models.sqlite': '0600',
      'read-models.sqlite-wal': '0600',
      'read-models.sqlite-shm': '0600',
      'personal-data-master.key': '0600',
      'personal-data-keys.sqlite': '0600',
      'personal-data-keys.sqlite-wal': '0600',
      'personal-data-keys.sqlite-shm': '0600',
      'seal-anchors.jsonl': '0600',
    };
    // While it runs (the -wal and -shm files exist then), and once it stopped.
    expect(modes(dataDir)).toEqual(expected);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    const stopped = modes(dataDir);
    expect(stopped).toEqual(
      Object.fromEntries(Object.keys(stopped).map((name) => [name, expected[name as '.']])),
    );
    expect(first.stdout()).not.toMatch(/open to group or others/);

    // An operator opens the event store to everyone: the next start says so, and still starts.
    const opened = join(dataDir, 'events.sqlite');
    chmodSync(opened, 0o644);
    const second = await startService('second', dataDir, env, 1);
    service = second;
    expect((await send(second, 'GET', '/health/live')).status).toBe(200);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    const warnings = second
      .stdout()
      .split('\n')
      .filter((line) => line.includes('open to group or others'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; context: string });
    // SQLite gives the -wal and -shm files the database's mode, so they are named too.
    expect(warnings).toEqual(
      ['', '-wal', '-shm'].map((suffix) =>
        expect.objectContaining({
          level: 'warn',
          context: 'Files',
          msg: `${opened}${suffix} is open to group or others (mode 0644) though it holds personal data, keys or tokens: chmod 600 it`,
        }),
      ),
    );
    expect(second.stderr()).toBe('');
  }, 30_000);
});
