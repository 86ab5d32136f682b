import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import {
  API,
  bearer,
  startApi,
  TOKENS,
  type Api,
  type Http,
  type TokenName,
} from '../helpers/api-client';

interface Endpoint {
  name: string;
  role: TokenName;
  send: (http: Http) => Test;
}

const someId = randomUUID();

/** Every write endpoint and the one role it needs. Bodies are empty: the guard answers first. */
const ENDPOINTS: Endpoint[] = [
  {
    name: 'PUT /programme/allocations/{year}/{kind}/{regencyCode}',
    role: 'admin',
    send: (http) => http.put(`${API}/programme/allocations/2025/KUBE/64.72`).send({}),
  },
  {
    name: 'POST /recipients',
    role: 'operator',
    send: (http) => http.post(`${API}/recipients`).send({}),
  },
  {
    name: 'POST /recipients/{id}/disbursements',
    role: 'operator',
    send: (http) => http.post(`${API}/recipients/${someId}/disbursements`).send({}),
  },
  {
    name: 'POST /disbursements/{id}/reversal',
    role: 'operator',
    send: (http) => http.post(`${API}/disbursements/${someId}.1/reversal`).send({}),
  },
  {
    name: 'POST /recipients/{id}/monitoring',
    role: 'monitor',
    send: (http) => http.post(`${API}/recipients/${someId}/monitoring`).send({}),
  },
  {
    name: 'POST /recipients/{id}/mentoring',
    role: 'monitor',
    send: (http) => http.post(`${API}/recipients/${someId}/mentoring`).send({}),
  },
  {
    name: 'POST /recipients/{id}/exhibitions',
    role: 'monitor',
    send: (http) => http.post(`${API}/recipients/${someId}/exhibitions`).send({}),
  },
  {
    name: 'POST /recipients/{id}/erasure',
    role: 'admin',
    send: (http) => http.post(`${API}/recipients/${someId}/erasure`).send({}),
  },
];

const TOKEN_NAMES = Object.keys(TOKENS) as TokenName[];

/** Authorization headers that identify nobody. */
const BAD_CREDENTIALS: [string, string | undefined][] = [
  ['no Authorization header', undefined],
  ['an unknown bearer token', 'Bearer e2e-unknown-token-0000001'],
  ['a known token without the Bearer scheme', TOKENS.admin],
  ['a known token under the Basic scheme', `Basic ${TOKENS.operator}`],
  ['a known token in lower-case scheme', `bearer ${TOKENS.monitor}`],
  ['a known token with a character dropped', `Bearer ${TOKENS.operator.slice(0, -1)}`],
  ['Bearer with no token', 'Bearer '],
];

const unauthenticated = ENDPOINTS.flatMap((endpoint) =>
  BAD_CREDENTIALS.map(([credential, header]) => ({ ...endpoint, credential, header })),
);

const wrongRole = ENDPOINTS.flatMap((endpoint) =>
  TOKEN_NAMES.filter((token) => token !== endpoint.role).map((token) => ({ ...endpoint, token })),
);

describe('roles: who may call each write endpoint', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  /** Sends the request and checks that, whatever it answered, it wrote no event. */
  async function sendAs(endpoint: Endpoint, authorization: string | undefined) {
    const before = await api.headPosition();
    const request = endpoint.send(api.http);
    const response = await (authorization === undefined
      ? request
      : request.set('Authorization', authorization));
    expect({ eventsWritten: (await api.headPosition()) - before }).toEqual({ eventsWritten: 0n });
    return response;
  }

  it.each(unauthenticated)('$name with $credential → 401', async (endpoint) => {
    const response = await sendAs(endpoint, endpoint.header);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'A valid bearer token is required',
    });
  });

  it.each(wrongRole)('$name as $token → 403', async (endpoint) => {
    const response = await sendAs(endpoint, bearer(endpoint.token));
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: `This needs the role ${endpoint.role}`,
    });
  });

  it.each(ENDPOINTS)(
    '$name as $role → past the guard (400 for the empty body)',
    async (endpoint) => {
      const response = await sendAs(endpoint, bearer(endpoint.role));
      expect(response.status).not.toBe(401);
      expect(response.status).not.toBe(403);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'INVALID_INPUT' });
    },
  );

  it('GET /health needs no token', async () => {
    const response = await api.http.get('/health');
    expect(response.status).toBe(200);
  });
});
