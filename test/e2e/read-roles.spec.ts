import {
  API,
  bearer,
  read,
  register,
  rseBody,
  startApi,
  TOKENS,
  type Api,
  type TokenName,
} from '../helpers/api-client';

interface ReadEndpoint {
  name: string;
  /** Path under /api/v1; `{id}` stands for a registered recipient. */
  path: string;
  /** A read sent as POST carries its parameters in this body (a NIK is never in a URL). */
  body?: object;
  /** The roles the route names; a token holding any of them may read. */
  roles: string[];
}

const DASHBOARD_ROLES = ['viewer', 'auditor', 'admin'];
/** Who sees the registry's names: the roles that find, correct, follow up or audit recipients. */
const REGISTRY_ROLES = ['operator', 'monitor', 'auditor', 'admin'];
const SITI_NIK = '6472055203900001';

const ENDPOINTS: ReadEndpoint[] = [
  { name: 'GET /quota-progress', path: '/quota-progress?year=2025', roles: DASHBOARD_ROLES },
  // A viewer may ask, and gets counts only (test/e2e/find-recipient.spec.ts).
  { name: 'GET /recipients', path: '/recipients?kind=RSE', roles: ['viewer', ...REGISTRY_ROLES] },
  { name: 'GET /recipients/{id}', path: '/recipients/{id}', roles: REGISTRY_ROLES },
  {
    name: 'POST /recipients/lookup',
    path: '/recipients/lookup',
    body: { nik: SITI_NIK },
    roles: REGISTRY_ROLES,
  },
  { name: 'GET /audit/trail', path: '/audit/trail?limit=5', roles: ['auditor'] },
  { name: 'GET /monitoring/outcomes', path: '/monitoring/outcomes', roles: DASHBOARD_ROLES },
];

/** The roles each e2e token holds (`bystander` is an auditor and a viewer). */
const TOKEN_ROLES: Record<TokenName, string[]> = {
  admin: ['admin'],
  operator: ['operator'],
  monitor: ['monitor'],
  auditor: ['auditor'],
  viewer: ['viewer'],
  bystander: ['auditor', 'viewer'],
};

const TOKEN_NAMES = Object.keys(TOKENS) as TokenName[];

const mayRead = (endpoint: ReadEndpoint, token: TokenName) =>
  TOKEN_ROLES[token].some((role) => endpoint.roles.includes(role));

const allowed = ENDPOINTS.flatMap((endpoint) =>
  TOKEN_NAMES.filter((token) => mayRead(endpoint, token)).map((token) => ({ ...endpoint, token })),
);

const forbidden = ENDPOINTS.flatMap((endpoint) =>
  TOKEN_NAMES.filter((token) => !mayRead(endpoint, token)).map((token) => ({
    ...endpoint,
    token,
  })),
);

/** Authorization headers that identify nobody. */
const BAD_CREDENTIALS: [string, string | undefined][] = [
  ['no Authorization header', undefined],
  ['an unknown bearer token', 'Bearer e2e-unknown-token-0000001'],
  ['a known token without the Bearer scheme', TOKENS.viewer],
  ['a known token in lower-case scheme', `bearer ${TOKENS.auditor}`],
  ['a known token with a character dropped', `Bearer ${TOKENS.viewer.slice(0, -1)}`],
];

const unauthenticated = ENDPOINTS.flatMap((endpoint) =>
  BAD_CREDENTIALS.map(([credential, header]) => ({ ...endpoint, credential, header })),
);

describe('roles: who may call each read endpoint', () => {
  let api: Api;
  let recipientId: string;

  beforeAll(async () => {
    api = await startApi();
    recipientId = await register(api, rseBody({ nik: SITI_NIK }));
  });

  afterAll(() => api.stop());

  const pathOf = (endpoint: ReadEndpoint) => endpoint.path.replace('{id}', recipientId);

  /** The endpoint's request, with `query` added to its URL, and `header` as Authorization. */
  const sendWith = (endpoint: ReadEndpoint, header: string | undefined, query = '') => {
    const path = `${pathOf(endpoint)}${query && (endpoint.path.includes('?') ? '&' : '?')}${query}`;
    const request = endpoint.body
      ? api.http.post(`${API}${path}`).send(endpoint.body)
      : read(api, path);
    return header === undefined ? request : request.set('Authorization', header);
  };

  const sendAs = (endpoint: ReadEndpoint, token: TokenName, query = '') =>
    sendWith(endpoint, bearer(token), query);

  it('the matrix covers every token on every endpoint', () => {
    expect(allowed.length + forbidden.length).toBe(ENDPOINTS.length * TOKEN_NAMES.length);
    expect(allowed.map(({ name, token }) => `${name} ${token}`)).toEqual(
      expect.arrayContaining([
        'GET /audit/trail auditor',
        'GET /audit/trail bystander',
        'GET /quota-progress viewer',
        'GET /quota-progress admin',
        'GET /recipients viewer',
        'GET /recipients operator',
        'GET /recipients monitor',
        'GET /recipients/{id} monitor',
        'POST /recipients/lookup operator',
        'POST /recipients/lookup bystander',
      ]),
    );
    expect(forbidden.map(({ name, token }) => `${name} ${token}`)).toEqual(
      expect.arrayContaining([
        'GET /audit/trail admin',
        'GET /audit/trail viewer',
        'GET /recipients/{id} viewer',
        'POST /recipients/lookup viewer',
        'GET /monitoring/outcomes monitor',
      ]),
    );
  });

  it.each(unauthenticated)('$name with $credential → 401', async (endpoint) => {
    const response = await sendWith(endpoint, endpoint.header);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'A valid bearer token is required',
    });
  });

  it.each(forbidden)('$name as $token → 403', async (endpoint) => {
    const response = await sendAs(endpoint, endpoint.token);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: `This needs the role ${endpoint.roles.join(' or ')}`,
    });
  });

  it.each(allowed)('$name as $token → 200', async (endpoint) => {
    const response = await sendAs(endpoint, endpoint.token);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
  });

  it.each(ENDPOINTS)('$name checks the token before the query: 401, not 400', async (endpoint) => {
    const response = await sendWith(endpoint, undefined, 'bogus=1');
    expect(response.status).toBe(401);
  });

  /** Each endpoint some token may not read, with the first such token. */
  const closed = ENDPOINTS.flatMap((endpoint) => {
    const token = TOKEN_NAMES.find((name) => !mayRead(endpoint, name));
    return token === undefined ? [] : [{ ...endpoint, token }];
  });

  it('every endpoint but the counts of GET /recipients is closed to some token', () => {
    expect(ENDPOINTS.filter((endpoint) => !closed.some((c) => c.name === endpoint.name))).toEqual([
      expect.objectContaining({ name: 'GET /recipients' }),
    ]);
  });

  it.each(closed)(
    '$name checks the role before the query: 403 for $token, not 400',
    async (endpoint) => {
      const response = await sendAs(endpoint, endpoint.token, 'bogus=1');
      expect(response.status).toBe(403);
    },
  );
});
