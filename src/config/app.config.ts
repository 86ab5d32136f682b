import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';

export type EventStoreConfig =
  { kind: 'sqlite'; file: string } | { kind: 'kurrentdb'; url: string };

export interface AppConfig {
  port: number;
  /** Absolute path of the folder that holds the embedded stores. */
  dataDir: string;
  eventStore: EventStoreConfig;
}

/** One message naming every variable that is wrong, so start-up fails once, clearly. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const KURRENTDB_SCHEMES = ['kurrentdb://', 'kurrentdb+discover://', 'esdb://', 'esdb+discover://'];

/** Reads and validates the environment; pure, so every rule has a unit test. */
export function parseAppConfig(env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = [];

  const portText = env.PORT?.trim() || '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    problems.push(`PORT must be a whole number from 1 to 65535 (got "${env.PORT}")`);
  }

  const dataDirText = env.DATA_DIR ?? './data';
  if (dataDirText.trim() === '') problems.push('DATA_DIR must not be empty');
  const dataDir = resolve(dataDirText);

  const url = env.EVENTSTORE_URL?.trim();
  if (url && !KURRENTDB_SCHEMES.some((scheme) => url.startsWith(scheme))) {
    problems.push(
      `EVENTSTORE_URL must start with ${KURRENTDB_SCHEMES.join(', ')} (got "${url.split('://')[0]}://…")`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    dataDir,
    eventStore: url
      ? { kind: 'kurrentdb', url }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') },
  };
}

/** Injected with `@Inject(appConfig.KEY) config: AppConfig`. */
export const appConfig = registerAs('app', (): AppConfig => parseAppConfig(process.env));
