import type { Response } from 'supertest';
import { API, bearer, rseBody, startApi, type Api } from '../helpers/api-client';

/** What helmet sends, checked on one kind of response after another. */
function expectSecurityHeaders(response: Response): void {
  expect(response.headers).toMatchObject({
    'content-security-policy': expect.stringContaining("default-src 'self'"),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': expect.stringContaining('max-age='),
    'cross-origin-opener-policy': 'same-origin',
  });
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(response.headers).not.toHaveProperty('x-powered-by');
}

describe('security headers', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  it.each([
    ['a health check', () => api.http.get('/health'), 200],
    ['the OpenAPI page', () => api.http.get('/docs/'), 200],
    ['the OpenAPI document', () => api.http.get('/docs-json'), 200],
    [
      'a read',
      () => api.http.get(`${API}/quota-progress`).set('Authorization', bearer('viewer')),
      200,
    ],
    [
      'a command',
      () =>
        api.http.post(`${API}/recipients`).set('Authorization', bearer('operator')).send(rseBody()),
      201,
    ],
    ['a 401', () => api.http.get(`${API}/quota-progress`), 401],
    [
      'a 400',
      () => api.http.post(`${API}/recipients`).set('Authorization', bearer('operator')).send({}),
      400,
    ],
    ['a 404', () => api.http.get('/nowhere'), 404],
  ])('on %s', async (_case, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expectSecurityHeaders(response);
  });
});

describe('CORS', () => {
  const allowed = 'https://sosial.kaltimprov.go.id';

  it('is off by default: no origin is allowed, not even in a preflight', async () => {
    const api = await startApi();
    try {
      const read = await api.http
        .get(`${API}/quota-progress`)
        .set('Origin', allowed)
        .set('Authorization', bearer('viewer'));
      expect(read.status).toBe(200);
      expect(read.headers).not.toHaveProperty('access-control-allow-origin');
      const preflight = await api.http
        .options(`${API}/recipients`)
        .set('Origin', allowed)
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers).not.toHaveProperty('access-control-allow-origin');
    } finally {
      await api.stop();
    }
  });

  describe('with CORS_ORIGINS', () => {
    let api: Api;

    beforeAll(async () => {
      api = await startApi({ env: { CORS_ORIGINS: `${allowed},http://localhost:5173` } });
    });

    afterAll(() => api.stop());

    it('answers a preflight from a listed origin with the methods and headers the API takes', async () => {
      const preflight = await api.http
        .options(`${API}/recipients`)
        .set('Origin', allowed)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
      expect(preflight.status).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': allowed,
        'access-control-allow-methods': 'GET,POST,PUT',
        'access-control-allow-headers': 'Authorization,Content-Type,Idempotency-Key,X-Request-Id',
      });
      expect(preflight.headers).not.toHaveProperty('access-control-allow-credentials');
    });

    it('lets a listed origin read answers, Retry-After and the request id included', async () => {
      const read = await api.http
        .get(`${API}/quota-progress`)
        .set('Origin', 'http://localhost:5173')
        .set('Authorization', bearer('viewer'));
      expect(read.status).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(read.headers['access-control-expose-headers']).toContain('Retry-After');
      expect(read.headers['access-control-expose-headers']).toContain('X-Request-Id');
    });

    it('allows no other origin, however close', async () => {
      for (const origin of [
        'https://evil.example',
        `${allowed}.evil.example`,
        'http://sosial.kaltimprov.go.id',
      ]) {
        const read = await api.http
          .get(`${API}/quota-progress`)
          .set('Origin', origin)
          .set('Authorization', bearer('viewer'));
        expect(read.headers).not.toHaveProperty('access-control-allow-origin');
      }
    });
  });
});

