import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { QuotaProgressDocument } from '../../projections/quota-progress/quota-progress.projection';
import {
  quotaProgressReport,
  type QuotaProgressReport,
} from '../../projections/quota-progress/quota-progress.queries';
import type { DisbursementRecord } from '../../src/audit/history/disbursement-history';
import { CSV_COLUMNS, itemsText } from '../../src/audit/history/history-format';
import type { VerifyReport } from '../../src/audit/verify/verify-log';
import { FixedClock } from '../../src/platform/clock';
import { witaTimestamp } from '../../src/read/wita-time';
import { appConfig, type AppConfig } from '../../src/config/app.config';
import { LEDGER_EVENT_STORE } from '../../src/platform/event-store/create-event-store';
import type { EventStore, StoredEvent } from '../../src/platform/event-store/event-store.port';
import {
  API,
  bearer,
  disburseAid,
  disbursementBody,
  erasePersonalData,
  erasureBody,
  errorBody,
  itemsWorth,
  kubeBody,
  maskNik,
  monitoringBody,
  read,
  recordFollowUp,
  registerRecipient,
  reverseDisbursement,
  rseBody,
  startApi,
  type Api,
  type KubeBody,
  type RseBody,
} from '../helpers/api-client';
import { PROJECTIONS } from '../../projections';

const execFileAsync = promisify(execFile);
const CLI = join(__dirname, '../../src/cli/audit.ts');

/**
 * A small history written on known days (WITA is UTC+8, so 02:00 UTC is 10:00 there):
 *
 * - 20 Jun 2025: A, B and a KUBe registered and aided (A on 15 Jun, the KUBe on 18 Jun, B on 20 Jun).
 * - 5 Jul: A's disbursement reversed.
 * - 10 Jul: C registered and aided with a business date of 25 Jun, recorded late.
 */
const JUNE_20 = new Date('2025-06-20T02:00:00.000Z');
const JULY_5 = new Date('2025-07-05T02:00:00.000Z');
const JULY_10 = new Date('2025-07-10T02:00:00.000Z');
const REASON = 'Penerima ternyata menerima bantuan serupa';

