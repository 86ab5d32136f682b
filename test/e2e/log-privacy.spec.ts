import type { AuditEntry } from '../../projections/audit-trail/audit-trail.projection';
import {
  API,
  bearer,
  disburse,
  disbursementBody,
  exhibitionBody,
  itemsWorth,
  mentoringBody,
  monitoringBody,
  read,
  recordFollowUp,
  register,
  rseBody,
  startApi,
  TOKENS,
  type Api,
  type RseBody,
} from '../helpers/api-client';
import { TRACEABLE_GROUP, TRACEABLE_WOMAN } from '../helpers/personal-data';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = 'log-privacy-e2e-0001';

interface LogLine {
  level: string;
  msg?: string;
  reqId?: string;
  route?: string;
  context?: string;
  res?: { statusCode: number };
}

/** A full run with every log line captured: none may carry personal data or a token. */
describe('structured logs of a full run', () => {
  const raw: string[] = [];
  let lines: LogLine[];
  let api: Api;
  let rseId: string;
  let tracedId: string;
  let untracedId: string;
  let untracedRequestId: string;

  const woman = TRACEABLE_WOMAN;
  const group = TRACEABLE_GROUP;
  const traced: RseBody = rseBody({ name: 'Siti Rahmah Wulandari', nik: '6472016108920007' });
  const untraced: RseBody = rseBody({ name: 'Kartika Sari Dewi', phone: '+62 813 4455 6677' });
  const unlucky: RseBody = rseBody({ name: 'Wahyuni Permata Hati', nik: '6472015508930008' });
  const people = [woman, traced, untraced, unlucky];
  const niks = [...people.map((p) => p.nik), ...group.members.map((m) => m.nik)];
  const secrets = [
    ...niks,
    // The district and date-of-birth part of each NIK, on its own.
    ...niks.map((nik) => nik.slice(4, 12)),
    ...people.map((p) => p.name),
    ...group.members.map((m) => m.name),
    group.groupName,
    woman.phone as string,
    untraced.phone as string,
    woman.address as string,
    ...Object.values(TOKENS),
  ];

  beforeAll(async () => {
    api = await startApi({ logs: { write: (line) => void raw.push(line) } });
    const operator = () =>
      api.http.post(`${API}/recipients`).set('Authorization', bearer('operator'));

    rseId = await register(api, woman);
    const kubeId = await register(api, group);
    await disburse(api, rseId);
    await disburse(api, kubeId, disbursementBody({ items: itemsWorth(20_000_000) }));
    await recordFollowUp(api, rseId, 'monitoring', monitoringBody({ notes: woman.name }));
    await recordFollowUp(api, rseId, 'mentoring', mentoringBody());
    await recordFollowUp(api, rseId, 'exhibitions', exhibitionBody());

    // One registration with the caller's request id, one without.
    const withId = await operator().set('X-Request-Id', REQUEST_ID).send(traced);
    expect(withId.status).toBe(201);
    expect(withId.headers['x-request-id']).toBe(REQUEST_ID);
    tracedId = (withId.body as { recipientId: string }).recipientId;
    const withoutId = await operator().send(untraced);
    expect(withoutId.status).toBe(201);
    untracedRequestId = withoutId.headers['x-request-id'] as string;
    untracedId = (withoutId.body as { recipientId: string }).recipientId;

    const head = await api.headPosition();
    for (const [path, role] of [
      [`/recipients?minPosition=${head}`, 'viewer'],
      [`/recipients/${rseId}`, 'monitor'],
      ['/quota-progress?year=2025', 'viewer'],
      [`/audit/trail?recipientId=${rseId}`, 'auditor'],
      ['/monitoring/outcomes?year=2025', 'viewer'],
    ] as const) {
      expect((await read(api, path, role)).status).toBe(200);
    }

    // Refusals that carry personal data in the body, the path, the query or a header.
    const refusals = await Promise.all([
      operator().send(woman),
      operator().send({ ...traced, nik: `${traced.nik}9` }),
      operator().set('Content-Type', 'application/json').send(`{"name":"${woman.name}",`),
      read(api, `/recipients/${woman.nik}`, 'operator'),
      read(api, `/recipients?name=${encodeURIComponent(woman.name)}&nik=${woman.nik}`, 'viewer'),
      api.http.get(`/no-such-page/${group.members[0].nik}?phone=${woman.phone}`),
      api.http.post(`${API}/recipients`).set('Authorization', `Bearer ${woman.nik}`).send(woman),
      api.http.post(`${API}/recipients`).set('Authorization', bearer('viewer')).send(untraced),
      operator()
        .set('X-Request-Id', `${woman.name} ${woman.nik}`)
        .send(rseBody({ nik: 'x' })),
    ]);
    expect(refusals.map((response) => response.status)).toEqual([
      409, 400, 400, 400, 400, 404, 401, 403, 400,
    ]);
    // An insane X-Request-Id is replaced by a fresh one, not echoed.
    expect(refusals[8].headers['x-request-id']).toMatch(UUID);

    // A defect while writing: the error filter logs it with its stack.
    const append = api.eventStore.appendToStreams.bind(api.eventStore);
    const failing = jest
      .spyOn(api.eventStore, 'appendToStreams')
      .mockImplementation((appends, options) =>
        appends.some(({ streamName }) => streamName.startsWith('recipient-'))
          ? Promise.reject(new Error('SQLITE_IOERR: disk I/O error'))
          : append(appends, options),
      );
    expect((await operator().send(unlucky)).status).toBe(500);
    expect(failing).toHaveBeenCalled();
    failing.mockRestore();

    lines = raw.map((line) => JSON.parse(line) as LogLine);
  });

  afterAll(() => api.stop());

  it('writes one JSON object per line: Nest lines, request lines and errors', () => {
    expect(raw.length).toBeGreaterThan(30);
    expect(raw.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.some((line) => line.msg?.includes('Defined the default programme'))).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'POST /api/v1/recipients/:id/disbursements 201',
        route: '/api/v1/recipients/:id/disbursements',
        res: { statusCode: 201 },
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', context: 'HttpError', reqId: expect.any(String) }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'POST /api/v1/recipients 500' }),
    );
  });

  it('logs no NIK, no date of birth, name, phone number, address or token', () => {
    const everything = raw.join('');
    const leaked = secrets.filter((secret) => everything.includes(secret));
    expect(leaked).toEqual([]);
  });

  it('logs the route pattern, never the URL', () => {
    expect(raw.join('')).not.toContain(rseId);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'GET none 404' }));
  });

  it('tags each request line with the request id, which becomes the events’ correlation id', async () => {
    expect(lines).toContainEqual(
      expect.objectContaining({ reqId: REQUEST_ID, msg: 'POST /api/v1/recipients 201' }),
    );
    expect(untracedRequestId).toMatch(UUID);
    expect(lines).toContainEqual(expect.objectContaining({ reqId: untracedRequestId }));

    const events = await api.eventsAfter(0n);
    const correlationOf = (recipientId: string) =>
      events
        .filter((event) => event.streamName.endsWith(recipientId))
        .map((event) => event.metadata.correlationId);
    expect(correlationOf(tracedId)).toEqual([REQUEST_ID]);
    expect(correlationOf(untracedId)).toEqual([untracedRequestId]);
  });

  it('shows the request id as correlation id in the audit trail', async () => {
    const head = await api.headPosition();
    const response = await read(
      api,
      `/audit/trail?recipientId=${tracedId}&minPosition=${head}`,
      'auditor',
    );
    expect(response.status).toBe(200);
    const entries = (response.body as { items: AuditEntry[] }).items;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.correlationId === REQUEST_ID)).toBe(true);
  });
});
