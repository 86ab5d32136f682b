import { API, bearer, errorBody, read, type Api, type TokenName } from '../helpers/api-client';
import { startApiIn2027, walk2027, YEAR_2027, type Walk2027 } from '../helpers/programme-2027';

interface KindOfYear {
  kind: string;
  target: number;
  ceilingRupiah: number;
  allocated: number;
  allocations: { regencyCode: string; quota: number }[];
}
interface ProgrammeAnswer {
  years: { year: number; kinds: KindOfYear[]; latestReason: string | null }[];
}

const putYear = (api: Api, year: number | string, body: object, role: TokenName = 'admin') =>
  api.http.put(`${API}/programme/years/${year}`).set('Authorization', bearer(role)).send(body);

async function programme(api: Api, minPosition = '0'): Promise<ProgrammeAnswer> {
  const response = await read(api, `/programme?minPosition=${minPosition}`, 'viewer').expect(200);
  return response.body as ProgrammeAnswer;
}

const kindOf = (answer: ProgrammeAnswer, year: number, kind: string) =>
  answer.years.find((candidate) => candidate.year === year)?.kinds.find((k) => k.kind === kind);

describe('the programme as data: PUT /programme/years/{year}', () => {
  let walk: Walk2027;
  let api: Api;

  beforeAll(async () => {
    api = await startApiIn2027();
    walk = await walk2027(api);
  });

  afterAll(() => api.stop());

  it('shows every role the default years and 2027 as the admin defined it', async () => {
    for (const role of ['viewer', 'operator', 'monitor', 'auditor', 'admin'] as const) {
      await read(api, '/programme', role).expect(200);
    }
    await read(api, '/programme').expect(401);
    const answer = await programme(api, walk.position);
    expect(answer.years.map((year) => year.year)).toEqual([2024, 2025, 2026, 2027]);
    expect(kindOf(answer, 2025, 'RSE')).toMatchObject({
      target: 500,
      ceilingRupiah: 5_000_000,
      allocated: 0,
      allocations: [],
    });
    const kube2027 = kindOf(answer, 2027, 'KUBE');
    expect(kube2027).toMatchObject({ target: 120, ceilingRupiah: 22_000_000, allocated: 102 });
    expect(kube2027?.allocations).toHaveLength(10);
    expect(kube2027?.allocations.find((entry) => entry.regencyCode === '64.72')?.quota).toBe(12);
    expect(answer.years.at(-1)?.latestReason).toBe(YEAR_2027.reason);
  });

  it('counts 2027 in every read model as it counts 2025', async () => {
    const at = `minPosition=${walk.position}`;
    const progress = await read(api, `/quota-progress?year=2027&${at}`, 'viewer').expect(200);
    const kinds = (
      progress.body as {
        kinds: {
          kind: string;
          target: number;
          disbursed: number;
          valueDisbursedRupiah: number;
          regencies: { code: string; allocated: number | null; disbursed: number }[];
        }[];
      }
    ).kinds;
    expect(
      kinds.map(({ kind, target, disbursed, valueDisbursedRupiah }) => ({
        kind,
        target,
        disbursed,
        valueDisbursedRupiah,
      })),
    ).toEqual([
      { kind: 'RSE', target: 300, disbursed: 1, valueDisbursedRupiah: 6_000_000 },
      { kind: 'KUBE', target: 120, disbursed: 1, valueDisbursedRupiah: 22_000_000 },
    ]);
    expect(kinds[1].regencies.find((regency) => regency.code === '64.72')).toMatchObject({
      allocated: 12,
      disbursed: 1,
    });

    const outcomes = await read(api, `/monitoring/outcomes?year=2027&${at}`, 'viewer').expect(200);
    expect(JSON.stringify(outcomes.body)).toContain('GROWING');
    const partners = await read(
      api,
      `/monitoring/mentoring-partners?year=2027&${at}`,
      'viewer',
    ).expect(200);
    expect(partners.body).toEqual([expect.objectContaining({ year: 2027, sessions: 1 })]);
    const recipient = await read(api, `/recipients/${walk.rseId}?${at}`, 'admin').expect(200);
    expect(recipient.body).toMatchObject({
      status: 'aided',
      disbursement: { year: 2027, valueRupiah: 6_000_000 },
    });
  });

  it('records the definition in the audit trail with its actor and reason', async () => {
    const trail = await read(
      api,
      `/audit/trail?limit=200&minPosition=${walk.position}`,
      'auditor',
    ).expect(200);
    const entries = (trail.body as { items: { actor: string; type: string; summary: string }[] })
      .items;
    const defined = entries.filter(
      (entry) => entry.type === 'YearlyQuotaDefined' && entry.summary.startsWith('2027'),
    );
    expect(defined).toHaveLength(2);
    expect(defined.every((entry) => entry.actor === 'e2e-admin')).toBe(true);
    expect(defined.map((entry) => entry.summary).join('\n')).toContain(YEAR_2027.reason);
  });

  it('changes a year’s ceiling, keeping the allocations the body leaves out', async () => {
    const raised = await putYear(api, 2027, {
      ...YEAR_2027,
      ceilingsRupiah: { RSE: 6_500_000, KUBE: 22_000_000 },
      allocationPerRegency: undefined,
      reason: 'APBD-P 2027',
    }).expect(200);
    const answer = await programme(api, (raised.body as { position: string }).position);
    expect(kindOf(answer, 2027, 'RSE')?.ceilingRupiah).toBe(6_500_000);
    // Allocations left out of the body stay as they were, Samarinda's 12 among them.
    expect(
      kindOf(answer, 2027, 'KUBE')?.allocations.find((a) => a.regencyCode === '64.72')?.quota,
    ).toBe(12);
    expect(answer.years.at(-1)?.latestReason).toBe('APBD-P 2027');
  });

  it('refuses to lower a target or a ceiling below what is disbursed, naming the figures, and writes nothing', async () => {
    const head = await api.headPosition();
    const target = await putYear(api, 2027, { ...YEAR_2027, targets: { RSE: 0, KUBE: 120 } });
    expect(target.status).toBe(409);
    expect(errorBody(target)).toMatchObject({
      code: 'TARGET_BELOW_DISBURSED',
      field: 'targets.RSE',
      message: '2027 RSE already holds 1 disbursements; the target cannot drop to 0',
    });
    const inIndonesian = await putYear(api, 2027, {
      ...YEAR_2027,
      targets: { RSE: 0, KUBE: 120 },
    }).set('Accept-Language', 'id');
    expect(errorBody(inIndonesian)).toMatchObject({
      code: 'TARGET_BELOW_DISBURSED',
      field: 'targets.RSE',
      message:
        'RSE tahun 2027 sudah mencatat 1 penyaluran; target tidak dapat diturunkan menjadi 0',
    });
    const ceiling = await putYear(api, 2027, {
      ...YEAR_2027,
      ceilingsRupiah: { RSE: 5_000_000, KUBE: 22_000_000 },
    });
    expect(ceiling.status).toBe(409);
    expect(errorBody(ceiling)).toMatchObject({
      code: 'CEILING_BELOW_DISBURSED',
      field: 'ceilingsRupiah.RSE',
    });
    expect(errorBody(ceiling).message).toContain('Rp6000000');
    const allocation = await putYear(api, 2027, {
      ...YEAR_2027,
      allocationPerRegency: { KUBE: 13 },
      targets: { RSE: 300, KUBE: 100 },
    });
    expect(allocation.status).toBe(409);
    expect(errorBody(allocation).code).toBe('ALLOCATION_ABOVE_TARGET');
    expect(await api.headPosition()).toBe(head);
  });

  it.each([
    ['a missing target', { ...YEAR_2027, targets: { RSE: 1 } }, 'targets.KUBE'],
    ['a fractional target', { ...YEAR_2027, targets: { RSE: 1.5, KUBE: 1 } }, 'targets.RSE'],
    ['targets as a number', { ...YEAR_2027, targets: 5 }, 'targets'],
    ['a zero ceiling', { ...YEAR_2027, ceilingsRupiah: { RSE: 0, KUBE: 1 } }, 'ceilingsRupiah.RSE'],
    [
      'a text allocation',
      { ...YEAR_2027, allocationPerRegency: { KUBE: 'ten' } },
      'allocationPerRegency.KUBE',
    ],
    ['no reason', { ...YEAR_2027, reason: undefined }, 'reason'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_case, body, field) => {
    const head = await api.headPosition();
    const response = await putYear(api, 2031, body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(errorBody(response))).toContain(`"${field}`);
    expect(await api.headPosition()).toBe(head);
  });

  it('refuses a year outside 2000–2100 and every role but admin', async () => {
    expect((await putYear(api, 1999, YEAR_2027)).status).toBe(400);
    expect((await putYear(api, '2027.5', YEAR_2027)).status).toBe(400);
    for (const role of ['viewer', 'operator', 'monitor', 'auditor'] as const) {
      expect((await putYear(api, 2028, YEAR_2027, role)).status).toBe(403);
    }
  });

  it('answers a repeated definition with no new event', async () => {
    await putYear(api, 2029, YEAR_2027).expect(200);
    const again = await putYear(api, 2029, YEAR_2027).expect(200);
    expect((again.body as { position: string }).position).toBe('0');
  });
});
