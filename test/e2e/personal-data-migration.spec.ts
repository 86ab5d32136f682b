import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendProgrammeEvents } from '../../bench/programme-events';
import { LogSealer } from '../../src/audit/sealing/log-sealer';
import { SEAL_STREAM } from '../../src/audit/sealing/seal';
import {
  compareFigures,
  copyLedger,
  ledgerFigures,
  ReplayClock,
  runMigration,
  type MigrationReport,
} from '../../src/cli/personal-data-migration';
import { verifyLog } from '../../src/audit/verify/verify-log';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { openDataKeyStore } from '../../src/platform/personal-data/open-data-key-store';
import { KurrentDbSemanticsEventStore } from '../doubles/kurrentdb-semantics-event-store';
import { parseAppConfig } from '../../src/config/app.config';
import { FixedClock } from '../../src/platform/clock';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import type { EventContext } from '../../src/platform/event-store/event-metadata';
import {
  NO_STREAM,
  type EventStore,
  type StoredEvent,
  type StreamAppend,
} from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import {
  API,
  bearer,
  NIK_HMAC_SECRET,
  NOW,
  register,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

const hasher = new NikHasher(NIK_HMAC_SECRET);
const WOMAN = '11111111-1111-4111-8111-111111111111';
const GROUP = '22222222-2222-4222-8222-222222222222';
const womanNik = hasher.hash('6472015508900001');
const memberNiks = [1, 2, 3, 4, 5].map((n) => hasher.hash(`647201100890000${n}`));
const newcomerNik = hasher.hash('6472015508900009');
const KEY_STREAM = 'idempotency-0123456789abcdef';

/** Every personal value the old log holds in clear, besides the benchmark's names. */
const PERSONAL = [
  'Dewi Kartika Sari',
  '081234567890',
  '081298765432',
  'Jl. Pahlawan No. 12, Samarinda',
  'Sakit sejak Juli, usaha dijalankan anaknya Rudi',
  'KUBE Anggrek Samarinda',
  'Halimah Tussadiyah',
  'Ratna Juwita',
  'Ratna Juwita Sari',
  'Siti Maimunah',
  'Wulan Permatasari',
];
const BENCH_NAMES = ['Penerima ', 'Anggota ', 'KUBe Maju '];

const member = (index: number, name: string, role: string) => ({
  name,
  role,
  nikHash: memberNiks[index],
  nikMasked: '6472********000' + String(index + 1),
});

/**
 * A log written before data keys existed, as the service wrote it: no `dataKeyId` anywhere, every
 * name in clear. Each command's commit as one append, as the command runner makes it.
 */
async function writeOldLog(store: EventStore, clock: FixedClock): Promise<void> {
  await appendProgrammeEvents(store, 600, 4);
  const context = (commandId: string, causationId = commandId): EventContext => ({
    actor: 'operator-1',
    correlationId: `corr-${commandId}`,
    causationId,
    commandId,
  });
  const claim = (nikHash: string, recipientId: string): StreamAppend => ({
    streamName: `nik-${nikHash}`,
    expectedRevision: NO_STREAM,
    events: [{ type: 'NikClaimed', data: { recipientId, claimedAt: NOW.toISOString() } }],
  });
  clock.set(new Date('2025-09-01T01:00:00.000Z'));
  // Registered with an Idempotency-Key: its record names what the commit wrote.
  await store.appendToStreams(
    [
      claim(womanNik, WOMAN),
      {
        streamName: `recipient-${WOMAN}`,
        expectedRevision: NO_STREAM,
        events: [
          {
            type: 'RecipientRegistered',
            data: {
              recipientId: WOMAN,
              kind: 'RSE',
              regencyCode: '64.72',
              name: 'Dewi Kartika Sari',
              businessType: 'Warung makan',
              phone: '081234567890',
              address: 'Jl. Pahlawan No. 12, Samarinda',
              nikHash: womanNik,
              nikMasked: '6472********0001',
            },
          },
        ],
      },
      {
        streamName: KEY_STREAM,
        expectedRevision: NO_STREAM,
        events: [
          {
            type: 'IdempotentRequestAnswered',
            data: {
              requestHash: 'ab'.repeat(32),
              statusCode: 201,
              body: { recipientId: WOMAN },
              effects: [
                { streamName: `nik-${womanNik}`, revision: '0' },
                { streamName: `recipient-${WOMAN}`, revision: '0' },
              ],
            },
          },
        ],
      },
    ],
    { context: context('register-woman', KEY_STREAM) },
  );
  clock.advance(60_000);
  await store.appendToStreams(
    [
      ...memberNiks.map((nikHash) => claim(nikHash, GROUP)),
      {
        streamName: `recipient-${GROUP}`,
        expectedRevision: NO_STREAM,
        events: [
          {
            type: 'RecipientRegistered',
            data: {
              recipientId: GROUP,
              kind: 'KUBE',
              regencyCode: '64.72',
              groupName: 'KUBE Anggrek Samarinda',
              businessType: 'Kerajinan',
              members: [
                member(0, 'Halimah Tussadiyah', 'CHAIR'),
                member(1, 'Ratna Juwita', 'SECRETARY'),
                member(2, 'Nur Aini Rahma', 'TREASURER'),
                member(3, 'Siti Maimunah', 'MEMBER'),
                member(4, 'Fitri Handayani', 'MEMBER'),
              ],
            },
          },
        ],
      },
    ],
    { context: context('register-group') },
  );
  clock.advance(60_000);
  const disbursementId = `${WOMAN}.1`;
  await store.appendToStreams(
    [
      {
        streamName: `recipient-${WOMAN}`,
        expectedRevision: 0n,
        events: [
          {
            type: 'AidDisbursed',
            data: {
              recipientId: WOMAN,
              disbursementId,
              kind: 'RSE',
              regencyCode: '64.72',
              year: 2025,
              form: 'EQUIPMENT',
              items: [{ description: 'Etalase', quantity: 1, unitPriceRupiah: 5_000_000 }],
              valueRupiah: 5_000_000,
              disbursedOn: '2025-08-01',
            },
          },
        ],
      },
      {
        streamName: 'quota-2025-RSE',
        expectedRevision: 'any',
        events: [
          {
            type: 'QuotaSlotTaken',
            data: {
              disbursementId,
              recipientId: WOMAN,
              regencyCode: '64.72',
              valueRupiah: 5_000_000,
            },
          },
        ],
      },
    ],
    { context: context('disburse-woman') },
  );
  clock.advance(60_000);
  await store.appendToStream(
    `recipient-${WOMAN}`,
    [
      {
        type: 'MonitoringRecorded',
        data: {
          recipientId: WOMAN,
          disbursementId,
          visitDate: '2025-09-01',
          businessStatus: 'STABLE',
          monthlyTurnoverRupiah: 1_500_000,
          workers: 1,
          workersFromPoorHouseholds: 0,
          challenges: [],
          notes: 'Sakit sejak Juli, usaha dijalankan anaknya Rudi',
        },
      },
      {
        type: 'RecipientDetailsCorrected',
        data: {
          recipientId: WOMAN,
          changes: [
            { field: 'phone', before: '081234567890', after: '081298765432' },
            { field: 'businessType', before: 'Warung makan', after: 'Warung kopi' },
          ],
          reason: 'Salah ketik',
        },
      },
    ],
    { expectedRevision: 1n, context: context('follow-up-woman') },
  );
  clock.advance(60_000);
  await store.appendToStream(
    `recipient-${GROUP}`,
    [
      {
        type: 'RecipientDetailsCorrected',
        data: {
          recipientId: GROUP,
          changes: [
            {
              field: 'memberName',
              memberNikHash: memberNiks[1],
              before: 'Ratna Juwita',
              after: 'Ratna Juwita Sari',
            },
          ],
          reason: 'Sesuai KTP',
        },
      },
    ],
    { expectedRevision: 0n, context: context('correct-member') },
  );
  clock.advance(60_000);
  await store.appendToStreams(
    [
      claim(newcomerNik, GROUP),
      {
        streamName: `recipient-${GROUP}`,
        expectedRevision: 1n,
        events: [
          {
            type: 'MemberReplaced',
            data: {
              recipientId: GROUP,
              departure: 'LEFT',
              left: member(3, 'Siti Maimunah', 'MEMBER'),
              joined: {
                name: 'Wulan Permatasari',
                role: 'MEMBER',
                nikHash: newcomerNik,
                nikMasked: '6472********0009',
              },
              effectiveOn: '2025-09-01',
              reason: 'Pindah ke Balikpapan',
            },
          },
        ],
      },
    ],
    { context: context('replace-member') },
  );
  clock.advance(60_000);
  await new LogSealer(store, { clock }).seal('auditor-1');
}

async function allEvents(store: EventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1].position;
  }
}