describe('auditors: history and read models as of a day, verify, seals', () => {
  let api: Api;
  let clock: FixedClock;
  let config: AppConfig;
  let lastPosition: string;
  const bodies: { a: RseBody; b: RseBody; c: RseBody; kube: KubeBody } = {
    a: rseBody({ regencyCode: '64.72', name: 'Siti Aminah' }),
    b: rseBody({ regencyCode: '64.71', name: 'Rina Marlina' }),
    c: rseBody({ regencyCode: '64.72', name: 'Wati Suryani' }),
    kube: kubeBody({ regencyCode: '64.72' }),
  };
  const ids: Record<'a' | 'b' | 'c' | 'kube', { recipientId: string; disbursementId: string }> =
    {} as never;

  async function aid(
    name: keyof typeof ids,
    body: RseBody | KubeBody,
    disbursedOn: string,
    value = 5_000_000,
  ): Promise<void> {
    const { recipientId } = await registerRecipient(api, body);
    const answer = await disburseAid(
      api,
      recipientId,
      disbursementBody({ year: 2025, disbursedOn, items: itemsWorth(value) }),
    );
    ids[name] = { recipientId, disbursementId: answer.disbursementId };
    lastPosition = answer.position;
  }

  beforeAll(async () => {
    clock = new FixedClock(new Date('2025-06-10T02:00:00.000Z'));
    api = await startApi({ clock });
    config = api.app.get<AppConfig>(appConfig.KEY);
    clock.set(JUNE_20);
    await aid('a', bodies.a, '2025-06-15');
    await aid('kube', bodies.kube, '2025-06-18', 20_000_000);
    await aid('b', bodies.b, '2025-06-20');
    clock.set(JULY_5);
    lastPosition = await reverseDisbursement(api, ids.a.disbursementId, REASON);
    clock.set(JULY_10);
    await aid('c', bodies.c, '2025-06-25');
  }, 30_000);

  afterAll(() => api.stop());

  const history = (query: string, role: 'auditor' | 'viewer' | 'operator' = 'auditor') =>
    read(api, `/audit/disbursements${query}`, role);

  async function historyOf(query: string): Promise<DisbursementRecord[]> {
    const response = await history(query).expect(200);
    return response.body as DisbursementRecord[];
  }

  const idsOf = (records: DisbursementRecord[]) => records.map((r) => r.disbursementId);

  it('tells what was known at the end of a day: before the reversal and the late record', async () => {
    const records = await historyOf('?asOf=2025-06-30');
    expect(idsOf(records)).toEqual([
      ids.a.disbursementId,
      ids.kube.disbursementId,
      ids.b.disbursementId,
    ]);
    expect(records[0]).toEqual({
      disbursementId: ids.a.disbursementId,
      recipientId: ids.a.recipientId,
      kind: 'RSE',
      regencyCode: '64.72',
      regencyName: 'Kota Samarinda',
      year: 2025,
      maskedNiks: [maskNik(bodies.a.nik)],
      form: 'EQUIPMENT',
      items: itemsWorth(5_000_000),
      valueRupiah: 5_000_000,
      disbursedOn: '2025-06-15',
      recordedAt: JUNE_20.toISOString(),
      actor: 'e2e-operator',
      reversal: null,
    });
    expect(records[1].maskedNiks).toEqual(bodies.kube.members.map((m) => maskNik(m.nik)));
  });

  it('shows the reversal once it was recorded, with its date, reason and actor', async () => {
    expect((await historyOf('?asOf=2025-07-04'))[0].reversal).toBeNull();
    const records = await historyOf('?asOf=2025-07-05');
    expect(records[0].reversal).toEqual({
      reversedOn: '2025-07-05',
      reason: REASON,
      actor: 'e2e-operator',
      recordedAt: JULY_5.toISOString(),
    });
    expect(idsOf(records)).not.toContain(ids.c.disbursementId);
  });

  it('filters by business date with disbursedUntil, apart from what was known when', async () => {
    expect(idsOf(await historyOf('?disbursedUntil=2025-06-30'))).toEqual([
      ids.a.disbursementId,
      ids.kube.disbursementId,
      ids.b.disbursementId,
      ids.c.disbursementId,
    ]);
    expect(idsOf(await historyOf('?disbursedUntil=2025-06-18'))).toEqual([
      ids.a.disbursementId,
      ids.kube.disbursementId,
    ]);
    expect(idsOf(await historyOf('?asOf=2025-06-30&disbursedUntil=2025-06-30'))).toHaveLength(3);
    expect(await historyOf('?asOf=2025-06-19')).toEqual([]);
  });

  it('filters by kind and regency/city', async () => {
    expect(idsOf(await historyOf('?kind=KUBE'))).toEqual([ids.kube.disbursementId]);
    expect(idsOf(await historyOf('?kind=RSE&regencyCode=64.71'))).toEqual([ids.b.disbursementId]);
  });

  it('answers CSV that parses back to the JSON', async () => {
    const json = await historyOf('?asOf=2025-07-31');
    const response = await history('?asOf=2025-07-31&format=csv').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="disbursements-as-of-2025-07-31.csv"',
    );
    const text = response.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(json.length);
    rows.forEach((row, index) => {
      const record = json[index];
      const cell = Object.fromEntries(header.map((column, i) => [column, row[i]]));
      expect(cell).toEqual({
        disbursement_id: record.disbursementId,
        recipient_id: record.recipientId,
        kind: record.kind,
        regency_code: record.regencyCode,
        regency_name: record.regencyName,
        year: String(record.year),
        masked_niks: record.maskedNiks.join(' '),
        form: record.form,
        items: itemsText(record),
        value_rupiah: String(record.valueRupiah),
        disbursed_on: record.disbursedOn,
        recorded_at: witaTimestamp(record.recordedAt),
        actor: record.actor,
        reversed_on: record.reversal?.reversedOn ?? '',
        reversal_reason: record.reversal?.reason ?? '',
        reversed_by: record.reversal?.actor ?? '',
        reversal_recorded_at: record.reversal ? witaTimestamp(record.reversal.recordedAt) : '',
      });
    });
    expect(rows[0][header.indexOf('reversal_reason')]).toBe(REASON);
  });

  it('never shows a NIK in clear, nor a name', async () => {
    const text = (await history('?format=csv').expect(200)).text;
    const json = JSON.stringify(await historyOf(''));
    for (const body of [bodies.a, bodies.b, bodies.c]) {
      for (const output of [text, json]) {
        expect(output).not.toContain(body.nik);
        expect(output).not.toContain(body.name);
      }
    }
  });

  it('is for auditors, and names the field and rule of a bad query', async () => {
    await history('', 'viewer').expect(403);
    await history('', 'operator').expect(403);
    const bad = await history('?asOf=2025-02-30&format=xml').expect(400);
    expect(
      errorBody(bad)
        .errors?.map((e) => e.field)
        .sort(),
    ).toEqual(['asOf', 'format']);
    expect(errorBody(bad).message).toMatch(/asOf must be a date that exists/);
    await read(api, '/audit/verify', 'viewer').expect(403);
    await api.http.post(`${API}/audit/seals`).set('Authorization', bearer('operator')).expect(403);
  });

  it('replays quota progress as of a day with the read model’s own projection', async () => {
    const june = (
      await read(api, '/audit/quota-progress?asOf=2025-06-30&year=2025', 'auditor').expect(200)
    ).body as QuotaProgressReport;
    const rseJune = june.kinds.find((kind) => kind.kind === 'RSE');
    expect(rseJune).toMatchObject({ disbursed: 2, reversed: 0, valueDisbursedRupiah: 10_000_000 });
    const july = (
      await read(api, '/audit/quota-progress?asOf=2025-07-31&year=2025', 'auditor').expect(200)
    ).body as QuotaProgressReport;
    expect(july.kinds.find((kind) => kind.kind === 'RSE')).toMatchObject({
      disbursed: 2,
      reversed: 1,
      valueDisbursedRupiah: 10_000_000,
    });
    // Without asOf: everything known now, which is exactly what the live read model says.
    const now = (await read(api, '/audit/quota-progress', 'auditor').expect(200)).body;
    const live = (
      await read(api, `/quota-progress?minPosition=${lastPosition}`, 'auditor').expect(200)
    ).body;
    expect(now).toEqual(live);
  });

  it('seals on demand, then verifies chains, seals and read models as equal', async () => {
    const seal = await api.http
      .post(`${API}/audit/seals`)
      .set('Authorization', bearer('auditor'))
      .expect(201);
    expect(seal.body).toMatchObject({
      sealedPosition: lastPosition,
      logHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    await read(api, `/quota-progress?minPosition=${seal.body.position}`, 'auditor').expect(200);
    // Anchored where the operators can ship it from, readable by the service's user only.
    const anchorFile = join(config.dataDir, 'seal-anchors.jsonl');
    expect(statSync(anchorFile).mode & 0o777).toBe(0o600);
    const anchors = readFileSync(anchorFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(anchors).toEqual([
      expect.objectContaining({
        sealPosition: seal.body.position,
        sealedPosition: seal.body.sealedPosition,
        logHash: seal.body.logHash,
      }),
    ]);
    const report = (await read(api, '/audit/verify', 'auditor').expect(200)).body as VerifyReport;
    expect(report.ok).toBe(true);
    // Four recipients, four disbursements (one reversed): every stream agrees with the others.
    expect(report.links).toMatchObject({ disbursements: 4, registrations: 4, findings: [] });
    expect(report.anchors).toBeUndefined();
    expect(report.chains).toMatchObject({
      findings: [],
      seals: 1,
      latestSeal: { sealedPosition: lastPosition, logHash: seal.body.logHash },
      eventsAfterLatestSeal: 1,
    });
    expect(report.readModels.map((model) => model.projection).sort()).toEqual(
      PROJECTIONS.map((definition) => definition.name).sort(),
    );
    const compared = Object.fromEntries(
      report.readModels.map((model) => [model.projection, model.documentsCompared]),
    );
    // Every event before the seal has its audit entry; no mentoring was recorded.
    const beforeSeal = (await api.eventsAfter()).filter(
      (event) => event.position < BigInt(seal.body.position),
    );
    expect(compared).toMatchObject({
      'audit-trail': beforeSeal.length,
      'mentoring-partners': 0,
    });
    expect(compared['recipient-registry']).toBe(4);
  });

  it('runs one verification at a time', async () => {
    const answers = await Promise.all([
      read(api, '/audit/verify', 'auditor'),
      read(api, '/audit/verify', 'auditor'),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const refused = answers.find((answer) => answer.status === 409);
    expect(refused && errorBody(refused).code).toBe('VERIFY_RUNNING');
  });

  describe('on the command line', () => {
    const cli = (...args: string[]) =>
      execFileAsync(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
        env: {
          ...process.env,
          DATA_DIR: config.dataDir,
          NIK_HMAC_SECRET: 'unused-by-the-cli-0123456789abcdef',
        },
      });

    it('prints the same history as the API', async () => {
      const { stdout } = await cli('history', '--as-of', '2025-07-05', '--format', 'json');
      expect(JSON.parse(stdout)).toEqual(await historyOf('?asOf=2025-07-05'));
    }, 30_000);

    it('replays a read model as of a day, as the API does', async () => {
      const { stdout } = await cli('projection', 'quota-progress', '--as-of', '2025-06-30');
      const documents = (JSON.parse(stdout) as { id: string; document: QuotaProgressDocument }[])
        .map((entry) => entry.document)
        .filter((document) => document.year === 2025);
      const fromApi = (
        await read(api, '/audit/quota-progress?asOf=2025-06-30&year=2025', 'auditor').expect(200)
      ).body as QuotaProgressReport;
      expect(quotaProgressReport(documents, 2025)).toEqual(fromApi);
    }, 30_000);

    it('explains each command with --help, and refuses a bad date with exit status 2', async () => {
      const { stdout } = await cli('history', '--help');
      expect(stdout).toMatch(/--disbursed-until/);
      await expect(cli('history', '--as-of', '2025-13-01')).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--as-of must be a date that exists/),
      });
    }, 30_000);

    it('holds the log against the anchor file, and refuses a malformed one naming its line', async () => {
      const anchorFile = join(config.dataDir, 'seal-anchors.jsonl');
      const { stdout } = await cli('verify', '--anchors', anchorFile);
      expect(stdout).toMatch(
        /Anchors: 1 checked; every anchored seal is in the seals stream and the log matches each one[\s\S]*Result: OK/,
      );

      const malformed = join(config.dataDir, 'malformed-anchors.jsonl');
      writeFileSync(malformed, `${readFileSync(anchorFile, 'utf8')}{"sealPosition":\n`);
      const run = cli('verify', '--anchors', malformed);
      await expect(run).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/malformed-anchors\.jsonl line 2: not a JSON object/),
      });
      const { stderr } = (await run.catch((error: unknown) => error)) as { stderr: string };
      expect(stderr).not.toMatch(/\n\s+at /);
    }, 30_000);

    it('finds a read-model document altered by hand, and exits 1', async () => {
      const db = new Database(config.readStore.kind === 'sqlite' ? config.readStore.file : '');
      db.prepare(
        `UPDATE "rm_quota-progress-v1" SET doc = jsonb_set(doc, '$.disbursed', 99) WHERE id = ?`,
      ).run('2025:RSE:64.71');
      db.close();
      const report = (await read(api, '/audit/verify', 'auditor').expect(200)).body as VerifyReport;
      expect(report.ok).toBe(false);
      const quota = report.readModels.find((model) => model.projection === 'quota-progress');
      expect(quota?.differences).toEqual([
        {
          collection: 'quota-progress-v1',
          id: '2025:RSE:64.71',
          field: 'disbursed',
          stored: 99,
          recomputed: 1,
        },
      ]);
      const run = cli('verify');
      await expect(run).rejects.toMatchObject({
        code: 1,
        stdout: expect.stringMatching(
          /quota-progress-v1 2025:RSE:64.71 disbursed: stored 99, recomputed 1[\s\S]*DIFFERENCES FOUND/,
        ),
      });
    }, 30_000);
  });
});

