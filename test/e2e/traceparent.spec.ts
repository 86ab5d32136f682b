import { API, bearer, register, rseBody, startApi, type Api } from '../helpers/api-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;
/** Valid in shape, but its parent-id is sixteen digits: it could be a NIK. */
const NIK_TRACEPARENT = `00-${TRACE_ID}-6472054105900001-01`;

interface LogLine {
  reqId?: string;
  traceId?: string;
  route?: string;
  res?: { statusCode: number };
}

/**
 * A W3C traceparent joins the request to the caller's trace: its trace-id is in the log line and
 * is the correlation id of the events written; X-Request-Id still names the one request.
 */
describe('traceparent', () => {
  const raw: string[] = [];
  let api: Api;

  const register201 = (headers: Record<string, string>) => {
    let post = api.http.post(`${API}/recipients`).set('Authorization', bearer('operator'));
    for (const [name, value] of Object.entries(headers)) post = post.set(name, value);
    return post.send(rseBody()).expect(201);
  };
  const requestLines = (reqId: string) =>
    raw
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.reqId === reqId && line.route === `${API}/recipients`);

  beforeAll(async () => {
    api = await startApi({ logs: { write: (line) => void raw.push(line) } });
    await register(api, rseBody());
  });

  afterAll(() => api.stop());

  it('gives its trace-id to the log line and as the correlation id; X-Request-Id stays the request’s', async () => {
    const before = await api.headPosition();
    const answer = await register201({ traceparent: TRACEPARENT, 'X-Request-Id': 'gw-0001' });
    expect(answer.headers['x-request-id']).toBe('gw-0001');
    expect(requestLines('gw-0001')).toEqual([
      expect.objectContaining({
        res: { statusCode: 201 },
        traceId: TRACE_ID,
        traceparent: TRACEPARENT,
      }),
    ]);
    const written = await api.eventsAfter(before);
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((event) => event.metadata.correlationId)).toEqual(
      written.map(() => TRACE_ID),
    );
  });

  it('leaves a request without X-Request-Id a fresh id of its own', async () => {
    const answer = await register201({ traceparent: TRACEPARENT });
    const id = answer.headers['x-request-id'] as string;
    expect(id).toMatch(UUID);
    expect(requestLines(id)).toEqual([expect.objectContaining({ traceId: TRACE_ID })]);
  });

  it.each([
    ['upper-case hex', TRACEPARENT.toUpperCase()],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ['a NIK in it', NIK_TRACEPARENT],
    ['junk', 'kurang-ajar <script>'],
  ])(
    'with %s is ignored, never refused: the request id is the correlation id',
    async (_label, junk) => {
      const before = await api.headPosition();
      const withId = await register201({ traceparent: junk, 'X-Request-Id': 'gw-0002' });
      expect(withId.headers['x-request-id']).toBe('gw-0002');
      const written = await api.eventsAfter(before);
      expect(new Set(written.map((event) => event.metadata.correlationId))).toEqual(
        new Set(['gw-0002']),
      );
      const without = await register201({ traceparent: junk });
      expect(without.headers['x-request-id']).toMatch(UUID);
      const [line] = requestLines(without.headers['x-request-id'] as string);
      expect(line).toBeDefined();
      expect(line.traceId).toBeUndefined();
    },
  );

  it('never writes a refused traceparent to the log', () => {
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) {
      expect(line).not.toContain('6472054105900001');
      expect(line).not.toContain('<script>');
      expect(line).not.toContain(TRACE_ID.toUpperCase());
    }
  });
});
