import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { appConfig, type AppConfig } from '../../src/config/app.config';
import { LEDGER_EVENT_STORE } from '../../src/platform/event-store/create-event-store';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import {
  API,
  bearer,
  disburseAid,
  disbursementBody,
  erasePersonalData,
  itemsWorth,
  monitoringBody,
  read,
  recordFollowUp,
  registerRecipient,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';
import { allEvents } from '../helpers/read-model-comparison';

/** Her details as first typed, and as corrected: every one of them must leave DATA_DIR. */
const FIRST = {
  name: 'Zulaikha Wiratmaja',
  phone: '0812 7733 9911',
  address: 'Jl. Cempaka Ungu No. 41, Sempaja',
};
const CORRECTED = {
  name: 'Zulaikha Wiratmaja Putri',
  phone: '0813 4455 6677',
  address: 'Jl. Kenari Biru No. 9, Loa Bakung',
};
const NOTE = 'Bu Zulaikha Wiratmaja menambah etalase di depan rumah';

/**
 * Each text as stored anywhere: as typed, lower-cased and word by word (the search folds names
 * into words), and a phone's digits alone. Groups of a few digits are left out: random key ids
 * and ciphertext hold them by chance.
 */
function tracesOf(text: string): string[] {
  const words = text.split(/[^\p{L}]+/u).filter((word) => word.length >= 4);
  const digits = text.replace(/\D/g, '');
  return [
    text,
    text.toLowerCase(),
    ...(digits.length >= 8 ? [digits] : []),
    ...words,
    ...words.map((word) => word.toLowerCase()),
  ];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which of the needles occur in which file of the directory. */
function foundIn(dir: string, needles: readonly Buffer[]): { file: string; needle: string }[] {
  const found: { file: string; needle: string }[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    for (const needle of needles) {
      if (bytes.includes(needle))
        found.push({ file: file.slice(dir.length + 1), needle: needle.toString('hex') });
    }
  }
  return found;
}

/** The wrapped bytes of these keys as the key store holds them now. */
function wrappedKeys(dataDir: string, keyIds: readonly string[]): Buffer[] {
  const db = new Database(join(dataDir, 'personal-data-keys.sqlite'), { readonly: true });
  try {
    return keyIds.map((keyId) => {
      const row = db.prepare('SELECT wrapped FROM data_keys WHERE key_id = ?').get(keyId) as
        { wrapped: Buffer } | undefined;
      if (!row) throw new Error(`no key ${keyId} in the key store`);
      return row.wrapped;
    });
  } finally {
    db.close();
  }
}

describe('erasing a woman leaves none of her personal data in DATA_DIR, and every figure as it was', () => {
  let api: Api;
  let config: AppConfig;

  beforeAll(async () => {
    api = await startApi();
    config = api.app.get<AppConfig>(appConfig.KEY);
  });

  afterAll(async () => {
    await api.stop();
  });

  /** What an auditor relies on, without names: quota progress, history as of a day, verify. */
  async function figures(recipientId: string, minPosition: string) {
    // Every read model has applied the last command before verify compares them with a replay.
    await read(api, `/recipients/${recipientId}?minPosition=${minPosition}`, 'operator').expect(
      200,
    );
    const progress = await read(
      api,
      '/audit/quota-progress?asOf=2025-09-15&year=2025',
      'auditor',
    ).expect(200);
    const history = await read(api, '/audit/disbursements?asOf=2025-09-15', 'auditor').expect(200);
    const verify = await read(api, '/audit/verify', 'auditor').expect(200);
    const report = verify.body as { ok: boolean; chains: { findings: unknown[] }; links: object };
    return {
      progress: progress.body as unknown,
      history: JSON.parse(
        JSON.stringify(history.body).replaceAll(CORRECTED.name, ERASED_TEXT),
      ) as unknown,
      verify: { ok: report.ok, findings: report.chains.findings, links: report.links },
    };
  }

  it('registers, disburses, monitors and corrects her; erases her; finds no trace; figures unchanged', async () => {
    const { recipientId } = await registerRecipient(
      api,
      rseBody({ regencyCode: '64.72', ...FIRST }),
    );
    await disburseAid(
      api,
      recipientId,
      disbursementBody({ year: 2025, disbursedOn: '2025-09-01', items: itemsWorth(5_000_000) }),
    );
    await recordFollowUp(api, recipientId, 'monitoring', monitoringBody({ notes: NOTE }));
    const corrected = await api.http
      .post(`${API}/recipients/${recipientId}/detail-corrections`)
      .set('Authorization', bearer('operator'))
      .send({ ...CORRECTED, reason: 'Nama, telepon dan alamat salah ketik saat pendaftaran' })
      .expect(200);
    const before = await figures(recipientId, (corrected.body as { position: string }).position);
    expect(before.verify.ok).toBe(true);

    // Her data key, as the ledger names it, and its wrapped bytes in the key store now.
    const ledger = api.app.get<EventStore>(LEDGER_EVENT_STORE);
    const registered = (await allEvents(ledger)).find(
      (event) =>
        event.type === 'RecipientRegistered' &&
        (event.data as { recipientId: string }).recipientId === recipientId,
    );
    const keyId = (registered?.data as { dataKeyId?: string }).dataKeyId;
    expect(keyId).toEqual(expect.any(String));
    const [wrapped] = wrappedKeys(config.dataDir, [keyId as string]);

    // The scan finds what is there: before the erasure her name is in the read models' files.
    expect(foundIn(config.dataDir, [Buffer.from(CORRECTED.name)]).length).toBeGreaterThan(0);

    const erased = await erasePersonalData(api, recipientId);
    const shown = await read(
      api,
      `/recipients/${recipientId}?minPosition=${erased.position}`,
      'operator',
    ).expect(200);
    expect(shown.body).toMatchObject({ name: ERASED_TEXT });
    expect(JSON.stringify(shown.body)).not.toContain('Zulaikha');

    const after = await figures(recipientId, erased.position);
    expect(after.verify).toEqual(before.verify);
    expect(after.progress).toEqual(before.progress);
    expect(after.history).toEqual(before.history);

    // Closing checkpoints every SQLite file's WAL into it; what is left is what a copy would hold.
    await api.app.close();
    const needles = [
      ...[FIRST, CORRECTED].flatMap((details) => Object.values(details).flatMap(tracesOf)),
      ...tracesOf(NOTE),
    ].map((trace) => Buffer.from(trace, 'utf8'));
    expect(
      foundIn(
        config.dataDir,
        [...new Set(needles.map(String))].map((s) => Buffer.from(s)),
      ),
    ).toEqual([]);
    expect(foundIn(config.dataDir, [wrapped])).toEqual([]);
  }, 120_000);
});