describe('auditing after an erasure', () => {
  let api: Api;
  let config: AppConfig;
  const woman = rseBody({
    regencyCode: '64.72',
    name: 'Hj. Rosnani Binti Ahmad',
    phone: '0813-4444-5555',
    address: 'Jl. Kenanga Gg. Melati No. 3, Samarinda',
  });
  const other = rseBody({ regencyCode: '64.72', name: 'Masitah Sari Dewi' });
  const ids = { woman: '', other: '' };
  const before: { history?: unknown; quota?: unknown; registry?: RegistryReplay } = {};
  let erasedAt: string;

  type RegistryReplay = { id: string; document: { name: string; phone: string | null } }[];

  const cli = (...args: string[]) =>
    execFileAsync(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
      env: {
        ...process.env,
        DATA_DIR: config.dataDir,
        NIK_HMAC_SECRET: 'unused-by-the-cli-0123456789abcdef',
      },
    });

  const registryReplay = async () =>
    JSON.parse((await cli('projection', 'recipient-registry')).stdout) as RegistryReplay;
  const quotaAsOf = async () =>
    (await read(api, '/audit/quota-progress?asOf=2025-06-30&year=2025', 'auditor').expect(200))
      .body as unknown;
  const historyNow = async () =>
    (await read(api, '/audit/disbursements?asOf=2025-06-30', 'auditor').expect(200))
      .body as unknown;

  /** Her registration as the ledger holds it: personal fields as ciphertext. */
  async function ledgerRegistration(recipientId: string): Promise<StoredEvent> {
    const ledger = api.app.get<EventStore>(LEDGER_EVENT_STORE);
    const [registration] = await ledger.readStream(`recipient-${recipientId}`);
    return registration;
  }

  beforeAll(async () => {
    api = await startApi({ clock: new FixedClock(JUNE_20) });
    config = api.app.get<AppConfig>(appConfig.KEY);
    ids.woman = (await registerRecipient(api, woman)).recipientId;
    const aid = disbursementBody({
      year: 2025,
      disbursedOn: '2025-06-15',
      items: itemsWorth(5_000_000),
    });
    await disburseAid(api, ids.woman, aid);
    await recordFollowUp(
      api,
      ids.woman,
      'monitoring',
      monitoringBody({
        visitDate: '2025-06-18',
        notes: `Bu ${woman.name} membuka warung kedua`,
      }),
    );
    await api.http
      .post(`${API}/recipients/${ids.woman}/detail-corrections`)
      .set('Authorization', bearer('operator'))
      .send({ reason: 'Salah ketik pada formulir', name: 'Hj. Rosnani Binti Achmad' })
      .expect(200);
    ids.other = (await registerRecipient(api, other)).recipientId;
    await disburseAid(api, ids.other, aid);
    await api.http.post(`${API}/audit/seals`).set('Authorization', bearer('auditor')).expect(201);
    before.history = await historyNow();
    before.quota = await quotaAsOf();
    before.registry = await registryReplay();
    erasedAt = (await erasePersonalData(api, ids.woman, erasureBody({ reference: 'PDP/2025/044' })))
      .position;
    // Every read model has seen the erasure.
    await read(api, `/quota-progress?minPosition=${erasedAt}`, 'auditor').expect(200);
  }, 60_000);

  afterAll(() => api.stop());

  it('verifies: the chains and the seal over the unchanged ciphertext, every read model equal to a replay that reads her as erased', async () => {
    const report = (await read(api, '/audit/verify', 'auditor').expect(200)).body as VerifyReport;
    expect(report.chains).toMatchObject({ findings: [], seals: 1 });
    expect(report.links).toMatchObject({ registrations: 2, disbursements: 2, findings: [] });
    expect(report.readModels.filter((model) => model.differenceCount > 0)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('gives the same history and quota progress as of a day; a replayed read model shows her as [dihapus]', async () => {
    expect(await historyNow()).toEqual(before.history);
    expect(await quotaAsOf()).toEqual(before.quota);
    const documentOf = (replay: RegistryReplay | undefined, id: string) =>
      replay?.find((entry) => entry.id === id)?.document;
    expect(documentOf(before.registry, ids.woman)).toMatchObject({
      name: 'Hj. Rosnani Binti Achmad',
      phone: woman.phone,
    });
    const after = await registryReplay();
    expect(documentOf(after, ids.woman)).toMatchObject({
      name: '[dihapus]',
      phone: '[dihapus]',
    });
    expect(documentOf(after, ids.other)).toMatchObject({ name: other.name });
    const text = JSON.stringify(after);
    for (const piece of [woman.name, 'Rosnani', woman.phone as string, woman.address as string]) {
      expect(text).not.toContain(piece);
    }
  }, 30_000);

  it('records the erasure with the keys it destroyed and no personal data', async () => {
    const registration = await ledgerRegistration(ids.woman);
    const data = registration.data as { name: string; dataKeyId: string };
    expect(data.name).toMatch(/^pd1:/);
    const erasure = (await api.eventsAfter()).find((event) => event.type === 'PersonalDataErased');
    expect(erasure?.data).toEqual({
      recipientId: ids.woman,
      dataKeyIds: [data.dataKeyId],
      reason: erasureBody().reason,
      reference: 'PDP/2025/044',
    });
    expect(erasure?.metadata.actor).toBe('e2e-admin');
  });

  it('on the command line: verify passes, then names a ciphertext altered in the ledger file', async () => {
    expect((await cli('verify')).stdout).toMatch(/Result: OK/);

    const { position } = await ledgerRegistration(ids.other);
    const db = new Database(config.eventStore.kind === 'sqlite' ? config.eventStore.file : '');
    const row = db.prepare('SELECT data FROM events WHERE position = ?').get(position) as {
      data: string;
    };
    const data = JSON.parse(row.data) as { name: string };
    // One character of her name's ciphertext changed; its hash left as it was.
    const changed = data.name.at(-2) === 'A' ? 'B' : 'A';
    data.name = `${data.name.slice(0, -2)}${changed}${data.name.at(-1)}`;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), position);
    db.close();

    const run = cli('verify', '--format', 'json');
    await expect(run).rejects.toMatchObject({ code: 1 });
    const { stdout } = (await run.catch((error: unknown) => error)) as { stdout: string };
    const report = JSON.parse(stdout) as VerifyReport;
    expect(report.chains.findings).toEqual([
      expect.objectContaining({ kind: 'altered', position: position.toString() }),
    ]);
  }, 30_000);
});