describe('BODY_LIMIT', () => {
  it('refuses a body over the configured size with 413 naming it, and reads one under it', async () => {
    const api = await startApi({ env: { BODY_LIMIT: '2kb' } });
    try {
      const over = await api.http
        .post(`${API}/recipients`)
        .set('Authorization', bearer('operator'))
        .send(rseBody({ address: 'Jl. Juanda '.repeat(200) }));
      expect(over.status).toBe(413);
      expect(over.body).toEqual({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than 2 KiB',
      });
      const under = await api.http
        .post(`${API}/recipients`)
        .set('Authorization', bearer('operator'))
        .send(rseBody({ address: 'x'.repeat(1_700) }));
      // Past the parser, into validation, which names the over-long field.
      expect(under.status).toBe(400);
      expect(under.body).toMatchObject({ code: 'INVALID_INPUT', errors: [{ field: 'address' }] });
    } finally {
      await api.stop();
    }
  });
});

describe('rate limit', () => {
  const LIMIT = 5;
  let api: Api;

  beforeEach(async () => {
    api = await startApi({ env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
  });

  afterEach(() => api.stop());

  const read = (path: string, authorization?: string) => {
    const request = api.http.get(`${API}${path}`);
    return authorization === undefined ? request : request.set('Authorization', authorization);
  };

  it('answers 429 with Retry-After and the usual error body once a token has used its minute', async () => {
    // One count for the whole API, whichever routes the token calls.
    const paths = [
      '/quota-progress',
      '/recipients',
      '/monitoring/outcomes',
      '/quota-progress',
      '/recipients',
    ];
    for (const [index, path] of paths.entries()) {
      const response = await read(path, bearer('viewer'));
      expect(response.status).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBe(String(LIMIT));
      expect(response.headers['x-ratelimit-remaining']).toBe(String(LIMIT - index - 1));
    }

    const refused = await read('/quota-progress', bearer('viewer'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `More than ${LIMIT} requests a minute from this caller; retry in ${retryAfter} s`,
    });
    expectSecurityHeaders(refused);
  });

  it('refuses a command over the limit before it runs: it writes nothing', async () => {
    for (let n = 0; n < LIMIT; n++) await read('/quota-progress', bearer('operator'));
    const before = await api.headPosition();
    const refused = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(rseBody());
    expect(refused.status).toBe(429);
    expect(await api.headPosition()).toBe(before);
  });

  it('counts a path written in another case like the same path', async () => {
    for (let n = 0; n < LIMIT; n++) await read('/recipients', bearer('viewer'));
    for (const path of ['/API/v1/recipients', '/Api/V1/quota-progress']) {
      const refused = await api.http.get(path).set('Authorization', bearer('viewer'));
      expect(refused.status).toBe(429);
    }
  });

  it('counts each token on its own', async () => {
    for (let n = 0; n < LIMIT; n++)
      expect((await read('/recipients', bearer('viewer'))).status).toBe(200);
    expect((await read('/recipients', bearer('viewer'))).status).toBe(429);
    expect((await read('/recipients', bearer('auditor'))).status).toBe(200);
  });

  it('counts requests without a valid token by client IP, apart from the tokens', async () => {
    const noToken = [undefined, 'Bearer not-a-token-at-all-0000', 'Bearer another-wrong-token-000'];
    for (let n = 0; n < LIMIT; n++) {
      expect((await read('/recipients', noToken[n % noToken.length])).status).toBe(401);
    }
    // A new wrong token does not buy a new allowance.
    const refused = await read('/recipients', 'Bearer yet-another-wrong-token-0');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await read('/recipients', bearer('viewer'))).status).toBe(200);
  });

  it('does not limit health checks or the docs', async () => {
    for (let n = 0; n < LIMIT * 3; n++) {
      expect((await api.http.get('/health')).status).toBe(200);
      expect((await api.http.get('/docs-json')).status).toBe(200);
    }
    expect((await read('/recipients', bearer('viewer'))).status).toBe(200);
  });

  it('is off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const unlimited = await startApi({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      for (let n = 0; n < 50; n++) {
        const response = await unlimited.http
          .get(`${API}/recipients`)
          .set('Authorization', bearer('viewer'));
        expect(response.status).toBe(200);
        expect(response.headers).not.toHaveProperty('x-ratelimit-limit');
      }
    } finally {
      await unlimited.stop();
    }
  });
});
