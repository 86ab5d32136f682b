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

/** JWT bearer tokens: how they are verified and which claims name the caller and the roles. */
export interface JwtConfig {
  /** A JWKS URL (keys of an identity provider) or a shared HS256 secret. */
  keys: { kind: 'jwks'; url: string } | { kind: 'secret'; secret: string };
  issuer: string | null;
  audience: string | null;
  /** Dot path of the claim listing the roles, e.g. `realm_access.roles`. */
  rolesClaim: string;
  /** Dot path of the claim naming the actor recorded in event metadata. */
  actorClaim: string;
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
  /**
   * From PERSONAL_DATA_KEY: the master key (32 bytes) that wraps every person's data key; null
   * means a key generated once and kept in DATA_DIR.
   */
  personalDataKey: Buffer | null;
  /** From JWT_JWKS_URL or JWT_SECRET; null means only static tokens are accepted. */
  jwt: JwtConfig | null;
  /** API requests a minute per bearer token (per client IP without a valid one); 0: no limit. */
  rateLimitPerMinute: number;
  /** Exact origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  /** The largest JSON request body accepted, in bytes (from BODY_LIMIT); larger ones get 413. */
  bodyLimitBytes: number;
  observability: ObservabilityConfig;
  process: ProcessConfig;
  /** From SEAL_EVERY_EVENTS: the projector seals the log after this many events; 0: not by count. */
  sealEveryEvents: number;
  /** From SEAL_EVERY_MS: the projector seals at least this often while events arrive; 0: not by time. */
  sealEveryMs: number;
  /** From SEAL_ANCHOR_FILE: where each seal's digest is also appended; null: nowhere. */
  sealAnchorFile: string | null;
}

