import type { AuditEntry } from '../../projections/audit-trail/audit-trail.projection';
import type { MonitoringOutcomes } from '../../projections/monitoring-outcomes/monitoring-outcomes.queries';
import type { QuotaProgressReport } from '../../projections/quota-progress/quota-progress.queries';
import type { RecipientDocument } from '../../projections/recipient-registry/recipient-registry.projection';
import type { Page } from '../../src/read/page';
import type { HealthReport } from '../../src/operations/health/health.controller';
import { REGENCIES } from '../../src/domain/programme/regencies';
import {
  allocate,
  disburseAid,
  disbursementBody,
  itemsWorth,
  kubeBody,
  monitoringBody,
  nextNik,
  read,
  recordFollowUp,
  registerRecipient,
  reverseDisbursement,
  rseBody,
  startApi,
  type Api,
  type TokenName,
} from '../helpers/api-client';
import { PROJECTIONS as DEFINED } from '../../projections';
import { TEST_EVENT_STORE } from '../helpers/test-app';

/** Every read model the service defines, by name. */
const PROJECTIONS = DEFINED.map((definition) => definition.name).sort();

/** The embedded default, and the in-memory store with KurrentDB's semantics (byte positions). */
const EVENT_STORES: [string, NodeJS.ProcessEnv][] = [
  ['SQLite', {}],
  ['KurrentDB semantics', { [TEST_EVENT_STORE]: 'kurrentdb-semantics' }],
];

