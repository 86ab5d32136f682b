import { resolve } from 'node:path';
import {
  ConfigError,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_READY_MAX_LAG_SECONDS,
  parseAppConfig,
} from './app.config';

describe('parseAppConfig', () => {
  it('defaults to port 3000 and the embedded SQLite store in ./data', () => {
    expect(parseAppConfig({})).toEqual({
      production: false,
      port: 3000,
      dataDir: resolve('data'),
      eventStore: { kind: 'sqlite', file: resolve('data', 'events.sqlite') },
      readStore: { kind: 'sqlite', file: resolve('data', 'read-models.sqlite') },
      authTokens: null,
      nikHmacSecret: null,
      personalDataKey: null,
      jwt: null,
      rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
      corsOrigins: [],
      bodyLimitBytes: 1024 * 1024,
      observability: {
        readyMaxLagSeconds: DEFAULT_READY_MAX_LAG_SECONDS,
        logLevel: 'info',
        metricsToken: null,
      },
      process: { role: 'all', leaseTtlMs: 15_000, leaseRenewMs: 5_000 },
      sealEveryEvents: 10_000,
      sealEveryMs: 3_600_000,
      sealAnchorFile: resolve('data', 'seal-anchors.jsonl'),
    });
  });

  it('reads SEAL_EVERY_EVENTS, 0 not sealing by count', () => {
    expect(parseAppConfig({ SEAL_EVERY_EVENTS: '500' }).sealEveryEvents).toBe(500);
    expect(parseAppConfig({ SEAL_EVERY_EVENTS: '0' }).sealEveryEvents).toBe(0);
    expect(() => parseAppConfig({ SEAL_EVERY_EVENTS: '-5' })).toThrow(
      /SEAL_EVERY_EVENTS must be a whole number, or 0 not to seal by count \(got "-5"\)/,
    );
  });

  it('reads SEAL_EVERY_MS, 0 not sealing by time', () => {
    expect(parseAppConfig({ SEAL_EVERY_MS: '60000' }).sealEveryMs).toBe(60_000);
    expect(parseAppConfig({ SEAL_EVERY_MS: '0' }).sealEveryMs).toBe(0);
    for (const bad of ['10', '1h', '-1']) {
      expect(() => parseAppConfig({ SEAL_EVERY_MS: bad })).toThrow(
        new RegExp(`SEAL_EVERY_MS must be a whole number of milliseconds.*\\(got "${bad}"\\)`),
      );
    }
  });

  it('anchors seals in DATA_DIR for the embedded store, elsewhere or nowhere when told', () => {
    expect(parseAppConfig({ DATA_DIR: '/srv/bansos' }).sealAnchorFile).toBe(
      '/srv/bansos/seal-anchors.jsonl',
    );
    expect(parseAppConfig({ SEAL_ANCHOR_FILE: '/mnt/worm/anchors.jsonl' }).sealAnchorFile).toBe(
      '/mnt/worm/anchors.jsonl',
    );
    expect(parseAppConfig({ SEAL_ANCHOR_FILE: '' }).sealAnchorFile).toBeNull();
    expect(parseAppConfig({ EVENTSTORE_URL: 'esdb://localhost:2113' }).sealAnchorFile).toBeNull();
  });

  it('uses KurrentDB when EVENTSTORE_URL is set', () => {
    const config = parseAppConfig({
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      PORT: '8080',
    });
    expect(config.eventStore).toEqual({
      kind: 'kurrentdb',
      url: 'esdb://localhost:2113?tls=false',
    });
    expect(config.port).toBe(8080);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number from 1 to 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be/],
    [{ PORT: '3000.5' }, /PORT must be/],
    [{ DATA_DIR: ' ' }, /DATA_DIR must not be empty/],
    [
      { EVENTSTORE_URL: 'mongodb://db' },
      /EVENTSTORE_URL must start with kurrentdb:\/\/.*got "mongodb:\/\/…"/,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => parseAppConfig(env)).toThrow(ConfigError);
    expect(() => parseAppConfig(env)).toThrow(message);
  });

  it('keeps read models in MongoDB when MONGODB_URL is set', () => {
    expect(
      parseAppConfig({ MONGODB_URL: 'mongodb://db:27017/bansos?replicaSet=rs0' }).readStore,
    ).toEqual({
      kind: 'mongodb',
      url: 'mongodb://db:27017/bansos?replicaSet=rs0',
    });
    expect(() => parseAppConfig({ MONGODB_URL: 'postgres://db' })).toThrow(
      /MONGODB_URL must start with mongodb:\/\//,
    );
  });

  it('reads AUTH_TOKENS as grants of roles to actors', () => {
    const grants = [{ token: 'a'.repeat(32), actor: 'dinsos-admin', roles: ['admin', 'viewer'] }];
    expect(parseAppConfig({ AUTH_TOKENS: JSON.stringify(grants) }).authTokens).toEqual(grants);
  });

  it.each([
    ['not JSON', 'not json', /AUTH_TOKENS must be a JSON array.*not valid JSON/],
    ['an empty array', '[]', /AUTH_TOKENS must be a JSON array/],
    ['a short token', '[{"token":"short","actor":"a","roles":["admin"]}]', /entry 0/],
    ['an unknown role', `[{"token":"${'x'.repeat(20)}","actor":"a","roles":["root"]}]`, /entry 0/],
  ])('refuses AUTH_TOKENS that is %s', (_case, value, message) => {
    expect(() => parseAppConfig({ AUTH_TOKENS: value })).toThrow(message);
  });

  it('refuses a short NIK_HMAC_SECRET', () => {
    expect(() => parseAppConfig({ NIK_HMAC_SECRET: 'short' })).toThrow(
      /NIK_HMAC_SECRET must be at least 32/,
    );
  });

  it('refuses development tokens and generated NIK and personal-data keys in production', () => {
    expect(() => parseAppConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_TOKENS, JWT_JWKS_URL or JWT_SECRET must be set when NODE_ENV=production[\s\S]*NIK_HMAC_SECRET must be set[\s\S]*PERSONAL_DATA_KEY must be set when NODE_ENV=production/,
    );
  });

  it('reads PERSONAL_DATA_KEY as 64 hex digits or base64 of 32 bytes', () => {
    const key = Buffer.alloc(32, 0xab);
    expect(parseAppConfig({ PERSONAL_DATA_KEY: key.toString('hex') }).personalDataKey).toEqual(key);
    expect(parseAppConfig({ PERSONAL_DATA_KEY: key.toString('base64') }).personalDataKey).toEqual(
      key,
    );
  });

  it.each([
    ['too short', 'ab'.repeat(31)],
    ['not hex nor base64', 'z'.repeat(64)],
    ['base64 of 24 bytes', Buffer.alloc(24, 1).toString('base64')],
    ['base64 of 33 bytes', Buffer.alloc(33, 1).toString('base64')],
  ])('refuses a PERSONAL_DATA_KEY %s, without echoing it', (_case, value) => {
    const parse = () => parseAppConfig({ PERSONAL_DATA_KEY: value });
    expect(parse).toThrow(
      /PERSONAL_DATA_KEY must be 32 bytes written as 64 hex digits or as base64/,
    );
    expect(parse).not.toThrow(value);
  });

  it('accepts JWT instead of static tokens in production', () => {
    const config = parseAppConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://sso.kaltimprov.go.id/realms/dinsos/protocol/openid-connect/certs',
      NIK_HMAC_SECRET: 'n'.repeat(32),
      PERSONAL_DATA_KEY: 'ab'.repeat(32),
    });
    expect(config.authTokens).toBeNull();
    expect(config.jwt).not.toBeNull();
  });

  describe('JWT', () => {
    const secret = 's'.repeat(32);

    it('verifies with a shared secret, roles from `roles` and the actor from `sub` by default', () => {
      expect(parseAppConfig({ JWT_SECRET: secret }).jwt).toEqual({
        keys: { kind: 'secret', secret },
        issuer: null,
        audience: null,
        rolesClaim: 'roles',
        actorClaim: 'sub',
      });
    });

    it('verifies against a JWKS URL, with issuer, audience and claims as configured', () => {
      expect(
        parseAppConfig({
          JWT_JWKS_URL: 'https://sso.example/certs',
          JWT_ISSUER: 'https://sso.example/realms/dinsos',
          JWT_AUDIENCE: 'bansos-ledger',
          JWT_ROLES_CLAIM: 'realm_access.roles',
          JWT_ACTOR_CLAIM: 'preferred_username',
        }).jwt,
      ).toEqual({
        keys: { kind: 'jwks', url: 'https://sso.example/certs' },
        issuer: 'https://sso.example/realms/dinsos',
        audience: 'bansos-ledger',
        rolesClaim: 'realm_access.roles',
        actorClaim: 'preferred_username',
      });
    });

    it.each([
      [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
      [{ JWT_JWKS_URL: 'ftp://sso/certs' }, /JWT_JWKS_URL must be an http:\/\/ or https:\/\/ URL/],
      [{ JWT_JWKS_URL: 'not a url' }, /JWT_JWKS_URL must be an http/],
      [
        { JWT_JWKS_URL: 'https://sso/certs', JWT_SECRET: secret },
        /JWT_JWKS_URL and JWT_SECRET are alternatives/,
      ],
      [{ JWT_SECRET: secret, JWT_ROLES_CLAIM: 'realm_access..roles' }, /JWT_ROLES_CLAIM must be/],
      [{ JWT_SECRET: secret, JWT_ACTOR_CLAIM: 'user name' }, /JWT_ACTOR_CLAIM must be/],
      [
        { JWT_ISSUER: 'https://sso', JWT_AUDIENCE: 'x' },
        /JWT_ISSUER, JWT_AUDIENCE need JWT_JWKS_URL or JWT_SECRET/,
      ],
    ])('refuses %j', (env, message) => {
      expect(() => parseAppConfig(env)).toThrow(message);
    });

    it('never quotes the secret in its message', () => {
      expect(() => parseAppConfig({ JWT_SECRET: 'tooshort-secret' })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('tooshort-secret') }),
      );
    });
  });

  describe('rate limit', () => {
    it('reads RATE_LIMIT_PER_MINUTE, 0 turning it off', () => {
      expect(parseAppConfig({ RATE_LIMIT_PER_MINUTE: '600' }).rateLimitPerMinute).toBe(600);
      expect(parseAppConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    });

    it.each(['-1', '1.5', 'many', '1e3'])('refuses RATE_LIMIT_PER_MINUTE=%s', (value) => {
      expect(() => parseAppConfig({ RATE_LIMIT_PER_MINUTE: value })).toThrow(
        /RATE_LIMIT_PER_MINUTE must be a whole number, 0 for no limit/,
      );
    });
  });

  describe('body limit', () => {
    it.each([
      ['256kb', 256 * 1024],
      ['1MB', 1024 * 1024],
      ['65536', 65536],
    ])('reads BODY_LIMIT=%s', (value, bytes) => {
      expect(parseAppConfig({ BODY_LIMIT: value }).bodyLimitBytes).toBe(bytes);
    });

    it.each(['2mb', '512', '1.5mb', 'big', '-1kb'])('refuses BODY_LIMIT=%s', (value) => {
      expect(() => parseAppConfig({ BODY_LIMIT: value })).toThrow(
        /BODY_LIMIT must be a size from 1kb to 1mb, like 256kb/,
      );
    });
  });

  describe('CORS', () => {
    it('allows the listed exact origins', () => {
      expect(
        parseAppConfig({
          CORS_ORIGINS: 'https://sosial.kaltimprov.go.id, http://localhost:5173',
        }).corsOrigins,
      ).toEqual(['https://sosial.kaltimprov.go.id', 'http://localhost:5173']);
    });

    it('names every entry that is not an exact origin', () => {
      expect(() =>
        parseAppConfig({ CORS_ORIGINS: 'https://ok.example,*,https://a.example/path,ftp://f' }),
      ).toThrow(/CORS_ORIGINS must be .*\(not: "\*", "https:\/\/a.example\/path", "ftp:\/\/f"\)/);
    });
  });

  describe('observability', () => {
    it('reads the readiness lag bound, the log level and the metrics token', () => {
      expect(
        parseAppConfig({
          READY_MAX_LAG_SECONDS: '2.5',
          LOG_LEVEL: 'debug',
          METRICS_TOKEN: 'scrape-token-0123456789',
        }).observability,
      ).toEqual({
        readyMaxLagSeconds: 2.5,
        logLevel: 'debug',
        metricsToken: 'scrape-token-0123456789',
      });
    });

    it.each(['0', '-5', 'soon', '1e3', '30s'])('refuses READY_MAX_LAG_SECONDS=%s', (value) => {
      expect(() => parseAppConfig({ READY_MAX_LAG_SECONDS: value })).toThrow(
        `READY_MAX_LAG_SECONDS must be a number of seconds above 0 (got "${value}")`,
      );
    });

    it('refuses an unknown LOG_LEVEL and a short METRICS_TOKEN', () => {
      expect(() => parseAppConfig({ LOG_LEVEL: 'loud', METRICS_TOKEN: 'short' })).toThrow(
        /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)[\s\S]*METRICS_TOKEN must be at least 16 characters long/,
      );
    });
  });

  describe('process role and projection lease', () => {
    it.each(['all', 'api', 'projector'])('accepts PROCESS_ROLE=%s', (role) => {
      expect(parseAppConfig({ PROCESS_ROLE: role }).process.role).toBe(role);
    });

    it('reads the lease TTL, renewing every third of it unless told otherwise', () => {
      expect(parseAppConfig({ PROJECTION_LEASE_TTL_MS: '3000' }).process).toEqual({
        role: 'all',
        leaseTtlMs: 3_000,
        leaseRenewMs: 1_000,
      });
      expect(
        parseAppConfig({ PROJECTION_LEASE_TTL_MS: '3000', PROJECTION_LEASE_RENEW_MS: '250' })
          .process.leaseRenewMs,
      ).toBe(250);
    });

    it.each([
      [
        { PROCESS_ROLE: 'worker' },
        /PROCESS_ROLE must be one of all, api, projector \(got "worker"\)/,
      ],
      [
        { PROJECTION_LEASE_TTL_MS: '15s' },
        /PROJECTION_LEASE_TTL_MS must be a whole number of milliseconds, at least 100 \(got "15s"\)/,
      ],
      [{ PROJECTION_LEASE_TTL_MS: '50' }, /PROJECTION_LEASE_TTL_MS must be .* at least 100/],
      [{ PROJECTION_LEASE_RENEW_MS: '-1' }, /PROJECTION_LEASE_RENEW_MS must be .* at least 10/],
      [
        { PROJECTION_LEASE_TTL_MS: '1000', PROJECTION_LEASE_RENEW_MS: '1000' },
        /PROJECTION_LEASE_RENEW_MS must be less than PROJECTION_LEASE_TTL_MS \(got 1000 and 1000\)/,
      ],
    ])('refuses %j with a message naming the variable', (env, message) => {
      expect(() => parseAppConfig(env)).toThrow(message);
    });

    it('names only the TTL when the TTL alone is wrong', () => {
      expect(() => parseAppConfig({ PROJECTION_LEASE_TTL_MS: 'x' })).toThrow(
        /^Invalid configuration:\n {2}- PROJECTION_LEASE_TTL_MS[^\n]*$/,
      );
    });
  });

  it('names every wrong variable at once', () => {
    expect(() => parseAppConfig({ PORT: '0', EVENTSTORE_URL: 'http://x' })).toThrow(
      /PORT[\s\S]*EVENTSTORE_URL/,
    );
  });
});
