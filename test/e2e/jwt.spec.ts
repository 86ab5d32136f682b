import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { API, bearer, rseBody, startApi, type Api } from '../helpers/api-client';

const SECRET = 'jwt-e2e-shared-secret-0123456789abcdef';

/** A token for `claims`, signed with HS256 by `secret`, valid for five minutes unless told. */
function hs256(
  claims: JWTPayload,
  secret = SECRET,
  expiresAt: string | number = '5m',
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

describe('JWT bearer tokens', () => {
  it('counts a caller once for the rate limit, however many tokens it is issued', async () => {
    const limited = await startApi({ env: { JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const get = async (claims: JWTPayload) =>
        (
          await limited.http
            .get(`${API}/quota-progress`)
            .set('Authorization', `Bearer ${await hs256(claims)}`)
        ).status;
      // A fresh token for each request, as an identity provider re-issues them.
      for (let n = 0; n < 3; n++)
        expect(await get({ sub: 'viewer-1', roles: ['viewer'], n })).toBe(200);
      expect(await get({ sub: 'viewer-1', roles: ['viewer'], n: 3 })).toBe(429);
      expect(await get({ sub: 'viewer-2', roles: ['viewer'] })).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  describe('verified with a shared secret (HS256)', () => {
    let api: Api;

    beforeAll(async () => {
      api = await startApi({ env: { JWT_SECRET: SECRET } });
    });

    afterAll(() => api.stop());

    const register = (authorization: string) =>
      api.http.post(`${API}/recipients`).set('Authorization', authorization).send(rseBody());

    it('takes the actor from `sub` and the roles from `roles`, recorded in event metadata', async () => {
      const token = await hs256({ sub: 'operator.samarinda', roles: ['operator', 'unknown-role'] });
      const response = await register(`Bearer ${token}`);
      expect(response.status).toBe(201);
      const { recipientId } = response.body as { recipientId: string };
      const registered = (await api.eventsAfter()).find(
        (event) => event.streamName === `recipient-${recipientId}`,
      );
      expect(registered?.metadata.actor).toBe('operator.samarinda');
    });

    it('still accepts the static tokens beside JWT', async () => {
      expect((await register(bearer('operator'))).status).toBe(201);
    });

    it('answers 403 for a role the token does not hold', async () => {
      const token = await hs256({ sub: 'viewer.balikpapan', roles: ['viewer'] });
      const response = await register(`Bearer ${token}`);
      expect(response.status).toBe(403);
      expect(response.body).toEqual({
        statusCode: 403,
        code: 'FORBIDDEN',
        message: 'This needs the role operator',
      });
      expect(
        (await api.http.get(`${API}/quota-progress`).set('Authorization', `Bearer ${token}`))
          .status,
      ).toBe(200);
    });

    it.each([
      ['no roles claim', { sub: 'someone' }],
      ['only roles this service does not know', { sub: 'someone', roles: ['root', 'superuser'] }],
      ['a roles claim that is not a list', { sub: 'someone', roles: { admin: true } }],
    ])('answers 403 everywhere for a token with %s', async (_case, claims) => {
      const token = await hs256(claims);
      for (const response of [
        await register(`Bearer ${token}`),
        await api.http.get(`${API}/quota-progress`).set('Authorization', `Bearer ${token}`),
      ]) {
        expect(response.status).toBe(403);
        expect(response.body).toEqual({
          statusCode: 403,
          code: 'FORBIDDEN',
          message:
            'The bearer token holds none of the roles admin, operator, monitor, auditor, viewer',
        });
      }
    });

    it.each([
      [
        'an expired token',
        () => hs256({ sub: 'a', roles: ['operator'] }, SECRET, Math.floor(Date.now() / 1000) - 60),
        'The bearer token has expired',
      ],
      [
        'a token signed with another secret',
        () => hs256({ sub: 'a', roles: ['operator'] }, 'another-secret-of-32-characters-xx'),
        'The bearer token signature does not verify',
      ],
      [
        'an unsigned token',
        async () => new UnsecuredJWT({ sub: 'a', roles: ['operator'] }).encode(),
        'The bearer token is signed with an algorithm not accepted here',
      ],
      [
        'three parts that are not a JWT',
        async () => 'bm90.YSBqd3Q.c2lnbmF0dXJl',
        'The bearer token is not a valid JWT',
      ],
      [
        'a token with no sub',
        () => hs256({ roles: ['operator'] }),
        'The bearer token has no sub claim naming the caller',
      ],
      [
        'a token not valid yet',
        () =>
          new SignJWT({ sub: 'a', roles: ['operator'] })
            .setProtectedHeader({ alg: 'HS256' })
            .setNotBefore('10m')
            .setExpirationTime('20m')
            .sign(new TextEncoder().encode(SECRET)),
        'The bearer token is not valid yet',
      ],
      [
        'a token that never expires',
        () =>
          new SignJWT({ sub: 'a', roles: ['admin'] })
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode(SECRET)),
        'The bearer token has no exp claim; it must have one',
      ],
      [
        'a tampered payload',
        async () => {
          const [header, , signature] = (await hs256({ sub: 'a', roles: ['viewer'] })).split('.');
          const payload = Buffer.from(JSON.stringify({ sub: 'a', roles: ['admin'] })).toString(
            'base64url',
          );
          return `${header}.${payload}.${signature}`;
        },
        'The bearer token signature does not verify',
      ],
    ])(
      'answers 401 naming what is wrong with %s, writing nothing',
      async (_case, token, message) => {
        const before = await api.headPosition();
        const response = await register(`Bearer ${await token()}`);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message });
        expect(await api.headPosition()).toBe(before);
      },
    );
  });

  describe('verified against a JWKS URL (RS256), with issuer, audience and nested claims', () => {
    const ISSUER = 'https://sso.kaltimprov.go.id/realms/dinsos';
    const AUDIENCE = 'bansos-ledger';
    let jwks: Server;
    let jwksRequests = 0;
    let privateKey: KeyLike;
    let publicKey: KeyLike;
    let api: Api;

    /** A Keycloak-like access token: roles under realm_access, the user under preferred_username. */
    function rs256(claims: JWTPayload = {}, key = privateKey, kid = 'key-1'): Promise<string> {
      return new SignJWT({
        iss: ISSUER,
        aud: AUDIENCE,
        sub: '8d3e0c52-7d41-4c1e-9a3c-1f2b3c4d5e6f',
        preferred_username: 'operator.kutai',
        realm_access: { roles: ['operator', 'offline_access'] },
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
    }

    beforeAll(async () => {
      ({ privateKey, publicKey } = await generateKeyPair('RS256'));
      const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
      jwks = createServer((request, response) => {
        jwksRequests++;
        if (request.url !== '/certs') return void response.writeHead(404).end();
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      const { port } = jwks.address() as AddressInfo;
      api = await startApi({
        env: {
          JWT_JWKS_URL: `http://127.0.0.1:${port}/certs`,
          JWT_ISSUER: ISSUER,
          JWT_AUDIENCE: AUDIENCE,
          JWT_ROLES_CLAIM: 'realm_access.roles',
          JWT_ACTOR_CLAIM: 'preferred_username',
        },
      });
    });

    afterAll(async () => {
      await api.stop();
      await new Promise((resolve) => jwks.close(resolve));
    });

    it('accepts a token signed by a key the identity provider lists; the actor is the configured claim', async () => {
      const response = await api.http
        .post(`${API}/recipients`)
        .set('Authorization', `Bearer ${await rs256()}`)
        .send(rseBody());
      expect(response.status).toBe(201);
      const { recipientId } = response.body as { recipientId: string };
      const registered = (await api.eventsAfter()).find(
        (event) => event.streamName === `recipient-${recipientId}`,
      );
      expect(registered?.metadata.actor).toBe('operator.kutai');

      const read = await api.http
        .get(`${API}/quota-progress`)
        .set('Authorization', `Bearer ${await rs256({ realm_access: { roles: ['viewer'] } })}`);
      expect(read.status).toBe(200);
      // The keys were fetched once and kept.
      expect(jwksRequests).toBe(1);
    });

    it.each([
      [
        'another issuer',
        () => rs256({ iss: 'https://sso.example/realms/other' }),
        "The bearer token's iss claim is not accepted here",
      ],
      [
        'another audience',
        () => rs256({ aud: 'another-service' }),
        "The bearer token's aud claim is not accepted here",
      ],
      [
        'a key the provider does not list',
        async () => rs256({}, (await generateKeyPair('RS256')).privateKey, 'key-2'),
        'The bearer token is signed with a key the identity provider does not list',
      ],
      [
        'a listed kid but another key',
        async () => rs256({}, (await generateKeyPair('RS256')).privateKey),
        'The bearer token signature does not verify',
      ],
      [
        'HS256 signed with the public key (algorithm confusion)',
        async () =>
          new SignJWT({ preferred_username: 'x', realm_access: { roles: ['admin'] } })
            .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode(await exportSPKI(publicKey))),
        'The bearer token is signed with an algorithm not accepted here',
      ],
    ])('answers 401 for %s', async (_case, token, message) => {
      const response = await api.http
        .get(`${API}/quota-progress`)
        .set('Authorization', `Bearer ${await token()}`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message });
    });
  });

  /** A port nothing listens on, or a server that answers every request with 500. */
  async function unavailableProvider(kind: 'refusing' | 'failing') {
    const server = createServer((_request, response) => void response.writeHead(500).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const close = () => new Promise((resolve) => server.close(resolve));
    if (kind === 'refusing') await close();
    return { port, close: () => (kind === 'failing' ? close() : undefined) };
  }

  it.each(['refusing', 'failing'] as const)(
    'answers 503 with Retry-After when the identity provider is %s',
    async (kind) => {
      const provider = await unavailableProvider(kind);
      const port = provider.port;
      const api = await startApi({ env: { JWT_JWKS_URL: `http://127.0.0.1:${port}/certs` } });
      try {
        const { privateKey } = await generateKeyPair('RS256');
        const token = await new SignJWT({ sub: 'a', roles: ['viewer'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'k' })
          .setExpirationTime('5m')
          .sign(privateKey);
        const response = await api.http
          .get(`${API}/quota-progress`)
          .set('Authorization', `Bearer ${token}`);
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.body).toEqual({
          statusCode: 503,
          code: 'AUTH_UNAVAILABLE',
          message: 'The keys of the identity provider cannot be fetched; retry shortly',
        });
        // Static tokens do not depend on the identity provider.
        expect(
          (await api.http.get(`${API}/quota-progress`).set('Authorization', bearer('viewer')))
            .status,
        ).toBe(200);
      } finally {
        await api.stop();
        await provider.close();
      }
    },
  );
});
