import { readFileSync } from 'node:fs';
import { SNAPSHOT_FILE } from '../../scripts/openapi-document';
import {
  createBansosClient,
  idempotencyKey,
  type BansosClient,
  type KubeRegistration,
  type paths,
  type RseRegistration,
} from '../../client/src';
import {
  disbursementBody,
  erasureBody,
  exhibitionBody,
  itemsWorth,
  kubeBody,
  mentoringBody,
  monitoringBody,
  nextNik,
  rseBody,
  startApi,
  TOKENS,
  type Api,
  type TokenName,
} from '../helpers/api-client';

// Compile-time: every 2xx answer the document describes has a type a caller can use. When one
// is `never` or `unknown` (a route without a documented body), `AssertNone` names it.
type SuccessStatus = 200 | 201;
type Method = 'get' | 'put' | 'post';
type BodiesOf<Content> = Content[keyof Content];
type SuccessBody<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Status in keyof Responses & SuccessStatus]: Responses[Status] extends {
        content: infer Content;
      }
        ? BodiesOf<Content>
        : never;
    }[keyof Responses & SuccessStatus]
  : never;
type Untyped<Body> = [Body] extends [never] ? true : unknown extends Body ? true : false;
type UntypedAnswers = {
  [Path in keyof paths]: {
    [M in Method]: paths[Path][M] extends { responses: unknown }
      ? Untyped<SuccessBody<paths[Path][M]>> extends true
        ? `${Uppercase<M>} ${Path}`
        : never
      : never;
  }[Method];
}[keyof paths];
type AssertNone<Routes extends never> = Routes;
export type EveryAnswerIsTyped = AssertNone<UntypedAnswers>;

/** What openapi-fetch answers: the body of a 2xx status, or the error body of another. */
interface Result<Body> {
  data?: Body;
  error?: unknown;
  response: Response;
}

/** The body of an answer that must have `status`; the error body shows when it has not. */
function answered<Body>(result: Result<Body>, status: number): Body {
  expect({ status: result.response.status, error: result.error }).toEqual({
    status,
    error: undefined,
  });
  if (result.data === undefined) throw new Error(`${result.response.url}: no body`);
  return result.data;
}

