import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';

export type EventStoreConfig =
  { kind: 'sqlite'; file: string } | { kind: 'kurrentdb'; url: string };
export type ReadStoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mongodb'; url: string };

export const ROLES = ['admin', 'operator', 'monitor', 'auditor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenGrant {
  token: string;
  actor: string;
  roles: Role[];
}

export interface AppConfig {
  production: boolean;
  port: number;
  /** Absolute path of the folder that holds the embedded stores. */
  dataDir: string;
  eventStore: EventStoreConfig;
  readStore: ReadStoreConfig;
  /** From AUTH_TOKENS; null means development tokens kept in DATA_DIR/dev-tokens.json. */
  authTokens: TokenGrant[] | null;
  /** From NIK_HMAC_SECRET; null means a secret generated once and kept in DATA_DIR. */
  nikHmacSecret: string | null;
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

  const mongoUrl = env.MONGODB_URL?.trim();
  if (mongoUrl && !/^mongodb(\+srv)?:\/\//.test(mongoUrl)) {
    problems.push(
      `MONGODB_URL must start with mongodb:// or mongodb+srv:// (got "${mongoUrl.split('://')[0]}://…")`,
    );
  }

  const production = env.NODE_ENV === 'production';
  const authTokens = parseAuthTokens(env.AUTH_TOKENS, problems);
  if (production && authTokens === null) {
    problems.push(
      'AUTH_TOKENS must be set when NODE_ENV=production (development tokens are refused)',
    );
  }

  const nikHmacSecret = env.NIK_HMAC_SECRET || null;
  if (nikHmacSecret !== null && nikHmacSecret.length < 32) {
    problems.push('NIK_HMAC_SECRET must be at least 32 characters long');
  }
  if (production && nikHmacSecret === null) {
    problems.push('NIK_HMAC_SECRET must be set when NODE_ENV=production');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    port,
    dataDir,
    authTokens,
    nikHmacSecret,
    eventStore: url
      ? { kind: 'kurrentdb', url }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') },
    readStore: mongoUrl
      ? { kind: 'mongodb', url: mongoUrl }
      : { kind: 'sqlite', file: resolve(dataDir, 'read-models.sqlite') },
  };
}

function parseAuthTokens(text: string | undefined, problems: string[]): TokenGrant[] | null {
  if (text === undefined || text.trim() === '') return null;
  const rule =
    'AUTH_TOKENS must be a JSON array of {"token","actor","roles"} with tokens of 16+ characters, ' +
    `a non-empty actor and roles from ${ROLES.join(', ')}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push(`${rule} (it is not valid JSON)`);
    return null;
  }
  const isGrant = (item: unknown): item is TokenGrant => {
    const grant = item as Partial<TokenGrant> | null;
    return (
      typeof grant?.token === 'string' &&
      grant.token.length >= 16 &&
      typeof grant.actor === 'string' &&
      grant.actor.trim() !== '' &&
      Array.isArray(grant.roles) &&
      grant.roles.length > 0 &&
      grant.roles.every((role) => (ROLES as readonly string[]).includes(role))
    );
  };
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(rule);
    return null;
  }
  const bad = parsed.findIndex((item) => !isGrant(item));
  if (bad >= 0) {
    problems.push(`${rule} (entry ${bad} is not)`);
    return null;
  }
  return parsed.map(({ token, actor, roles }: TokenGrant) => ({ token, actor, roles }));
}

/** Injected with `@Inject(appConfig.KEY) config: AppConfig`. */
export const appConfig = registerAs('app', (): AppConfig => parseAppConfig(process.env));