/** Every byte the store's files hold: the database, its WAL and shared memory if any. */
function storeBytes(dir: string, file: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((name) => name.startsWith(file))
      .map((name) => readFileSync(join(dir, name))),
  );
}

/** GET `path` as the admin once the read models stand at the head of the log; 200 expected. */
async function caughtUp<Body>(api: Api, path: string): Promise<Body> {
  const head = await api.headPosition();
  for (let attempt = 0; ; attempt++) {
    const response = await api.http
      .get(`${API}${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`)
      .set('Authorization', bearer('admin'));
    if (response.status === 200) return response.body as Body;
    if (attempt > 100) throw new Error(`${path}: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('migrating a clear-text log into an encrypted one', () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'bansos-old-'));
  const newDir = join(mkdtempSync(join(tmpdir(), 'bansos-new-')), 'data');
  const env = { DATA_DIR: oldDir, NIK_HMAC_SECRET };
  let report: MigrationReport;
  let oldEvents: StoredEvent[];
  let newEvents: StoredEvent[];

  beforeAll(async () => {
    const clock = new FixedClock(new Date('2025-01-02T01:00:00.000Z'));
    const old = new SqliteEventStore({ file: join(oldDir, 'events.sqlite'), clock });
    await writeOldLog(old, clock);
    await old.close();
    writeFileSync(join(oldDir, 'nik-hmac.key'), 'dev-nik-key-'.repeat(4), { mode: 0o600 });
    report = await runMigration({ from: parseAppConfig(env), toDir: newDir });
    for (const [dir, into] of [
      [oldDir, (events: StoredEvent[]) => (oldEvents = events)],
      [newDir, (events: StoredEvent[]) => (newEvents = events)],
    ] as const) {
      const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
      into(await allEvents(store));
      await store.close();
    }
  }, 120_000);

  afterAll(() => {
    rmSync(oldDir, { recursive: true, force: true });
    rmSync(join(newDir, '..'), { recursive: true, force: true });
  });

  it('writes no personal value of the old log into the new one', () => {
    const before = storeBytes(oldDir, 'events.sqlite').toString('utf8');
    const after = storeBytes(newDir, 'events.sqlite').toString('utf8');
    for (const text of [...PERSONAL, ...BENCH_NAMES]) {
      expect(before).toContain(text);
      expect(after).not.toContain(text);
    }
  });

  it('copies every event but the old seals, ids, types, metadata and revisions kept', () => {
    const copied = oldEvents.filter((event) => event.streamName !== SEAL_STREAM);
    const fresh = newEvents.filter((event) => event.streamName !== SEAL_STREAM);
    // A key per RSE woman, per KUBe and per member, per newcomer: none for anyone else.
    const people = copied.reduce((count, event) => {
      const data = event.data as { kind?: string; members?: unknown[] };
      if (event.type === 'MemberReplaced') return count + 1;
      if (event.type !== 'RecipientRegistered') return count;
      return count + 1 + (data.members?.length ?? 0);
    }, 0);
    expect(report.copy).toEqual({ events: copied.length, sealsLeft: 1, newKeys: people });
    const kept = (event: StoredEvent) => {
      const { hash: _hash, previousHash: _previous, ...metadata } = event.metadata;
      return { streamName: event.streamName, revision: event.revision, type: event.type, metadata };
    };
    expect(fresh.map(kept)).toEqual(copied.map(kept));
    // One fresh seal, over the new log, stamped now rather than at an old commit's time.
    const seals = newEvents.filter((event) => event.streamName === SEAL_STREAM);
    expect(seals).toHaveLength(1);
    expect(seals[0].position).toBe(newEvents.at(-1)?.position);
    expect(report.seal.eventCount).toBe(fresh.length);
  });

  it('names each person’s key in the events that carry her data', () => {
    const byId = new Map(newEvents.map((event) => [event.metadata.eventId, event]));
    const data = (type: string, recipientId: string) =>
      newEvents
        .filter(
          (event) =>
            event.type === type &&
            (event.data as { recipientId?: string }).recipientId === recipientId,
        )
        .map((event) => event.data as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const [woman] = data('RecipientRegistered', WOMAN);
    const [group] = data('RecipientRegistered', GROUP);
    expect(woman.name).toMatch(new RegExp(`^pd1:${woman.dataKeyId}:`));
    expect(woman.phone).toMatch(/^pd1:/);
    expect(woman.businessType).toBe('Warung makan');
    const memberKeys = (group.members as { dataKeyId: string }[]).map((m) => m.dataKeyId);
    expect(new Set([woman.dataKeyId, group.dataKeyId, ...memberKeys]).size).toBe(7);
    const [monitoring] = data('MonitoringRecorded', WOMAN).filter((event) => event.notes);
    expect(monitoring.dataKeyId).toBe(woman.dataKeyId);
    const [womanCorrection] = data('RecipientDetailsCorrected', WOMAN);
    expect(womanCorrection.changes[0].dataKeyId).toBe(woman.dataKeyId);
    expect(womanCorrection.changes[1]).toEqual({
      field: 'businessType',
      before: 'Warung makan',
      after: 'Warung kopi',
    });
    const [memberCorrection] = data('RecipientDetailsCorrected', GROUP);
    expect(memberCorrection.changes[0].dataKeyId).toBe(memberKeys[1]);
    const [replaced] = data('MemberReplaced', GROUP);
    expect(replaced.left.dataKeyId).toBe(memberKeys[3]);
    expect(replaced.joined.dataKeyId).not.toBeUndefined();
    expect(memberKeys).not.toContain(replaced.joined.dataKeyId);
    // The idempotency record is copied as it was: it holds ids and figures, no personal data.
    const record = newEvents.find((event) => event.streamName === KEY_STREAM);
    const original = oldEvents.find((event) => event.streamName === KEY_STREAM);
    expect(record?.data).toEqual(original?.data);
    expect(byId.size).toBe(newEvents.length);
  });

  it('finds both logs verified and every figure equal', () => {
    expect(report.verify.old.ok).toBe(true);
    expect(report.verify.new.ok).toBe(true);
    expect(report.verify.new.chains.seals).toBe(1);
    expect(report.differing).toEqual([]);
    expect(report.ok).toBe(true);
    const figure = (name: string) => report.figures.find((row) => row.figure === name);
    expect(figure('recipients RSE')?.new).toBeGreaterThan(50);
    expect(figure('events RecipientRegistered')?.new).toBe(
      figure('events RecipientRegistered')?.old,
    );
    expect(figure('quota 2025:RSE disbursed')?.new).toBeGreaterThan(0);
    expect(figure('events LogSealed')).toBeUndefined();
  });

  it('carries the NIK key, owner-only, and refuses a directory that is not empty', async () => {
    expect(readFileSync(join(newDir, 'nik-hmac.key'), 'utf8')).toBe('dev-nik-key-'.repeat(4));
    expect(statSync(join(newDir, 'nik-hmac.key')).mode & 0o777).toBe(0o600);
    await expect(runMigration({ from: parseAppConfig(env), toDir: newDir })).rejects.toThrow(
      /not empty/,
    );
  });

  it('copies the same way into a store with KurrentDB’s semantics (positions with gaps)', async () => {
    const clock = new ReplayClock();
    const source = new SqliteEventStore({ file: join(oldDir, 'events.sqlite') });
    const target = new KurrentDbSemanticsEventStore({ clock });
    const keysDir = mkdtempSync(join(tmpdir(), 'bansos-keys-'));
    const keyStore = await openDataKeyStore(parseAppConfig({ DATA_DIR: keysDir, NIK_HMAC_SECRET }));
    const noReadModels = new SqliteReadStore({ file: ':memory:' });
    try {
      const copy = await copyLedger(source, target, clock, keyStore);
      expect(copy.events).toBe(report.copy.events);
      const copied = JSON.stringify((await allEvents(target)).map((event) => event.data));
      for (const text of [...PERSONAL, ...BENCH_NAMES]) expect(copied).not.toContain(text);
      expect((await verifyLog(target, noReadModels, [])).ok).toBe(true);
      expect(
        compareFigures(await ledgerFigures(source), await ledgerFigures(target)).differing,
      ).toEqual([]);
    } finally {
      await Promise.all([source.close(), target.close(), keyStore.close(), noReadModels.close()]);
      rmSync(keysDir, { recursive: true, force: true });
    }
  });

  describe('the service on the new directory', () => {
    let oldApi: Api;
    let newApi: Api;

    beforeAll(async () => {
      oldApi = await startApi({ env: { DATA_DIR: oldDir } });
      newApi = await startApi({ env: { DATA_DIR: newDir } });
    }, 60_000);

    afterAll(async () => {
      await oldApi?.stop();
      await newApi?.stop();
    });

    it('serves the same read-model figures as the old directory did', async () => {
      expect(await caughtUp(newApi, '/quota-progress')).toEqual(
        await caughtUp(oldApi, '/quota-progress'),
      );
      const woman = await caughtUp<{ name: string }>(newApi, `/recipients/${WOMAN}`);
      expect(woman.name).toBe('Dewi Kartika Sari');
    });

    it('erases a migrated person', async () => {
      await newApi.http
        .post(`${API}/recipients/${WOMAN}/erasure`)
        .set('Authorization', bearer('admin'))
        .send({ reason: 'Permintaan penerima', reference: 'SURAT-2025-001' })
        .expect((response) => expect(response.status).toBeLessThan(300));
      const woman = await caughtUp<{ name: string }>(newApi, `/recipients/${WOMAN}`);
      expect(woman.name).toBe(ERASED_TEXT);
      // Her neighbour in the log keeps her data, and the rupiah stay counted.
      const group = await caughtUp<{ name: string }>(newApi, `/recipients/${GROUP}`);
      expect(group.name).toBe('KUBE Anggrek Samarinda');
      expect(await caughtUp(newApi, '/quota-progress')).toEqual(
        await caughtUp(oldApi, '/quota-progress'),
      );
    });
  });
});

describe('migrating a log partly written since personal data was encrypted', () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'bansos-old-'));
  const newDir = join(mkdtempSync(join(tmpdir(), 'bansos-new-')), 'data');
  const keptWoman = rseBody({ name: 'Kartini Rahayu Lestari' });
  const erasedWoman = rseBody({ name: 'Marlina Siregar Putri' });
  let keptId: string;
  let erasedId: string;
  let report: MigrationReport;

  beforeAll(async () => {
    const clock = new FixedClock(new Date('2025-01-02T01:00:00.000Z'));
    const old = new SqliteEventStore({ file: join(oldDir, 'events.sqlite'), clock });
    await appendProgrammeEvents(old, 300, 4);
    await old.close();
    // The upgraded service on the old directory: registrations with keys, one erasure.
    const api = await startApi({ env: { DATA_DIR: oldDir } });
    try {
      keptId = await register(api, keptWoman);
      erasedId = await register(api, erasedWoman);
      await api.http
        .post(`${API}/recipients/${erasedId}/erasure`)
        .set('Authorization', bearer('admin'))
        .send({ reason: 'Permintaan penerima', reference: 'SURAT-2025-002' })
        .expect((response) => expect(response.status).toBeLessThan(300));
    } finally {
      await api.stop();
    }
    report = await runMigration({
      from: parseAppConfig({ DATA_DIR: oldDir, NIK_HMAC_SECRET }),
      toDir: newDir,
    });
  }, 120_000);

  afterAll(() => {
    rmSync(oldDir, { recursive: true, force: true });
    rmSync(join(newDir, '..'), { recursive: true, force: true });
  });

  it('keeps the keys and ciphertext of people registered since', async () => {
    expect(report.ok).toBe(true);
    const registrations = async (dir: string) => {
      const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
      try {
        return (await allEvents(store)).filter((event) => event.type === 'RecipientRegistered');
      } finally {
        await store.close();
      }
    };
    const [before, after] = [await registrations(oldDir), await registrations(newDir)];
    expect(after.map((event) => event.metadata.eventId)).toEqual(
      before.map((event) => event.metadata.eventId),
    );
    const since = (events: StoredEvent[]) =>
      events
        .map((event) => event.data as { recipientId: string })
        .filter(({ recipientId }) => recipientId === keptId || recipientId === erasedId);
    expect(since(after)).toEqual(since(before));
    // Everyone else got a key of her own, none of which any other person holds.
    expect(report.copy.newKeys).toBe(
      before.reduce(
        (count, event) => count + 1 + ((event.data as { members?: [] }).members?.length ?? 0),
        0,
      ) - 2,
    );
    expect(report.differing).toEqual([]);
    const bytes = storeBytes(newDir, 'events.sqlite').toString('utf8');
    for (const text of [keptWoman.name, erasedWoman.name, ...BENCH_NAMES]) {
      expect(bytes).not.toContain(text);
    }
  });

  it('serves her name on the new directory, and the erased one stays erased', async () => {
    const api = await startApi({ env: { DATA_DIR: newDir } });
    try {
      const read = (id: string) => caughtUp<{ name: string }>(api, `/recipients/${id}`);
      expect((await read(keptId)).name).toBe(keptWoman.name);
      expect((await read(erasedId)).name).toBe(ERASED_TEXT);
    } finally {
      await api.stop();
    }
  });
});
