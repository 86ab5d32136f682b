import {
  API,
  bearer,
  disburse,
  mentoringBody,
  recordFollowUp,
  register,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

/** GET /monitoring/mentoring-partners: the mentoring-partners read model over HTTP. */
describe('mentoring partners', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.stop();
  });

  const mentor = (recipientId: string, partner: string, date: string) =>
    recordFollowUp(api, recipientId, 'mentoring', mentoringBody({ partner, date }));

  const read = (query: string, token: Parameters<typeof bearer>[0] = 'viewer') =>
    api.http
      .get(`${API}/monitoring/mentoring-partners?${query}`)
      .set('Authorization', bearer(token));

  it('lists the partners of a year, busiest first, partners typed alike counted as one', async () => {
    const siti = await register(api, rseBody());
    const aminah = await register(api, rseBody({ name: 'Aminah' }));
    await disburse(api, siti);
    await disburse(api, aminah);
    await mentor(siti, 'Bank Kaltimtara', '2025-08-01');
    await mentor(siti, 'Disperindagkop', '2025-08-02');
    await mentor(aminah, ' disperindagkop ', '2025-09-01');
    const position = await mentor(aminah, 'Disperindagkop', '2025-09-02');

    const response = await read(`year=2025&minPosition=${position}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      { partner: 'Disperindagkop', year: 2025, sessions: 3, lastSessionOn: '2025-09-02' },
      { partner: 'Bank Kaltimtara', year: 2025, sessions: 1, lastSessionOn: '2025-08-01' },
    ]);
    expect((await read(`year=2025&limit=1&minPosition=${position}`)).body).toHaveLength(1);
    expect((await read(`year=2024&minPosition=${position}`)).body).toEqual([]);
  });

  it.each([
    ['', 'year'],
    ['year=next', 'year'],
    ['year=2025&limit=0', 'limit'],
    ['year=2025&limit=101', 'limit'],
    ['year=2025&minPosition=-1', 'minPosition'],
  ])('refuses ?%s naming %s', async (query, field) => {
    const response = await read(query);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('is for viewers, auditors and admins, not operators', async () => {
    expect((await read('year=2025', 'operator')).status).toBe(403);
    expect((await read('year=2025', 'admin')).status).toBe(200);
  });
});
