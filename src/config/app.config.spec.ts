import { resolve } from 'node:path';
import { ConfigError, parseAppConfig } from './app.config';

describe('parseAppConfig', () => {
  it('defaults to port 3000 and the embedded SQLite store in ./data', () => {
    expect(parseAppConfig({})).toEqual({
      port: 3000,
      dataDir: resolve('data'),
      eventStore: { kind: 'sqlite', file: resolve('data', 'events.sqlite') },
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

  it('names every wrong variable at once', () => {
    expect(() => parseAppConfig({ PORT: '0', EVENTSTORE_URL: 'http://x' })).toThrow(
      /PORT[\s\S]*EVENTSTORE_URL/,
    );
  });
});
