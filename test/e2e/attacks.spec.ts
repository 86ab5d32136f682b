import type { Test } from 'supertest';
import {
  API,
  bearer,
  disbursementBody,
  disburse,
  kubeBody,
  mentoringBody,
  nextNik,
  register,
  rseBody,
  startApi,
  type Api,
  type TokenName,
} from '../helpers/api-client';
import { LIVENESS_BOUND_MS, slowestLivenessDuring } from '../helpers/liveness';

/**
 * Inputs an attacker sends, each answered with a 4xx naming the field or header and the rule,
 * writing nothing, and never stalling other requests: while each is handled, `/health/live` is
 * probed without pause and must answer within 200 ms.
 */
interface Attack {
  name: string;
  send: (api: Api, ids: Ids) => Test;
  status: number;
  code: string;
  /** The field or header the answer names, in `field` or in one of `errors`. */
  field?: string;
}

interface Ids {
  recipientId: string;
  disbursementId: string;
}

const ZWSP = '\u200b';

const post =
  (path: string, token: TokenName = 'operator') =>
  (api: Api) =>
    api.http.post(`${API}${path}`).set('Authorization', bearer(token));

const get =
  (path: string, token: TokenName = 'auditor') =>
  (api: Api) =>
    api.http.get(`${API}${path}`).set('Authorization', bearer(token));

/** A JSON text sent as it is written, so that it can hold what JSON.stringify would not. */
const raw = (request: Test, text: string | Buffer) =>
  request
    .set('Content-Type', 'application/json')
    .serialize((body: string) => body)
    .send(text as string);

const registration = (fields: Record<string, unknown>) => (api: Api) =>
  post('/recipients')(api).send({ ...rseBody(), ...fields });

/** The JSON of an RSE registration with `name` written raw (escapes kept as written). */
const rseWithRawName = (nameJson: string) =>
  JSON.stringify(rseBody()).replace(/"name":"[^"]*"/, `"name":${nameJson}`);

const wideBody = (fields: number) =>
  `{${Array.from({ length: fields }, (_, n) => `"f${n}":0`).join(',')}}`;

