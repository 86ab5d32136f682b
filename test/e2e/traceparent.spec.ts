import { API, bearer, register, rseBody, startApi, type Api } from '../helpers/api-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;
/** Valid in shape, but its parent-id is sixteen digits: it could be a NIK. */
const NIK_TRACEPARENT = `00-${TRACE_ID}-6472054105900001-01`;

interface LogLine {
  reqId?: string;
  route?: string;
  res?: { statusCode: number };
}

/** A W3C traceparent names the request in the answer, the log line and the events it writes. */
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

  it('gives its trace-id as X-Request-Id, in the request log line and as the correlation id', async () => {
    const before = await api.headPosition();
    const answer = await register201({ traceparent: TRACEPARENT, 'X-Request-Id': 'gw-0001' });
    expect(answer.headers['x-request-id']).toBe(TRACE_ID);
    expect(requestLines(TRACE_ID)).toEqual([
      expect.objectContaining({ res: { statusCode: 201 }, traceparent: TRACEPARENT }),
    ]);
    const written = await api.eventsAfter(before);
    expect(written.length).toBeGreaterThan(0);
    expect(written.map((event) => event.metadata.correlationId)).toEqual(
      written.map(() => TRACE_ID),
    );
  });

  it.each([
    ['upper-case hex', TRACEPARENT.toUpperCase()],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`],
    ['a NIK in it', NIK_TRACEPARENT],
    ['junk', 'kurang-ajar <script>'],
  ])('with %s is ignored, never refused: X-Request-Id, else a fresh id', async (_label, junk) => {
    const withId = await register201({ traceparent: junk, 'X-Request-Id': 'gw-0002' });
    expect(withId.headers['x-request-id']).toBe('gw-0002');
    const without = await register201({ traceparent: junk });
    expect(without.headers['x-request-id']).toMatch(UUID);
    expect(requestLines(without.headers['x-request-id'] as string)).toHaveLength(1);
  });

  it('never writes a refused traceparent to the log', () => {
    expect(raw.length).toBeGreaterThan(0);
    for (const line of raw) {
      expect(line).not.toContain('6472054105900001');
      expect(line).not.toContain('<script>');
      expect(line).not.toContain(TRACE_ID.toUpperCase());
    }
  });
});
