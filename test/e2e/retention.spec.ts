import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appConfig, type AppConfig } from '../../src/config/app.config';
import { FixedClock } from '../../src/platform/clock';
import {
  disbursementBody,
  disburseAid,
  kubeBody,
  NOW,
  read,
  registerRecipient,
  rseBody,
  startApi,
  TOKENS,
  type Api,
} from '../helpers/api-client';

const execFileAsync = promisify(execFile);
const CLI = join(__dirname, '../../src/cli/personal-data.ts');
const DAY_MS = 24 * 60 * 60 * 1000;
const WOMAN_LAST_EVENT = new Date(NOW.getTime() - 10 * DAY_MS);

/**
 * The retention CLI against a running service: two recipients whose last event is long past
 * (a woman aided, a KUBe) and one registered today. It lists the first two without names, a dry
 * run erases nothing, --apply erases them through the erasure route, and a second run finds no
 * one left.
 */
describe('personal data at the end of its retention period', () => {
  let api: Api;
  let config: AppConfig;
  let url: string;
  /** Days back to just after the old recipients' last events: they are due, today's is not. */
  let retentionDays: string;
  const bodies = {
    woman: rseBody({ regencyCode: '64.72', name: 'Sitti Rahmawati Lama' }),
    group: kubeBody({ regencyCode: '64.71', groupName: 'KUBE Mawar Lama' }),
    recent: rseBody({ regencyCode: '64.72', name: 'Nur Aisyah Baru' }),
  };
  const ids = { woman: '', group: '', recent: '' };

  beforeAll(async () => {
    // The woman's last event ten days before the group's: she has been idle longest.
    const clock = new FixedClock(WOMAN_LAST_EVENT);
    api = await startApi({ clock });
    config = api.app.get<AppConfig>(appConfig.KEY);
    ids.woman = (await registerRecipient(api, bodies.woman)).recipientId;
    await disburseAid(api, ids.woman, disbursementBody({ year: 2025, disbursedOn: '2025-09-01' }));
    clock.set(NOW);
    ids.group = (await registerRecipient(api, bodies.group)).recipientId;
    clock.set(new Date());
    ids.recent = (await registerRecipient(api, bodies.recent)).recipientId;
    retentionDays = String(Math.floor((Date.now() - NOW.getTime()) / DAY_MS) - 30);
    // The CLI erases through the service's HTTP API (the test app listens on a free port).
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  }, 30_000);

  afterAll(() => api.stop());

  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileAsync(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
      env: {
        ...process.env,
        DATA_DIR: config.dataDir,
        NIK_HMAC_SECRET: 'unused-by-the-cli-0123456789abcdef',
        RETENTION_DAYS_AFTER_LAST_EVENT: '',
        ...env,
      },
    });

  /** `erase --apply` of everyone due, as the admin, through the running API. */
  const eraseDue = () =>
    cli(
      [
        'erase',
        '--reference',
        'RET-2026-01',
        '--retention-days',
        retentionDays,
        '--apply',
        '--url',
        url,
      ],
      { API_TOKEN: TOKENS.admin },
    );

  async function due(): Promise<{ recipientId: string }[]> {
    const { stdout } = await cli(['due', '--retention-days', retentionDays, '--format', 'json']);
    return JSON.parse(stdout) as { recipientId: string }[];
  }

  const erasures = async () =>
    (await api.eventsAfter()).filter((event) => event.type === 'PersonalDataErased');

  it('lists who is due, longest idle first, without a name', async () => {
    const { stdout } = await cli(['due', '--format', 'json'], {
      RETENTION_DAYS_AFTER_LAST_EVENT: retentionDays,
    });
    expect(JSON.parse(stdout)).toEqual([
      {
        recipientId: ids.woman,
        kind: 'RSE',
        regencyCode: '64.72',
        lastEventAt: WOMAN_LAST_EVENT.toISOString(),
        encrypted: true,
      },
      {
        recipientId: ids.group,
        kind: 'KUBE',
        regencyCode: '64.71',
        lastEventAt: NOW.toISOString(),
        encrypted: true,
      },
    ]);
    const table = (await cli(['due', '--retention-days', retentionDays])).stdout;
    expect(table).toContain(ids.woman);
    expect(table).toMatch(/2 recipients due/);
    for (const text of [stdout, table]) {
      for (const name of [bodies.woman.name, bodies.group.groupName, bodies.recent.name]) {
        expect(text).not.toContain(name);
      }
    }
  }, 30_000);

  it('erases nothing in a dry run, only says what it would do', async () => {
    const { stdout } = await cli([
      'erase',
      '--reference',
      'RET-2026-01',
      '--retention-days',
      retentionDays,
    ]);
    expect(stdout).toMatch(
      /Dry run: would erase the personal data of 2 recipients .*reason "retention period ended", reference "RET-2026-01"/,
    );
    expect(await erasures()).toEqual([]);
    expect((await due()).map((recipient) => recipient.recipientId)).toEqual([ids.woman, ids.group]);
  }, 30_000);

  it('erases each one through the erasure route with --apply; a second run finds no one', async () => {
    const { stdout } = await eraseDue();
    expect(stdout).toContain(`${ids.woman}: erased`);
    expect(stdout).toContain(`${ids.group}: erased`);
    expect(stdout).toMatch(/Erased 2 of 2 recipients due/);
    const recorded = await erasures();
    expect(recorded.map((event) => [event.streamName, event.data, event.metadata.actor])).toEqual([
      [
        `recipient-${ids.woman}`,
        expect.objectContaining({ reason: 'retention period ended', reference: 'RET-2026-01' }),
        'e2e-admin',
      ],
      [
        `recipient-${ids.group}`,
        expect.objectContaining({ reason: 'retention period ended', reference: 'RET-2026-01' }),
        'e2e-admin',
      ],
    ]);
    const position = recorded.at(-1)?.position.toString() ?? '';
    const woman = await read(api, `/recipients/${ids.woman}?minPosition=${position}`, 'operator');
    expect(woman.body).toMatchObject({ name: '[dihapus]' });
    const recent = await read(api, `/recipients/${ids.recent}`, 'operator');
    expect(recent.body).toMatchObject({ name: bodies.recent.name });

    expect(await due()).toEqual([]);
    const again = await eraseDue();
    expect(again.stdout).toMatch(/Erased 0 of 0 recipients due/);
    expect(await erasures()).toHaveLength(2);
  }, 30_000);

  it('says how to use it: --help, and exit status 2 without a reference or a retention period', async () => {
    expect((await cli(['erase', '--help'])).stdout).toMatch(/--reference/);
    await expect(cli(['erase', '--retention-days', '30'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--reference is required/),
    });
    await expect(cli(['due'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /No retention period: pass --retention-days N or set RETENTION_DAYS_AFTER_LAST_EVENT/,
      ),
    });
    await expect(cli(['due', '--retention-days', 'ten'])).rejects.toMatchObject({ code: 2 });
    await expect(cli(['purge'])).rejects.toMatchObject({ code: 2 });
  }, 30_000);
});
