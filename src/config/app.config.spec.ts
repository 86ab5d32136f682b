import { resolve } from 'node:path';
import { ConfigError, parseAppConfig } from './app.config';

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
    });
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

  it('refuses development tokens and a generated NIK secret in production', () => {
    expect(() => parseAppConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_TOKENS must be set when NODE_ENV=production[\s\S]*NIK_HMAC_SECRET must be set/,
    );
  });

  it('names every wrong variable at once', () => {
    expect(() => parseAppConfig({ PORT: '0', EVENTSTORE_URL: 'http://x' })).toThrow(
      /PORT[\s\S]*EVENTSTORE_URL/,
    );
  });
});