describe('periodic seals', () => {
  it('are appended by the process that runs the projections, every SEAL_EVERY_EVENTS events', async () => {
    const api = await startApi({ env: { SEAL_EVERY_EVENTS: '20' } });
    try {
      // Defining the programme alone writes more than 20 events.
      for (let attempt = 0; attempt < 100; attempt++) {
        const seals = (await api.eventsAfter()).filter(
          (event) => event.streamName === 'audit-seals',
        );
        if (seals.length > 0) {
          expect(seals[0].metadata.actor).toBe('system');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no seal within 5 s');
    } finally {
      await api.stop();
    }
  });
});

describe('periodic seals by time and on shutdown', () => {
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bansos-seal-times-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are appended once SEAL_EVERY_MS has passed since events arrived, with no count reached', async () => {
    const api = await startApi({ env: { SEAL_EVERY_EVENTS: '0', SEAL_EVERY_MS: '1000' } });
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        const seals = (await api.eventsAfter()).filter(
          (event) => event.streamName === 'audit-seals',
        );
        if (seals.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no seal within 5 s');
    } finally {
      await api.stop();
    }
  });

  it('are appended on shutdown for what arrived since the last seal, anchored where told', async () => {
    const anchorFile = join(dir, 'anchors.jsonl');
    const api = await startApi({ env: { SEAL_EVERY_EVENTS: '0', SEAL_ANCHOR_FILE: anchorFile } });
    const head = await api.headPosition();
    // The projections have seen the programme's events once quota progress reaches the head.
    await read(api, `/quota-progress?minPosition=${head}`, 'viewer').expect(200);
    await api.stop();
    const anchors = readFileSync(anchorFile, 'utf8').trim().split('\n');
    expect(anchors).toHaveLength(1);
    expect(JSON.parse(anchors[0])).toMatchObject({ sealedPosition: head.toString() });
  });
});

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks; rows end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      [row, field] = [[], ''];
      i++;
    } else {
      field += char;
    }
  }
  return rows;
}
