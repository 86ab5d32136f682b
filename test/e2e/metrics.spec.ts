import {
  API,
  bearer,
  disburse,
  disbursementBody,
  register,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

/** The value of one sample line of the Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let api: Api;
  let recipientId: string;
  let text: string;

  beforeAll(async () => {
    api = await startApi();
    recipientId = await register(api, rseBody());
    await disburse(api, recipientId);
    const again = await api.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(disbursementBody());
    expect(again.status).toBe(409);
    await api.http.get(`${API}/recipients/${recipientId}`).set('Authorization', bearer('monitor'));
    await api.http.get('/no-such-page').expect(404);
    await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .set('Content-Type', 'application/json')
      .send('{"kind":')
      .expect(400);
    // The projections have applied everything, so that they have counted it.
    const head = await api.headPosition();
    await api.http
      .get(`${API}/quota-progress?year=2025&minPosition=${head}`)
      .set('Authorization', bearer('viewer'))
      .expect(200);
    const response = await api.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    text = response.text;
  });

  afterAll(() => api.stop());

  it('counts HTTP requests by method, route pattern and status, never by raw URL', () => {
    expect(
      sample(text, 'http_requests_total{method="POST",route="/api/v1/recipients",status="201"}'),
    ).toBe(1);
    const disbursements = '/api/v1/recipients/:id/disbursements';
    expect(
      sample(text, `http_requests_total{method="POST",route="${disbursements}",status="201"}`),
    ).toBe(1);
    expect(
      sample(text, `http_requests_total{method="POST",route="${disbursements}",status="409"}`),
    ).toBe(1);
    expect(
      sample(text, 'http_requests_total{method="GET",route="/api/v1/recipients/:id",status="200"}'),
    ).toBe(1);
    // Unknown paths and bodies refused before routing have no route.
    expect(sample(text, 'http_requests_total{method="GET",route="none",status="404"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="POST",route="none",status="400"}')).toBe(1);
    expect(text).not.toContain(recipientId);
    expect(text).not.toContain('no-such-page');
  });

  it('has a latency histogram per route and status', () => {
    const series =
      'http_request_duration_seconds_count{method="POST",route="/api/v1/recipients",status="201"}';
    expect(sample(text, series)).toBe(1);
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/v1/recipients",status="201"} 1',
    );
  });

  it('counts commands by type and outcome: accepted, or the code the client was answered', () => {
    expect(
      sample(text, 'bansos_commands_total{command="RegisterRecipient",outcome="accepted"}'),
    ).toBe(1);
    expect(sample(text, 'bansos_commands_total{command="DisburseAid",outcome="accepted"}')).toBe(1);
    expect(
      sample(text, 'bansos_commands_total{command="DisburseAid",outcome="ALREADY_DISBURSED"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'bansos_command_duration_seconds_count{command="DisburseAid",outcome="accepted"}',
      ),
    ).toBe(1);
  });

  it('times appends to the event store', () => {
    const appends = sample(
      text,
      'bansos_event_store_append_duration_seconds_count{adapter="sqlite",outcome="ok"}',
    );
    // The programme defined at start-up, a NIK claim, the registration, the disbursement's slot
    // and the disbursement: at least five.
    expect(appends).toBeGreaterThanOrEqual(5);
  });

  it('reports projection lag, events processed and whether the stores answer', async () => {
    const head = await api.headPosition();
    expect(sample(text, 'bansos_projection_lag_events{projection="quota-progress"}')).toBe(0);
    expect(sample(text, 'bansos_projection_lag_seconds{projection="audit-trail"}')).toBe(0);
    expect(sample(text, 'bansos_projection_events_processed_total{projection="audit-trail"}')).toBe(
      Number(head),
    );
    expect(sample(text, 'bansos_store_up{store="event_store"}')).toBe(1);
    expect(sample(text, 'bansos_store_up{store="read_store"}')).toBe(1);
  });

  it('includes the process metrics', () => {
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'metrics-scrape-token-0001';
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ env: { METRICS_TOKEN: token } });
  });

  afterAll(() => api.stop());

  it('answers 401 without the token, and with an API token', async () => {
    for (const authorization of [undefined, bearer('admin'), `Bearer ${token}x`]) {
      const request = api.http.get('/metrics');
      if (authorization) request.set('Authorization', authorization);
      const response = await request;
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('answers 200 with it, counting only its own app (a registry per app)', async () => {
    const response = await api.http.get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain(
      'http_requests_total{method="GET",route="/metrics",status="401"} 3',
    );
    expect(response.text).not.toContain('route="/api/v1/recipients"');
  });
});