/** The operations of the committed OpenAPI document, as `METHOD /path/{param}`. */
function documentedOperations(): string[] {
  const document: { paths: Record<string, Record<string, unknown>> } = JSON.parse(
    readFileSync(SNAPSHOT_FILE, 'utf8'),
  );
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => ['get', 'put', 'post', 'patch', 'delete'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * The operation a request was for: the template its path matches, a literal segment winning
 * over a parameter (`/recipients/export` is not `/recipients/{id}`).
 */
function operationOf(method: string, pathname: string, operations: string[]): string | undefined {
  const matching = operations.filter((operation) => {
    const [operationMethod, template] = operation.split(' ');
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return operationMethod === method && new RegExp(`^${pattern}$`).test(pathname);
  });
  const parameters = (operation: string) => operation.split('{').length;
  return matching.sort((left, right) => parameters(left) - parameters(right))[0];
}

/**
 * Every command and read of the API, called through the client generated from the OpenAPI
 * document (client/), against the running service: the types the document promises are the
 * answers the service gives.
 */
describe('the typed client (client/) against the service', () => {
  let api: Api;
  let as: Record<TokenName, BansosClient>;
  /** The position the latest command answered: the reads wait for it. */
  let last = '0';
  /** Every request the clients made, with its answer's status. */
  const calls: { method: string; pathname: string; status: number }[] = [];
  const ids = { siti: '', dewi: '', rina: '', kube: '', sitiAid: '', kubeAid: '' };

  const siti: RseRegistration = rseBody({ name: 'Siti Aminah', phone: '0812-5555-0100' });
  const dewi: RseRegistration = rseBody({ name: 'Dewi Kartika' });
  const rina: RseRegistration = rseBody({ name: 'Rina Marlina' });
  const kube: KubeRegistration = kubeBody({ groupName: 'KUBE Anggrek Hitam' });
  const reason = 'Koreksi data oleh operator';

  /** Keeps the position a command answered, for the reads after it. */
  const noted = <Answer extends { position: string }>(answer: Answer): Answer => {
    last = answer.position;
    return answer;
  };

  beforeAll(async () => {
    api = await startApi();
    const baseUrl = await api.app.getUrl();
    const recording = async (request: Request): Promise<Response> => {
      const response = await fetch(request);
      const { pathname } = new URL(request.url);
      calls.push({ method: request.method, pathname, status: response.status });
      return response;
    };
    const client = (token: string) => createBansosClient({ baseUrl, token, fetch: recording });
    as = {
      admin: client(TOKENS.admin),
      operator: client(TOKENS.operator),
      monitor: client(TOKENS.monitor),
      auditor: client(TOKENS.auditor),
      viewer: client(TOKENS.viewer),
      bystander: client(TOKENS.bystander),
    };
  });

  afterAll(() => api.stop());

  describe('commands', () => {
    it('PUT /programme/years/{year}: an admin defines 2027', async () => {
      const answer = await as.admin.PUT('/api/v1/programme/years/{year}', {
        params: { path: { year: 2027 } },
        body: {
          targets: { RSE: 300, KUBE: 120 },
          ceilingsRupiah: { RSE: 6_000_000, KUBE: 22_000_000 },
          allocationPerRegency: { KUBE: 10 },
          reason: 'APBD 2027, DPA Dinas Sosial No. 12/2027',
        },
      });
      expect(noted(answered(answer, 200))).toMatchObject({ year: 2027 });
    });

    it('PUT /programme/allocations/{year}/{kind}/{regencyCode}: 15 KUBe for Samarinda in 2025', async () => {
      const answer = await as.admin.PUT(
        '/api/v1/programme/allocations/{year}/{kind}/{regencyCode}',
        {
          params: { path: { year: 2025, kind: 'KUBE', regencyCode: '64.72' } },
          body: { quota: 15 },
        },
      );
      expect(noted(answered(answer, 200))).toMatchObject({
        year: 2025,
        kind: 'KUBE',
        regencyCode: '64.72',
        quota: 15,
      });
    });

    it('POST /recipients: once per Idempotency-Key, the retry answered the same', async () => {
      const header = idempotencyKey();
      const first = await as.operator.POST('/api/v1/recipients', {
        params: { header },
        body: siti,
      });
      const retry = await as.operator.POST('/api/v1/recipients', {
        params: { header },
        body: siti,
      });

      const registered = noted(answered(first, 201));
      expect(answered(retry, 201)).toEqual(registered);
      expect(retry.response.headers.get('Idempotent-Replayed')).toBe('true');
      ids.siti = registered.recipientId;
    });

    it('POST /recipients: RSE women and a KUBe of five', async () => {
      const register = async (body: RseRegistration | KubeRegistration) =>
        noted(answered(await as.operator.POST('/api/v1/recipients', { body }), 201)).recipientId;
      ids.dewi = await register(dewi);
      ids.rina = await register(rina);
      ids.kube = await register(kube);

      expect(new Set([ids.siti, ids.dewi, ids.rina, ids.kube]).size).toBe(4);
    });

    it('POST /recipients/{id}/disbursements: aid to Siti and to the KUBe; a second one is 409', async () => {
      const toSiti = await as.operator.POST('/api/v1/recipients/{id}/disbursements', {
        params: { path: { id: ids.siti } },
        body: disbursementBody(),
      });
      const toKube = await as.operator.POST('/api/v1/recipients/{id}/disbursements', {
        params: { path: { id: ids.kube } },
        body: disbursementBody({ items: itemsWorth(20_000_000) }),
      });
      const again = await as.operator.POST('/api/v1/recipients/{id}/disbursements', {
        params: { path: { id: ids.siti } },
        body: disbursementBody(),
      });

      const sitiAid = noted(answered(toSiti, 201));
      const kubeAid = noted(answered(toKube, 201));
      expect([sitiAid.valueRupiah, kubeAid.valueRupiah]).toEqual([5_000_000, 20_000_000]);
      [ids.sitiAid, ids.kubeAid] = [sitiAid.disbursementId, kubeAid.disbursementId];
      expect(again.response.status).toBe(409);
      expect(again.error?.code).toBe('ALREADY_DISBURSED');
    });

    it('POST /disbursements/{id}/reversal: the KUBe aid reversed', async () => {
      const answer = await as.operator.POST('/api/v1/disbursements/{id}/reversal', {
        params: { path: { id: ids.kubeAid } },
        body: { reason: 'Data ganda' },
      });
      expect(noted(answered(answer, 200)).position).toMatch(/^[1-9]\d*$/);
    });

    it('POST /recipients/{id}/monitoring, /mentoring, /exhibitions: Siti followed up', async () => {
      const path = { id: ids.siti };
      const visit = await as.monitor.POST('/api/v1/recipients/{id}/monitoring', {
        params: { path },
        body: monitoringBody(),
      });
      const mentoring = await as.monitor.POST('/api/v1/recipients/{id}/mentoring', {
        params: { path },
        body: mentoringBody(),
      });
      const exhibition = await as.monitor.POST('/api/v1/recipients/{id}/exhibitions', {
        params: { path },
        body: exhibitionBody(),
      });

      const [first, second, third] = [visit, mentoring, exhibition].map((answer) =>
        BigInt(noted(answered(answer, 201)).position),
      );
      expect(second).toBeGreaterThan(first);
      expect(third).toBeGreaterThan(second);
    });

    it('POST /recipients/{id}/detail-corrections: Siti’s phone number corrected', async () => {
      const answer = await as.operator.POST('/api/v1/recipients/{id}/detail-corrections', {
        params: { path: { id: ids.siti } },
        body: { reason, phone: '0812-5555-0101' },
      });
      expect(noted(answered(answer, 200)).position).not.toBe('0');
    });

    it('POST /recipients/{id}/nik-corrections: Dewi’s NIK corrected', async () => {
      const answer = await as.operator.POST('/api/v1/recipients/{id}/nik-corrections', {
        params: { path: { id: ids.dewi } },
        body: { reason, newNik: nextNik('female') },
      });
      expect(noted(answered(answer, 200)).position).not.toBe('0');
    });

    it('POST /recipients/{id}/member-replacements: a KUBe member leaves, another joins', async () => {
      const leaving = kube.members[4];
      const answer = await as.operator.POST('/api/v1/recipients/{id}/member-replacements', {
        params: { path: { id: ids.kube } },
        body: {
          departure: 'LEFT',
          effectiveOn: '2025-09-01',
          reason: 'Pindah kerja ke luar daerah',
          leavingNik: leaving.nik,
          newMember: { nik: nextNik('female'), name: 'Sri Rahayu' },
        },
      });
      expect(noted(answered(answer, 200)).position).not.toBe('0');
    });

    it('POST /recipients/{id}/moves, /death, /withdrawal: life events', async () => {
      const moved = await as.operator.POST('/api/v1/recipients/{id}/moves', {
        params: { path: { id: ids.siti } },
        body: { toRegencyCode: '64.71', movedOn: '2025-09-01', reason: 'Ikut suami pindah kerja' },
      });
      const died = await as.operator.POST('/api/v1/recipients/{id}/death', {
        params: { path: { id: ids.dewi } },
        body: { diedOn: '2025-09-10', reason: 'Sakit' },
      });
      const withdrew = await as.operator.POST('/api/v1/recipients/{id}/withdrawal', {
        params: { path: { id: ids.rina } },
        body: { withdrawnOn: '2025-09-12', reason: 'Mengundurkan diri' },
      });

      for (const answer of [moved, died, withdrew]) {
        expect(noted(answered(answer, 200)).position).not.toBe('0');
      }
    });

    it('POST /recipients/{id}/erasure: Rina’s personal data erased', async () => {
      const answer = await as.admin.POST('/api/v1/recipients/{id}/erasure', {
        params: { path: { id: ids.rina } },
        body: erasureBody(),
      });
      expect(noted(answered(answer, 200)).dataKeysDestroyed).toBe(1);
    });

    it('POST /audit/seals: an auditor seals the log', async () => {
      const sealed = answered(await as.auditor.POST('/api/v1/audit/seals'), 201);
      expect(sealed.sealedPosition).toBe(last);
      expect(sealed.eventCount).toBe(Number(last));
      expect(sealed.logHash).toMatch(/^[0-9a-f]{64}$/);
      noted(sealed);
    });
  });

  describe('reads, once the last command is visible (minPosition)', () => {
    const query = () => ({ minPosition: last });

    it('GET /programme: 2024–2026 by default, and 2027', async () => {
      const programme = answered(
        await as.viewer.GET('/api/v1/programme', { params: { query: query() } }),
        200,
      );
      expect(programme.years.map((defined) => defined.year)).toEqual([2024, 2025, 2026, 2027]);
      const [rse2027] = programme.years[3].kinds;
      expect(rse2027).toMatchObject({ kind: 'RSE', target: 300, ceilingRupiah: 6_000_000 });
    });

    it('GET /quota-progress: 2025 net of the reversal', async () => {
      const progress = answered(
        await as.viewer.GET('/api/v1/quota-progress', {
          params: { query: { ...query(), year: 2025 } },
        }),
        200,
      );
      const [rse, kube2025] = progress.kinds;
      expect(progress.year).toBe(2025);
      expect(rse).toMatchObject({ kind: 'RSE', disbursed: 1, valueDisbursedRupiah: 5_000_000 });
      expect(kube2025).toMatchObject({ kind: 'KUBE', disbursed: 0, reversed: 1 });
      const samarinda = kube2025.regencies.find((regency) => regency.code === '64.72');
      expect(samarinda).toMatchObject({ allocated: 15, remaining: 15, name: 'Kota Samarinda' });
    });

    it('GET /recipients: the registry to an operator, a count to a viewer', async () => {
      const registry = answered(
        await as.operator.GET('/api/v1/recipients', {
          params: { query: { ...query(), q: 'siti' } },
        }),
        200,
      );
      const count = answered(
        await as.viewer.GET('/api/v1/recipients', { params: { query: query() } }),
        200,
      );

      expect('items' in registry && registry.items.map((item) => item.recipientId)).toEqual([
        ids.siti,
      ]);
      expect(count).toEqual({ total: 4, limit: 50, offset: 0 });
    });

    it('GET /recipients/{id}: Siti as the operator sees her', async () => {
      const recipient = answered(
        await as.operator.GET('/api/v1/recipients/{id}', {
          params: { path: { id: ids.siti }, query: query() },
        }),
        200,
      );
      expect(recipient).toMatchObject({
        recipientId: ids.siti,
        kind: 'RSE',
        name: 'Siti Aminah',
        phone: '0812-5555-0101',
        maskedNiks: [`${siti.nik.slice(0, 4)}********${siti.nik.slice(12)}`],
        regencyCode: '64.71',
        movedFrom: { regencyCode: '64.72', movedOn: '2025-09-01' },
        status: 'aided',
        standing: 'active',
        mentoringCount: 1,
        exhibitionCount: 1,
        members: null,
      });
      expect(recipient.disbursement).toMatchObject({ valueRupiah: 5_000_000, reversedOn: null });
      expect(recipient.latestMonitoring).toMatchObject({ businessStatus: 'GROWING' });
    });

    it('POST /recipients/lookup: a KUBe member found by NIK, in the body', async () => {
      const found = answered(
        await as.operator.POST('/api/v1/recipients/lookup', {
          params: { query: query() },
          body: { nik: kube.members[0].nik },
        }),
        200,
      );
      expect(found.holder).toMatchObject({ as: 'MEMBER', name: kube.members[0].name });
      expect(found.recipient.recipientId).toBe(ids.kube);
    });

    it('GET /recipients/export: the registry as CSV', async () => {
      const csv = answered(
        await as.operator.GET('/api/v1/recipients/export', {
          params: { query: { ...query(), format: 'csv' } },
          parseAs: 'text',
        }),
        200,
      );
      const lines = csv.trim().split(/\r?\n/);
      expect(lines).toHaveLength(5);
      expect(lines.slice(1).join('\n')).toContain('Siti Aminah');
    });

    it('GET /audit/trail: Siti’s events, in log order', async () => {
      const trail = answered(
        await as.auditor.GET('/api/v1/audit/trail', {
          params: { query: { ...query(), recipientId: ids.siti } },
        }),
        200,
      );
      const types = trail.items.map((entry) => entry.type);
      expect(types).toEqual(expect.arrayContaining(['RecipientRegistered', 'AidDisbursed']));
      expect(trail.items.every((entry) => entry.actor.startsWith('e2e-'))).toBe(true);
      expect(trail.total).toBe(trail.items.length);
    });

    it('GET /audit/disbursements: both, the KUBe one with its reversal; and as CSV', async () => {
      const history = answered(await as.auditor.GET('/api/v1/audit/disbursements'), 200);
      const csv = answered(
        await as.auditor.GET('/api/v1/audit/disbursements', {
          params: { query: { format: 'csv' } },
          parseAs: 'text',
        }),
        200,
      );

      expect(
        history.map((record) => [record.recipientId, record.reversal?.reason ?? null]),
      ).toEqual([
        [ids.siti, null],
        [ids.kube, 'Data ganda'],
      ]);
      expect(csv.trim().split(/\r?\n/)).toHaveLength(3);
    });

    it('GET /audit/quota-progress: 2025 replayed from the events, as the read model has it', async () => {
      const [replayed, live] = await Promise.all([
        as.auditor.GET('/api/v1/audit/quota-progress', { params: { query: { year: 2025 } } }),
        as.auditor.GET('/api/v1/quota-progress', { params: { query: { ...query(), year: 2025 } } }),
      ]);
      expect(answered(replayed, 200)).toEqual(answered(live, 200));
    });

    it('GET /audit/verify: every chain, seal and read model checks out', async () => {
      const report = answered(await as.auditor.GET('/api/v1/audit/verify'), 200);
      expect(report.ok).toBe(true);
      expect(report.headPosition).toBe(last);
    });

    it('GET /monitoring/outcomes: Siti growing, the one aid held', async () => {
      const outcomes = answered(
        await as.viewer.GET('/api/v1/monitoring/outcomes', { params: { query: query() } }),
        200,
      );
      expect(outcomes).toMatchObject({
        recipients: 1,
        byStatus: { GROWING: 1, NOT_MONITORED: 0 },
        workers: 2,
        workersFromPoorHouseholds: 1,
      });
    });

    it('GET /monitoring/mentoring-partners: the 2025 partner', async () => {
      const partners = answered(
        await as.viewer.GET('/api/v1/monitoring/mentoring-partners', {
          params: { query: { ...query(), year: 2025 } },
        }),
        200,
      );
      expect(partners).toEqual([
        { year: 2025, partner: 'Disperindagkop Kaltim', sessions: 1, lastSessionOn: '2025-09-02' },
      ]);
    });

    it('GET /health, /health/live, /health/ready: up, caught up', async () => {
      const health = answered(await as.viewer.GET('/health'), 200);
      const live = answered(await as.viewer.GET('/health/live'), 200);
      const ready = answered(await as.viewer.GET('/health/ready'), 200);

      expect(health.status).toBe('ok');
      expect(health.eventStore.headPosition).toBe(last);
      expect(health.projections.every((projection) => projection.status === 'active')).toBe(true);
      expect(live).toEqual({ status: 'ok' });
      expect(ready.status).toBe('ok');
    });

    it('GET /metrics: the Prometheus text', async () => {
      const metrics = answered(await as.viewer.GET('/metrics', { parseAs: 'text' }), 200);
      expect(metrics).toMatch(/^# HELP /m);
    });
  });

  it('called every operation of the OpenAPI document, each answered 2xx at least once', () => {
    const operations = documentedOperations();
    const answered2xx = new Set(
      calls
        .filter(({ status }) => status >= 200 && status < 300)
        .map(({ method, pathname }) => operationOf(method, pathname, operations)),
    );

    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((operation) => !answered2xx.has(operation))).toEqual([]);
  });
});
