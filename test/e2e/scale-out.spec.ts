import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { ProjectionEngine } from '../../src/platform/projection-engine/projection-engine';
import {
  API,
  bearer,
  disbursementBody,
  itemsWorth,
  kubeBody,
  nextNik,
  register,
  rseBody,
  setAllocation,
  startApi,
  type Api,
  type DisbursementBody,
  type RseBody,
} from '../helpers/api-client';

/**
 * Two service instances on one DATA_DIR, as two processes would run: each has its own SQLite
 * connections, per-stream locks, state caches and idempotency locks; only the stores are shared.
 * `all` runs the projections; `api` only answers HTTP.
 */
describe('two API processes on one embedded store', () => {
  let dataDir: string;
  let all: Api;
  let api: Api;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-scale-out-'));
    all = await startApi({ env: { DATA_DIR: dataDir, PROCESS_ROLE: 'all' } });
    api = await startApi({ env: { DATA_DIR: dataDir, PROCESS_ROLE: 'api' } });
  });

  afterAll(async () => {
    await api?.stop();
    await all?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const codeOf = (response: Response) => (response.body as { code: string }).code;

  const disburse = (through: Api, recipientId: string, body: DisbursementBody) =>
    through.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(body);

  const registration = (through: Api, body: RseBody) =>
    through.http.post(`${API}/recipients`).set('Authorization', bearer('operator')).send(body);

  it('only the process with the projections projects; the API process runs no engine', () => {
    expect(all.app.get(ProjectionEngine).leaseStatus()).toMatchObject({ holding: true });
    expect(api.app.get(ProjectionEngine).leaseStatus()).toMatchObject({ holding: false });
    expect(api.app.get(ProjectionEngine).status()).toEqual([]);
  });

  it('commands alternating between the processes each find the appends of the other and succeed', async () => {
    // Each process trusts its cached quota state; every append after the other process wrote
    // fails its expected revision first, and is read again and decided again, not refused.
    const recipients = await Promise.all(
      Array.from({ length: 6 }, () => register(all, rseBody({ regencyCode: '64.71' }))),
    );
    const answers: number[] = [];
    for (const [n, recipientId] of recipients.entries()) {
      const response = await disburse(n % 2 === 0 ? all : api, recipientId, disbursementBody());
      answers.push(response.status);
    }
    expect(answers).toEqual(Array(6).fill(201));
  });

  it('25 simultaneous disbursements through both against an allocation of 20: exactly 20 accepted', async () => {
    await setAllocation(all, 2025, 'KUBE', '64.72', 20);
    const kubes = await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        register(n % 2 === 0 ? all : api, kubeBody({ regencyCode: '64.72' })),
      ),
    );
    const responses = await Promise.all(
      kubes.map((recipientId, n) =>
        disburse(
          n % 2 === 0 ? api : all,
          recipientId,
          disbursementBody({ items: itemsWorth(19_000_000) }),
        ),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(responses.filter((r) => r.status !== 201).map(codeOf)).toEqual(
      Array(5).fill('QUOTA_EXHAUSTED'),
    );
  });

  it('one NIK registered 10 times at once through both: exactly one registration', async () => {
    const nik = nextNik('female');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        registration(n % 2 === 0 ? all : api, rseBody({ nik, name: `Pendaftar ${n + 1}` })),
      ),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    for (const refused of responses.filter((response) => response.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(codeOf(refused)).toMatch(/^NIK_(ALREADY_REGISTERED|REGISTRATION_IN_PROGRESS)$/);
    }
  });

  it('the API process reads its own writes, projected by the other process', async () => {
    const response = await registration(api, rseBody({ regencyCode: '64.02' }));
    expect(response.status).toBe(201);
    const { recipientId, position } = response.body as { recipientId: string; position: string };
    const read = await api.http
      .get(`${API}/recipients/${recipientId}?minPosition=${position}`)
      .set('Authorization', bearer('monitor'));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ recipientId, regencyCode: '64.02' });
  });
});