export const PROCESS_ROLES = ['all', 'api', 'projector'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** What this process runs, and how projector processes share the projections. */
export interface ProcessConfig {
  /** `all`: the API and the projections; `api`: the API only; `projector`: the projections only. */
  role: ProcessRole;
  /** How long the projection lease lasts unless renewed: a standby waits this long at most. */
  leaseTtlMs: number;
  /** How often its holder renews the lease and a standby tries to take it. */
  leaseRenewMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Readiness, logs and metrics. */
export interface ObservabilityConfig {
  /** /health/ready answers 503 while a read model is further behind the event store than this. */
  readyMaxLagSeconds: number;
  logLevel: LogLevel;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`; otherwise it is open. */
  metricsToken: string | null;
}

/** One message naming every variable that is wrong, so start-up fails once, clearly. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Above what one process serves (about 1,800 commands/s), so only a runaway client reaches it. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120_000;

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
  const jwt = parseJwt(env, problems);
  if (production && authTokens === null && jwt === null) {
    problems.push(
      'AUTH_TOKENS, JWT_JWKS_URL or JWT_SECRET must be set when NODE_ENV=production ' +
        '(development tokens are refused)',
    );
  }

  const nikHmacSecret = env.NIK_HMAC_SECRET || null;
  if (nikHmacSecret !== null && nikHmacSecret.length < 32) {
    problems.push('NIK_HMAC_SECRET must be at least 32 characters long');
  }
  if (production && nikHmacSecret === null) {
    problems.push('NIK_HMAC_SECRET must be set when NODE_ENV=production');
  }

  const personalDataKey = parsePersonalDataKey(env.PERSONAL_DATA_KEY, problems);
  if (production && !env.PERSONAL_DATA_KEY?.trim()) {
    problems.push('PERSONAL_DATA_KEY must be set when NODE_ENV=production');
  }

  const rateLimitText = env.RATE_LIMIT_PER_MINUTE?.trim() || String(DEFAULT_RATE_LIMIT_PER_MINUTE);
  const rateLimitPerMinute = Number(rateLimitText);
  if (!/^\d+$/.test(rateLimitText) || !Number.isSafeInteger(rateLimitPerMinute)) {
    problems.push(
      `RATE_LIMIT_PER_MINUTE must be a whole number, 0 for no limit (got "${env.RATE_LIMIT_PER_MINUTE}")`,
    );
  }

  const corsOrigins = parseCorsOrigins(env.CORS_ORIGINS, problems);
  const bodyLimitBytes = parseBodyLimit(env.BODY_LIMIT, problems);
  const observability = parseObservability(env, problems);
  const processConfig = parseProcess(env, problems);

  const sealText = env.SEAL_EVERY_EVENTS?.trim() || '10000';
  const sealEveryEvents = Number(sealText);
  if (!/^\d+$/.test(sealText) || !Number.isSafeInteger(sealEveryEvents)) {
    problems.push(
      `SEAL_EVERY_EVENTS must be a whole number, or 0 not to seal by count (got "${env.SEAL_EVERY_EVENTS}")`,
    );
  }

  const sealEveryMsText = env.SEAL_EVERY_MS?.trim() || '3600000';
  const sealEveryMs = Number(sealEveryMsText);
  if (!/^\d+$/.test(sealEveryMsText) || (sealEveryMs > 0 && sealEveryMs < 1000)) {
    problems.push(
      `SEAL_EVERY_MS must be a whole number of milliseconds, at least 1000, or 0 not to seal by time (got "${env.SEAL_EVERY_MS}")`,
    );
  }
  const sealAnchorFile = parseAnchorFile(env.SEAL_ANCHOR_FILE, dataDir, !url);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    port,
    dataDir,
    authTokens,
    nikHmacSecret,
    personalDataKey,
    jwt,
    rateLimitPerMinute,
    corsOrigins,
    bodyLimitBytes,
    observability,
    process: processConfig,
    sealEveryEvents,
    sealEveryMs,
    sealAnchorFile,
    eventStore: url
      ? { kind: 'kurrentdb', url }
      : { kind: 'sqlite', file: resolve(dataDir, 'events.sqlite') },
    readStore: mongoUrl
      ? { kind: 'mongodb', url: mongoUrl }
      : { kind: 'sqlite', file: resolve(dataDir, 'read-models.sqlite') },
  };
}

/** 32 bytes as 64 hex digits or as base64 (44 characters with its `=`); null when unset. */
function parsePersonalDataKey(text: string | undefined, problems: string[]): Buffer | null {
  const key = text?.trim();
  if (!key) return null;
  if (/^[0-9a-fA-F]{64}$/.test(key)) return Buffer.from(key, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(key)) return Buffer.from(key, 'base64');
  // Never echo the value: it is the key to every person's data.
  problems.push(
    'PERSONAL_DATA_KEY must be 32 bytes written as 64 hex digits or as base64 ' +
      '(e.g. the output of `openssl rand -hex 32`)',
  );
  return null;
}

/** Unset, the embedded store anchors its seals beside its data; an empty value: no anchor file. */
function parseAnchorFile(
  text: string | undefined,
  dataDir: string,
  embedded: boolean,
): string | null {
  if (text === undefined) return embedded ? resolve(dataDir, 'seal-anchors.jsonl') : null;
  return text.trim() === '' ? null : resolve(text.trim());
}

function parseProcess(env: NodeJS.ProcessEnv, problems: string[]): ProcessConfig {
  const role = (env.PROCESS_ROLE?.trim() || 'all') as ProcessRole;
  if (!PROCESS_ROLES.includes(role)) {
    problems.push(
      `PROCESS_ROLE must be one of ${PROCESS_ROLES.join(', ')} (got "${env.PROCESS_ROLE}")`,
    );
  }
  const milliseconds = (name: string, fallback: number, minimum: number): number => {
    const text = env[name]?.trim() || String(fallback);
    const value = Number(text);
    if (/^\d+$/.test(text) && value >= minimum) return value;
    problems.push(
      `${name} must be a whole number of milliseconds, at least ${minimum} (got "${env[name]}")`,
    );
    return NaN;
  };
  const leaseTtlMs = milliseconds('PROJECTION_LEASE_TTL_MS', 15_000, 100);
  // By default a third of the TTL: a holder can miss two renewals before its lease lapses.
  const leaseRenewMs = milliseconds(
    'PROJECTION_LEASE_RENEW_MS',
    Number.isNaN(leaseTtlMs) ? 5_000 : Math.floor(leaseTtlMs / 3),
    10,
  );
  if (leaseRenewMs >= leaseTtlMs) {
    problems.push(
      `PROJECTION_LEASE_RENEW_MS must be less than PROJECTION_LEASE_TTL_MS (got ${leaseRenewMs} and ${leaseTtlMs})`,
    );
  }
  return { role, leaseTtlMs, leaseRenewMs };
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

const JWT_OPTIONS = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ROLES_CLAIM', 'JWT_ACTOR_CLAIM'] as const;

function parseJwt(env: NodeJS.ProcessEnv, problems: string[]): JwtConfig | null {
  const jwksUrl = env.JWT_JWKS_URL?.trim() || null;
  const secret = env.JWT_SECRET || null;
  if (jwksUrl === null && secret === null) {
    const orphans = JWT_OPTIONS.filter((name) => env[name]?.trim());
    if (orphans.length > 0) {
      problems.push(`${orphans.join(', ')} need JWT_JWKS_URL or JWT_SECRET to be set`);
    }
    return null;
  }
  if (jwksUrl !== null && secret !== null) {
    problems.push('JWT_JWKS_URL and JWT_SECRET are alternatives: set only one of them');
  }
  if (jwksUrl !== null && !/^https?:$/.test(urlProtocol(jwksUrl))) {
    problems.push('JWT_JWKS_URL must be an http:// or https:// URL');
  }
  if (secret !== null && secret.length < 32) {
    problems.push('JWT_SECRET must be at least 32 characters long');
  }
  return {
    keys:
      jwksUrl !== null ? { kind: 'jwks', url: jwksUrl } : { kind: 'secret', secret: secret ?? '' },
    issuer: env.JWT_ISSUER?.trim() || null,
    audience: env.JWT_AUDIENCE?.trim() || null,
    rolesClaim: parseClaimPath(env, 'JWT_ROLES_CLAIM', 'roles', problems),
    actorClaim: parseClaimPath(env, 'JWT_ACTOR_CLAIM', 'sub', problems),
  };
}

function parseClaimPath(
  env: NodeJS.ProcessEnv,
  name: (typeof JWT_OPTIONS)[number],
  fallback: string,
  problems: string[],
): string {
  const path = env[name]?.trim() || fallback;
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(path)) {
    problems.push(
      `${name} must be a claim name or a dot path like realm_access.roles (got "${path}")`,
    );
  }
  return path;
}

function urlProtocol(text: string): string {
  try {
    return new URL(text).protocol;
  } catch {
    return '';
  }
}

const SIZE_UNITS = { kb: 1024, mb: 1024 * 1024 };

/** `512kb`, `1mb` or bytes; from 1 KiB to 1 MiB, since no request of this API comes near 1 MiB. */
function parseBodyLimit(text: string | undefined, problems: string[]): number {
  const match = /^(\d+)(kb|mb)?$/.exec(text?.trim().toLowerCase() || '1mb');
  const unit = match?.[2] as keyof typeof SIZE_UNITS | undefined;
  const bytes = match ? Number(match[1]) * (unit ? SIZE_UNITS[unit] : 1) : NaN;
  if (!(bytes >= SIZE_UNITS.kb && bytes <= SIZE_UNITS.mb)) {
    problems.push(`BODY_LIMIT must be a size from 1kb to 1mb, like 256kb (got "${text}")`);
  }
  return bytes;
}

/** Exact origins only: a browser sends `scheme://host[:port]`, which is what is compared. */
function parseCorsOrigins(text: string | undefined, problems: string[]): string[] {
  if (text === undefined || text.trim() === '') return [];
  const origins = text.split(',').map((origin) => origin.trim());
  const bad = origins.filter((origin) => !isOrigin(origin));
  if (bad.length > 0) {
    problems.push(
      'CORS_ORIGINS must be a comma-separated list of origins like https://sosial.kaltimprov.go.id ' +
        `(http or https, lower-case host, optional port, no path) (not: ${bad.map((o) => `"${o}"`).join(', ')})`,
    );
  }
  return origins;
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

export const DEFAULT_READY_MAX_LAG_SECONDS = 30;

function parseObservability(env: NodeJS.ProcessEnv, problems: string[]): ObservabilityConfig {
  const lagText = env.READY_MAX_LAG_SECONDS?.trim() || String(DEFAULT_READY_MAX_LAG_SECONDS);
  const readyMaxLagSeconds = Number(lagText);
  if (!/^\d+(\.\d+)?$/.test(lagText) || readyMaxLagSeconds <= 0) {
    problems.push(
      `READY_MAX_LAG_SECONDS must be a number of seconds above 0 (got "${env.READY_MAX_LAG_SECONDS}")`,
    );
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters long');
  }
  return { readyMaxLagSeconds, logLevel, metricsToken };
}

/** Injected with `@Inject(appConfig.KEY) config: AppConfig`. */
export const appConfig = registerAs('app', (): AppConfig => parseAppConfig(process.env));
