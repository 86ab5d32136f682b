import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { streams } from '../../src/domain/streams';
import { DATA_KEY_FILE } from '../../src/platform/personal-data/personal-data';
import { DATA_KEY_STORE, type DataKeyStore } from '../../src/platform/personal-data/personal-data';
import {
  API,
  bearer,
  erasePersonalData,
  nextNik,
  read,
  register,
  rseBody,
  startApi,
  TOKENS,
  type Api,
} from '../helpers/api-client';
import { erasure, send } from '../helpers/write-scenarios';

/**
 * Adversarial probes of the erasure's keys: what the logs say while keys are used and
 * destroyed, and what a wrong master key does to an existing key store.
 */

const WOMAN = {
  name: 'Wilhelmina Quinsha Arumdalu',
  phone: '0813-7700-4455',
  address: 'Jl. Qinsha Raya No. 3, Bontang',
};
const MASTER_KEY = randomBytes(32);

describe('(6) logs around an erasure', () => {
  const raw: string[] = [];
  let api: Api;
  let keyMaterial: string[];

  beforeAll(async () => {
    api = await startApi({
      logs: { write: (line) => void raw.push(line) },
      env: { PERSONAL_DATA_KEY: MASTER_KEY.toString('hex') },
    });
    const keyStore = api.app.get<DataKeyStore>(DATA_KEY_STORE);
    const recipientId = await register(api, rseBody({ ...WOMAN, nik: nextNik('female') }));
    const [registered] = await api.eventStore.readStream(streams.recipient(recipientId));
    const keyId = (registered.data as { dataKeyId: string }).dataKeyId;
    const key = (await keyStore.keys([keyId])).get(keyId) as Buffer;
    keyMaterial = [key, MASTER_KEY].flatMap((bytes) => [
      bytes.toString('hex'),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ]);

    // The key store failing at the destruction: a 500, logged with its stack.
    const destroy = jest.spyOn(keyStore, 'destroy').mockRejectedValueOnce(new Error('EIO'));
    expect((await send(api, erasure(recipientId))).status).toBe(500);
    destroy.mockRestore();
    await erasePersonalData(api, recipientId);

    // A key found destroyed only at the append (the decider had not seen the erasure yet).
    const other = await register(api, rseBody({ ...WOMAN, nik: nextNik('female') }));
    const keys = jest.spyOn(keyStore, 'keys').mockResolvedValueOnce(new Map());
    const refused = await api.http
      .post(`${API}/recipients/${other}/detail-corrections`)
      .set('Authorization', bearer('operator'))
      .send({ reason: 'Salah ketik', name: `${WOMAN.name}a`, phone: '0813-7700-4456' });
    keys.mockRestore();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PERSONAL_DATA_ERASED' });
    expect(refused.text).not.toContain(WOMAN.name);

    // A refusal naming her in the body of an erasure (an operator's slip).
    const slip = await send(
      api,
      erasure(recipientId, { reason: WOMAN.name, reference: 'x'.repeat(101) }),
    );
    expect(slip.status).toBe(400);
    expect((await read(api, `/recipients/${recipientId}`, 'admin')).status).toBe(200);
  });

  afterAll(() => api.stop());

  it('captured lines (so that the checks below could see a leak)', () => {
    expect(raw.length).toBeGreaterThan(10);
    expect(raw.join('\n')).toMatch(/EIO/);
  });

  it('holds no name, phone, address, token or key material', () => {
    const text = raw.join('\n');
    for (const secret of [...Object.values(WOMAN), ...Object.values(TOKENS), ...keyMaterial]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('(7) a wrong PERSONAL_DATA_KEY against an existing key store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'erasure-attacks-'));
  const RIGHT_KEY = randomBytes(32);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The woman registered by a first start with the right master key, that start stopped. */
  async function registeredUnderOneKey(): Promise<string> {
    const first = await startApi({
      env: { DATA_DIR: dataDir, PERSONAL_DATA_KEY: RIGHT_KEY.toString('hex') },
    });
    try {
      return await register(first, rseBody({ ...WOMAN, nik: nextNik('female') }));
    } finally {
      await first.stop();
    }
  }

  it('stops the start with a clear error: no key of a second master key mixed into the store', async () => {
    await registeredUnderOneKey();
    const keysStored = () => {
      const db = new Database(join(dataDir, DATA_KEY_FILE), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM data_keys').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = keysStored();
    await expect(
      startApi({ env: { DATA_DIR: dataDir, PERSONAL_DATA_KEY: randomBytes(32).toString('hex') } }),
    ).rejects.toThrow(/PERSONAL_DATA_KEY is not the master key/);
    expect(keysStored()).toBe(before);
    // The right key still opens it.
    const again = await startApi({
      env: { DATA_DIR: dataDir, PERSONAL_DATA_KEY: RIGHT_KEY.toString('hex') },
    });
    await again.stop();
  });
});