const ATTACKS: Attack[] = [
  // The body, before anything reads it.
  {
    name: 'a gzip Content-Encoding whose body is not gzip, without a token',
    send: (api) =>
      raw(api.http.post(`${API}/recipients`).set('Content-Encoding', 'gzip'), 'not gzip at all'),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a gzip Content-Encoding whose body is not gzip, with a token',
    send: (api) => raw(post('/recipients')(api).set('Content-Encoding', 'gzip'), 'not gzip at all'),
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    field: 'Content-Encoding',
  },
  {
    name: 'an anonymous 0.7 MB body',
    send: (api) => raw(api.http.post(`${API}/recipients`), wideBody(60_000)),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'a 0.98 MB body of 90,000 unknown fields',
    send: (api) => raw(post('/recipients')(api), wideBody(90_000)),
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'a body nested 10,000 levels deep',
    send: (api) => raw(post('/recipients')(api), `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'a body giving nik twice (the last would win)',
    send: (api) =>
      raw(
        post('/recipients')(api),
        JSON.stringify(rseBody()).replace('{', `{"nik":"${nextNik('female')}",`),
      ),
    status: 400,
    code: 'INVALID_BODY',
    field: 'nik',
  },
  {
    name: 'a body that is not UTF-8',
    send: (api) => {
      const [head, tail] = JSON.stringify(rseBody({ name: 'Siti @@ Aminah' })).split('@@');
      return raw(
        post('/recipients')(api),
        Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe]), Buffer.from(tail)]),
      );
    },
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'a body declaring another charset',
    send: (api) =>
      post('/recipients')(api)
        .set('Content-Type', 'application/json; charset=latin1')
        .serialize((body: string) => body)
        .send(JSON.stringify(rseBody())),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    field: 'Content-Type',
  },
  {
    name: 'a JSON body sent as text/plain',
    send: (api) =>
      post('/recipients')(api).set('Content-Type', 'text/plain').send(JSON.stringify(rseBody())),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    field: 'Content-Type',
  },
  {
    name: 'a field named prototype (Nest would drop it silently)',
    send: (api, { recipientId }) =>
      post(
        `/recipients/${recipientId}/exhibitions`,
        'monitor',
      )(api).send({
        prototype: 1,
        name: 'Pameran UMKM Samarinda',
        date: '2025-09-03',
      }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'prototype',
  },
  // Query and path parameters, as strictly as bodies.
  ...['1e20', '1e308', '9007199254740993', '-1', '0x10', ' 5'].map((offset) => ({
    name: `GET /recipients?offset=${offset}`,
    send: get(`/recipients?offset=${encodeURIComponent(offset)}`, 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'offset',
  })),
  {
    name: 'GET /audit/trail?offset=1e20',
    send: get('/audit/trail?offset=1e20'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'offset',
  },
  {
    name: 'GET /quota-progress?year=1e9',
    send: get('/quota-progress?year=1e9', 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'year',
  },
  {
    name: 'GET /audit/quota-progress?year=99999999999999999999',
    send: get('/audit/quota-progress?year=99999999999999999999'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'year',
  },
  {
    name: 'GET /recipients?constructor=1&hasOwnProperty=1',
    send: get('/recipients?constructor=1&hasOwnProperty=1', 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'constructor',
  },
  {
    name: 'GET /recipients?prototype=1',
    send: get('/recipients?prototype=1', 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'prototype',
  },
  {
    name: 'GET /recipients?minPosition= beyond any position a store can give',
    send: get('/recipients?minPosition=99999999999999999999', 'viewer'),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'minPosition',
  },
  {
    name: 'PUT /programme/allocations/0x7E9/RSE/64.72',
    send: (api) =>
      api.http
        .put(`${API}/programme/allocations/0x7E9/RSE/64.72`)
        .set('Authorization', bearer('admin'))
        .send({ quota: 10 }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'year',
  },
  // Text fields.
  ...(
    [
      ['made only of zero-width spaces', JSON.stringify(ZWSP.repeat(3))],
      ['with a NUL byte', JSON.stringify('Siti\u0000 Aminah')],
      ['with ANSI escape codes', JSON.stringify('\u001b[2JSiti')],
      ['with a bidi override', JSON.stringify('Siti \u202eanimA')],
      ['with a lone surrogate', '"Siti \\ud800 Aminah"'],
      ['holding what invalid UTF-8 becomes', JSON.stringify('Siti \ufffd Aminah')],
      ['of digits only', JSON.stringify('12345')],
    ] as const
  ).map(([what, nameJson]) => ({
    name: `a name ${what}`,
    send: (api: Api) => raw(post('/recipients')(api), rseWithRawName(nameJson)),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'name',
  })),
  {
    name: 'a KUBe member name with a C1 control character',
    send: (api) =>
      post('/recipients')(api).send(
        kubeBody({
          members: kubeBody().members.map((m, n) => (n === 2 ? { ...m, name: 'Budi\u0085' } : m)),
        }),
      ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'members.2.name',
  },
  {
    name: 'a reversal reason of one zero-width space',
    send: (api, { disbursementId }) =>
      post(`/disbursements/${disbursementId}/reversal`)(api).send({ reason: ZWSP }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'reason',
  },
  {
    name: 'a mentoring partner with a bidi isolate',
    send: (api, { recipientId }) =>
      post(
        `/recipients/${recipientId}/mentoring`,
        'monitor',
      )(api).send(mentoringBody({ partner: 'Disperindagkop\u2066' })),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'partner',
  },
  // NIK regions.
  {
    name: 'a NIK of a province that does not exist (99)',
    send: registration({ nik: nextNik('female').replace(/^\d{2}/, '99') }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  {
    name: 'a NIK of a Kalimantan Timur regency that does not exist (64.99)',
    send: registration({ nik: nextNik('female').replace(/^\d{4}/, '6499') }),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'nik',
  },
  // Inputs refused before this suite, kept in the table.
  {
    name: 'a disbursement for a year written 1e3',
    send: (api, { recipientId }) =>
      raw(
        post(`/recipients/${recipientId}/disbursements`)(api),
        JSON.stringify(disbursementBody()).replace(/"year":\d+/, '"year":"1e3"'),
      ),
    status: 400,
    code: 'INVALID_INPUT',
    field: 'year',
  },
];

describe('attacks: a 4xx naming what is wrong, nothing written, nothing stalled', () => {
  let api: Api;
  const ids = {} as Ids;

  beforeAll(async () => {
    api = await startApi();
    ids.recipientId = await register(api, rseBody());
    ids.disbursementId = await disburse(api, ids.recipientId);
  });

  afterAll(() => api.stop());

  it.each(ATTACKS)('$name → $status $code', async ({ send, status, code, field }) => {
    const before = await api.headPosition();
    const { result: response, slowestMs } = await slowestLivenessDuring(api, async () =>
      send(api, ids),
    );
    expect(response.status).toBe(status);
    const body = response.body as { code: string; field?: string; errors?: { field: string }[] };
    expect(body.code).toBe(code);
    if (field) {
      const named = [body.field, ...(body.errors ?? []).map((error) => error.field)];
      expect(named).toContain(field);
    }
    expect(await api.headPosition()).toBe(before);
    expect(slowestMs).toBeLessThan(LIVENESS_BOUND_MS);
  });

  it('refuses a request id that is a NIK written with dots: the id is not stored', async () => {
    const nik = nextNik('female');
    const dotted = `${nik.slice(0, 4)}.${nik.slice(4, 8)}.${nik.slice(8, 12)}.${nik.slice(12)}`;
    const response = await post('/recipients')(api).set('X-Request-Id', dotted).send(rseBody());
    expect(response.status).toBe(201);
    expect(response.headers['x-request-id']).not.toBe(dotted);
    const events = await api.eventsAfter(0n);
    expect(JSON.stringify(events.map((event) => event.metadata))).not.toContain(dotted);
  });
});