describe.each(EVENT_STORES)('read-your-writes: minPosition, over %s', (_name, env) => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ env });
  });

  afterAll(() => api.stop());

  /** A read that must succeed at once: the projection has the position, or waits briefly for it. */
  async function readAt<T>(path: string, position: string, role: TokenName = 'viewer'): Promise<T> {
    const separator = path.includes('?') ? '&' : '?';
    const response = await read(api, `${path}${separator}minPosition=${position}`, role);
    expect({
      path,
      position,
      status: response.status,
      body: response.body as unknown,
    }).toMatchObject({ status: 200 });
    return response.body as T;
  }

  it('a registration is readable at the position it answered, every time (60 in a row)', async () => {
    for (let n = 0; n < 60; n++) {
      const body = n % 6 === 5 ? kubeBody() : rseBody({ nik: nextNik('female') });
      const { recipientId, position } = await registerRecipient(api, body);
      const document = await readAt<RecipientDocument>(
        `/recipients/${recipientId}`,
        position,
        'monitor',
      );
      expect({ n, recipientId: document.recipientId, status: document.status }).toEqual({
        n,
        recipientId,
        status: 'registered',
      });
    }
  });

  it('each command is seen at once by the read model it changes', async () => {
    const regency = REGENCIES[2].code;
    const quota = async (position: string) => {
      const report = await readAt<QuotaProgressReport>('/quota-progress?year=2025', position);
      const kube = report.kinds.find((kind) => kind.kind === 'KUBE');
      return kube?.regencies.find((entry) => entry.code === regency);
    };
    const outcomes = (position: string) =>
      readAt<MonitoringOutcomes>(`/monitoring/outcomes?year=2025&regencyCode=${regency}`, position);

    for (let n = 1; n <= 12; n++) {
      const registered = await registerRecipient(api, kubeBody({ regencyCode: regency }));
      const { recipientId } = registered;

      const disbursed = await disburseAid(
        api,
        recipientId,
        disbursementBody({ items: itemsWorth(10_000_000) }),
      );
      expect(await quota(disbursed.position)).toMatchObject({
        disbursed: n,
        reversed: 0,
        valueDisbursedRupiah: n * 10_000_000,
      });
      expect(await outcomes(disbursed.position)).toMatchObject({
        recipients: n,
        byStatus: { NOT_MONITORED: 1 },
      });

      const monitored = await recordFollowUp(
        api,
        recipientId,
        'monitoring',
        monitoringBody({ workers: n, workersFromPoorHouseholds: 0 }),
      );
      const document = await readAt<RecipientDocument>(
        `/recipients/${recipientId}`,
        monitored,
        'monitor',
      );
      expect(document.latestMonitoring).toMatchObject({ workers: n });
      expect(await outcomes(monitored)).toMatchObject({
        recipients: n,
        byStatus: { GROWING: n, NOT_MONITORED: 0 },
        workers: (n * (n + 1)) / 2,
      });
      const trail = await readAt<Page<AuditEntry>>(
        `/audit/trail?recipientId=${recipientId}`,
        monitored,
        'auditor',
      );
      expect(trail.items[trail.items.length - 1]).toMatchObject({
        position: Number(monitored),
        type: 'MonitoringRecorded',
      });
    }

    const { recipientId } = await registerRecipient(api, kubeBody({ regencyCode: regency }));
    const { disbursementId } = await disburseAid(
      api,
      recipientId,
      disbursementBody({ items: itemsWorth(1_000_000) }),
    );
    const reversed = await reverseDisbursement(api, disbursementId);
    expect(await quota(reversed)).toMatchObject({
      disbursed: 12,
      reversed: 1,
      valueDisbursedRupiah: 12 * 10_000_000,
    });
    const document = await readAt<RecipientDocument>(
      `/recipients/${recipientId}`,
      reversed,
      'monitor',
    );
    expect(document.status).toBe('reversed');

    const allocated = await allocate(api, 2025, 'KUBE', regency, 14);
    expect(await quota(allocated)).toMatchObject({ allocated: 14, disbursed: 12, remaining: 2 });
  });

  it('the position a registration answers is its RecipientRegistered event in the audit trail', async () => {
    const { recipientId, position } = await registerRecipient(api, rseBody());
    const trail = await readAt<Page<AuditEntry>>(
      `/audit/trail?recipientId=${recipientId}`,
      position,
      'auditor',
    );
    expect(trail.items.map(({ type }) => type)).toEqual(['NikClaimed', 'RecipientRegistered']);
    const [claimed, registered] = trail.items;
    expect(registered.position).toBe(Number(position));
    // The claim is the event right before it in $all. Positions are not counts (on KurrentDB they
    // are byte offsets), so the next event after the claim is asked of the store.
    const [next] = await api.eventStore.readAll({ after: BigInt(claimed.position), maxCount: 1 });
    expect(next.position).toBe(BigInt(position));
  });

  it('minPosition 0, or the head itself, answers at once', async () => {
    const head = (await api.headPosition()).toString();
    const started = Date.now();
    for (const position of ['0', head]) {
      await readAt<QuotaProgressReport>('/quota-progress', position);
      await readAt<Page<RecipientDocument>>('/recipients?limit=1', position);
      await readAt<Page<AuditEntry>>('/audit/trail?limit=1', position, 'auditor');
      await readAt<MonitoringOutcomes>('/monitoring/outcomes', position);
    }
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('/health lists every projection, caught up: lagEvents "0" at the head', async () => {
    const deadline = Date.now() + 2000;
    let report: HealthReport;
    for (;;) {
      const response = await api.http.get('/health');
      expect(response.status).toBe(200);
      report = response.body as HealthReport;
      if (report.projections.every((projection) => projection.lagEvents === '0')) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const head = report.eventStore.headPosition;
    expect(report.status).toBe('ok');
    expect(
      report.projections
        .map(({ name, status, position, lagEvents, lagSeconds }) => ({
          name,
          status,
          position,
          lagEvents,
          lagSeconds,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(
      PROJECTIONS.map((name) => ({
        name,
        status: 'active',
        position: head,
        lagEvents: '0',
        lagSeconds: 0,
      })),
    );
  });

  it('a minPosition far ahead of the head answers 503 READ_MODEL_BEHIND after about 5 s, with Retry-After', async () => {
    const recipientId = (await registerRecipient(api, rseBody())).recipientId;
    const ahead = ((await api.headPosition()) + 1_000_000n).toString();
    const paths: [string, TokenName][] = [
      ['/quota-progress', 'viewer'],
      ['/recipients', 'viewer'],
      [`/recipients/${recipientId}`, 'monitor'],
      ['/audit/trail', 'auditor'],
      ['/monitoring/outcomes', 'viewer'],
    ];
    const started = Date.now();
    const responses = await Promise.all(
      paths.map(([path, role]) => read(api, `${path}?minPosition=${ahead}`, role)),
    );
    const elapsed = Date.now() - started;

    for (const [index, response] of responses.entries()) {
      expect({
        path: paths[index][0],
        status: response.status,
        body: response.body as unknown,
      }).toEqual({
        path: paths[index][0],
        status: 503,
        body: { statusCode: 503, code: 'READ_MODEL_BEHIND', message: expect.any(String) },
      });
    }
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThanOrEqual(8000);

    // Waiting in vain leaves nothing behind: the next read answers at once.
    const head = (await api.headPosition()).toString();
    await readAt<RecipientDocument>(`/recipients/${recipientId}`, head, 'monitor');

    for (const [index, response] of responses.entries()) {
      expect({ path: paths[index][0], retryAfter: response.headers['retry-after'] }).toEqual({
        path: paths[index][0],
        retryAfter: '1',
      });
    }
  });
});
