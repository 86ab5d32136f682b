import {
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
  /** The roles the route names; a token holding any of them may read. */
  roles: string[];
}

const DASHBOARD_ROLES = ['viewer', 'auditor', 'admin'];

const ENDPOINTS: ReadEndpoint[] = [
  { name: 'GET /quota-progress', path: '/quota-progress?year=2025', roles: DASHBOARD_ROLES },
  { name: 'GET /recipients', path: '/recipients?kind=RSE', roles: DASHBOARD_ROLES },
  { name: 'GET /recipients/{id}', path: '/recipients/{id}', roles: DASHBOARD_ROLES },
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
    recipientId = await register(api, rseBody());
  });

  afterAll(() => api.stop());

  const pathOf = (endpoint: ReadEndpoint) => endpoint.path.replace('{id}', recipientId);

  const sendWith = (path: string, header: string | undefined) => {
    const request = read(api, path);
    return header === undefined ? request : request.set('Authorization', header);
  };

  it('the matrix covers every token on every endpoint', () => {
    expect(allowed.length + forbidden.length).toBe(ENDPOINTS.length * TOKEN_NAMES.length);
    expect(allowed.map(({ name, token }) => `${name} ${token}`)).toEqual(
      expect.arrayContaining([
        'GET /audit/trail auditor',
        'GET /audit/trail bystander',
        'GET /quota-progress viewer',
        'GET /quota-progress admin',
      ]),
    );
    expect(forbidden.map(({ name, token }) => `${name} ${token}`)).toEqual(
      expect.arrayContaining([
        'GET /audit/trail admin',
        'GET /audit/trail viewer',
        'GET /recipients operator',
        'GET /monitoring/outcomes monitor',
      ]),
    );
  });

  it.each(unauthenticated)('$name with $credential → 401', async (endpoint) => {
    const response = await sendWith(pathOf(endpoint), endpoint.header);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'A valid bearer token is required',
    });
  });

  it.each(forbidden)('$name as $token → 403', async (endpoint) => {
    const response = await read(api, pathOf(endpoint), endpoint.token);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: `This needs the role ${endpoint.roles.join(' or ')}`,
    });
  });

  it.each(allowed)('$name as $token → 200', async (endpoint) => {
    const response = await read(api, pathOf(endpoint), endpoint.token);
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
  });

  it.each(ENDPOINTS)('$name checks the token before the query: 401, not 400', async (endpoint) => {
    const response = await sendWith(
      `${pathOf(endpoint)}${endpoint.path.includes('?') ? '&' : '?'}bogus=1`,
      undefined,
    );
    expect(response.status).toBe(401);
  });

  it.each(ENDPOINTS)('$name checks the role before the query: 403, not 400', async (endpoint) => {
    const response = await read(
      api,
      `${pathOf(endpoint)}${endpoint.path.includes('?') ? '&' : '?'}bogus=1`,
      'operator',
    );
    expect(response.status).toBe(403);
  });
});
