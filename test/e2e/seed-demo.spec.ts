import type { AddressInfo } from 'node:net';
import { DATA_SET_AS_OF, DEMO_COHORTS, PUBLISHED_AS_OF } from '../../src/demo/demo-cohorts';
import { demoDataSet, type DemoRecipient } from '../../src/demo/demo-data-set';
import { countRequests, seedDemo, type SeedSummary } from '../../src/demo/seed-runner';
import { REGENCIES } from '../../src/domain/programme/regencies';
import { FixedClock } from '../../src/platform/clock';
import type { RecordMonitoringBody } from '../../src/write/record-follow-up';
import type { QuotaProgressReport } from '../../projections/quota-progress/quota-progress.queries';
import type { MonitoringOutcomes } from '../../projections/monitoring-outcomes/monitoring-outcomes.queries';
import { AUTH_TOKENS, read, startApi, TOKENS, type Api } from '../helpers/api-client';

/** 10:00 WITA the day after `day`. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T02:00:00.000Z`) + 86_400_000);

/** The day after the data set's date: every business date in it is past. */
const AFTER_DATA_SET = dayAfter(DATA_SET_AS_OF);

/** One token holding both roles the seed needs, as `bansos-seed-demo --token` takes. */
const SEEDER_TOKEN = 'e2e-seeder-token-00000001';

const dataSet = demoDataSet();

/** Recipients of the data set per regency/city, of one kind and (optionally) one year. */
function planned(kind: 'RSE' | 'KUBE', year?: number): Record<string, number> {
  const counts = Object.fromEntries(REGENCIES.map((regency) => [regency.code, 0]));
  for (const cohort of DEMO_COHORTS) {
    if (cohort.kind === kind && (year === undefined || cohort.year === year)) {
      counts[cohort.regencyCode] += cohort.count;
    }
  }
  return counts;
}

const disbursedByRegency = (kind: { regencies: { code: string; disbursed: number }[] }) =>
  Object.fromEntries(kind.regencies.map((regency) => [regency.code, regency.disbursed]));

describe('seeding the demo data set through the API', () => {
  let api: Api;
  let url: string;
  let first: SeedSummary;

  beforeAll(async () => {
    const grants = [
      ...AUTH_TOKENS,
      { token: SEEDER_TOKEN, actor: 'e2e-seeder', roles: ['operator', 'monitor'] },
    ];
    api = await startApi({
      clock: new FixedClock(AFTER_DATA_SET),
      env: { AUTH_TOKENS: JSON.stringify(grants) },
    });
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    first = await seedDemo({
      url,
      operatorToken: TOKENS.operator,
      monitorToken: TOKENS.monitor,
      dataSet,
    });
  }, 120_000);

  afterAll(() => api?.stop());

  const quotaProgress = async (query = ''): Promise<QuotaProgressReport> => {
    const head = await api.headPosition();
    const response = await read(api, `/quota-progress?minPosition=${head}${query}`, 'viewer');
    expect(response.status).toBe(200);
    return response.body as QuotaProgressReport;
  };

  it('adds every request of the data set, and none was there before', () => {
    expect(first).toEqual({
      total: countRequests(dataSet),
      added: {
        registrations: 615,
        disbursements: 615,
        monitoring: expect.any(Number) as number,
        mentoring: expect.any(Number) as number,
        exhibitions: expect.any(Number) as number,
      },
      alreadyThere: 0,
    });
    const added = Object.values(first.added).reduce((sum, count) => sum + count, 0);
    expect(added).toBe(first.total);
  });

  it('shows the published figures: 535 of 1,500 RSE women and 80 of 600 KUBe, Rp2,675,000,000 and Rp1,600,000,000', async () => {
    const [rse, kube] = (await quotaProgress()).kinds;
    expect(rse).toMatchObject({
      kind: 'RSE',
      target: 1500,
      disbursed: 535,
      reversed: 0,
      valueDisbursedRupiah: 2_675_000_000,
      remaining: 965,
    });
    expect(kube).toMatchObject({
      kind: 'KUBE',
      target: 600,
      disbursed: 80,
      reversed: 0,
      valueDisbursedRupiah: 1_600_000_000,
      remaining: 520,
    });
    expect(disbursedByRegency(rse)).toEqual(planned('RSE'));
    expect(Object.values(disbursedByRegency(rse)).every((count) => count > 0)).toBe(true);
    expect(disbursedByRegency(kube)).toEqual({
      ...Object.fromEntries(REGENCIES.map((regency) => [regency.code, 0])),
      '64.07': 20,
      '64.02': 20,
      '64.72': 20,
      '64.71': 20,
    });
    for (const regency of rse.regencies) {
      expect(regency.valueDisbursedRupiah).toBe(regency.disbursed * 5_000_000);
    }
    for (const regency of kube.regencies) {
      expect(regency.valueDisbursedRupiah).toBe(regency.disbursed * 20_000_000);
    }
  });

  it('aids 500 RSE women and the 80 KUBe in 2024, 35 RSE women in 2025, each KUBe allocation filled', async () => {
    const [rse2024, kube2024] = (await quotaProgress('&year=2024')).kinds;
    expect(rse2024).toMatchObject({ target: 500, disbursed: 500, remaining: 0 });
    expect(kube2024).toMatchObject({
      target: 200,
      disbursed: 80,
      valueDisbursedRupiah: 1_600_000_000,
    });
    expect(disbursedByRegency(kube2024)).toEqual(planned('KUBE', 2024));
    const aided = kube2024.regencies.filter((regency) => regency.disbursed > 0);
    expect(aided.map((regency) => [regency.allocated, regency.remaining])).toEqual(
      aided.map(() => [20, 0]),
    );
    const [rse2025, kube2025] = (await quotaProgress('&year=2025')).kinds;
    expect(rse2025).toMatchObject({ disbursed: 35, valueDisbursedRupiah: 175_000_000 });
    expect(disbursedByRegency(rse2025)).toEqual(planned('RSE', 2025));
    expect(kube2025.disbursed).toBe(0);
  });

  it('shows the monitoring outcomes of the latest visits', async () => {
    const head = await api.headPosition();
    const response = await read(api, `/monitoring/outcomes?minPosition=${head}`, 'viewer');
    expect(response.status).toBe(200);
    const outcomes = response.body as MonitoringOutcomes;
    const latest = dataSet.map(
      (recipient) =>
        recipient.followUps.filter((followUp) => followUp.path === 'monitoring').at(-1)?.body as
          RecordMonitoringBody | undefined,
    );
    const expectedStatus = (status: string) =>
      latest.filter((visit) => (visit?.businessStatus ?? 'NOT_MONITORED') === status).length;
    expect(outcomes.recipients).toBe(615);
    expect(outcomes.byStatus).toEqual({
      GROWING: expectedStatus('GROWING'),
      STABLE: expectedStatus('STABLE'),
      STRUGGLING: expectedStatus('STRUGGLING'),
      CLOSED: expectedStatus('CLOSED'),
      NOT_MONITORED: expectedStatus('NOT_MONITORED'),
    });
    expect(outcomes.workers).toBe(latest.reduce((sum, visit) => sum + (visit?.workers ?? 0), 0));
    expect(outcomes.workersFromPoorHouseholds).toBeGreaterThan(0);
  });

  it('adds nothing when run again with the same tokens: every request is answered from its Idempotency-Key', async () => {
    const head = await api.headPosition();
    const again = await seedDemo({
      url,
      operatorToken: TOKENS.operator,
      monitorToken: TOKENS.monitor,
      dataSet,
    });
    expect(Object.values(again.added).every((count) => count === 0)).toBe(true);
    expect(again.alreadyThere).toBe(again.total);
    expect(await api.headPosition()).toBe(head);
  });

  it('adds nothing when run with another token: every registration is refused, its NIK being taken', async () => {
    const head = await api.headPosition();
    const again = await seedDemo({
      url,
      operatorToken: SEEDER_TOKEN,
      monitorToken: SEEDER_TOKEN,
      dataSet,
    });
    expect(Object.values(again.added).every((count) => count === 0)).toBe(true);
    expect(again.alreadyThere).toBe(again.total);
    expect(await api.headPosition()).toBe(head);
  });
});

describe('seeding the demo data set into a service seeded when its story ended at the published progress', () => {
  // Every 2025 cohort and part of 2024: enough to meet every kind of follow-up, quickly.
  const part = dataSet.filter(
    (recipient, index) => recipient.key.includes('-2025-') || index % 40 === 0,
  );
  /** The data set as it was when it ended at the published progress. */
  const published: DemoRecipient[] = part.map((recipient) => ({
    ...recipient,
    followUps: recipient.followUps.filter(
      (followUp) =>
        (followUp.path === 'monitoring' ? followUp.body.visitDate : followUp.body.date) <=
        PUBLISHED_AS_OF,
    ),
  }));
  const clock = new FixedClock(dayAfter(PUBLISHED_AS_OF));
  let api: Api;
  let url: string;

  beforeAll(async () => {
    api = await startApi({ clock });
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    await seedDemo({
      url,
      operatorToken: TOKENS.operator,
      monitorToken: TOKENS.monitor,
      dataSet: published,
    });
  }, 60_000);

  afterAll(() => api?.stop());

  it('adds only what followed: every request sent before keeps its Idempotency-Key', async () => {
    clock.set(AFTER_DATA_SET);
    const head = await api.headPosition();
    const summary = await seedDemo({
      url,
      operatorToken: TOKENS.operator,
      monitorToken: TOKENS.monitor,
      dataSet: part,
    });
    const later = countRequests(part) - countRequests(published);
    expect(later).toBeGreaterThan(part.length);
    expect(summary.alreadyThere).toBe(countRequests(published));
    expect(summary.added.registrations + summary.added.disbursements).toBe(0);
    expect(summary.added.monitoring + summary.added.mentoring + summary.added.exhibitions).toBe(
      later,
    );
    expect(await api.headPosition()).toBeGreaterThan(head);
  }, 60_000);
});
