import { execFile } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { PROJECTIONS } from '../../projections';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';
import { API, bearer, startApi, type Api } from '../helpers/api-client';
import { allEvents, expectEveryReadModelToEqualReplay } from '../helpers/read-model-comparison';

/**
 * The real KurrentDB + MongoDB pair that `npm run test:production` (scripts/test-production.sh)
 * starts, as it describes it in the environment; null anywhere else.
 */
export interface ProductionPair {
  eventStoreUrl: string;
  /** Reached from the host, hence `directConnection=true` (docs/production.md). */
  mongoUrl: string;
  kurrentdbContainer: string;
  mongodbContainer: string;
}

export function productionPair(env: NodeJS.ProcessEnv = process.env): ProductionPair | null {
  const eventStoreUrl = env.EVENTSTORE_URL;
  const mongoUrl = env.MONGODB_URL;
  const kurrentdbContainer = env.PRODUCTION_KURRENTDB_CONTAINER;
  const mongodbContainer = env.PRODUCTION_MONGODB_CONTAINER;
  if (env.PRODUCTION_PAIR !== '1' || !eventStoreUrl || !mongoUrl) return null;
  if (!kurrentdbContainer || !mongodbContainer) return null;
  return { eventStoreUrl, mongoUrl, kurrentdbContainer, mongodbContainer };
}

export const SKIPPED_WITHOUT_PAIR =
  'skipped: runs only against the KurrentDB + MongoDB pair that `npm run test:production` starts';

/** The same MongoDB URL naming another database, so that each app has read models of its own. */
export function withDatabase(mongoUrl: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(mongoUrl);
  if (!match) throw new Error('MONGODB_URL is not a mongodb:// or mongodb+srv:// URL');
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

/** The whole service in process on the pair, with a MongoDB database of its own. */
export function startApiOnPair(pair: ProductionPair, name: string): Promise<Api> {
  const dbName = `bansos_${name}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  return startApi({
    env: { EVENTSTORE_URL: pair.eventStoreUrl, MONGODB_URL: withDatabase(pair.mongoUrl, dbName) },
  });
}

/**
 * Runs a docker command; its output, or an error carrying what docker said. Asynchronous, so
 * that the service in this process keeps running while a server restarts or steps down.
 */
export function docker(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Whether the container's health check passes again (it restarts as `starting`). */
export async function isHealthy(container: string): Promise<boolean> {
  const status = await docker(['inspect', '--format', '{{.State.Health.Status}}', container]);
  return status === 'healthy';
}

export async function until(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A valid RSE NIK (a woman's, in Samarinda) drawn at random: the pair's event store outlives one
 * app, so the fixed sequence of `nextNik` would collide with an earlier run's registrations.
 */
export function uniqueNik(): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = randomInt(1, 29) + 40;
  const serial = String(randomInt(1, 10_000)).padStart(4, '0');
  return `647205${two(day)}${two(randomInt(1, 13))}${two(randomInt(60, 100))}${serial}`;
}

interface Health {
  projections: { name: string; status: string; position: string }[];
}

/** Every projection has applied the event at `position` (a command's answer). */
export async function caughtUpTo(api: Api, position: string): Promise<boolean> {
  const response = await api.http.get('/health');
  const { projections } = response.body as Health;
  return (
    Array.isArray(projections) &&
    projections.length > 0 &&
    projections.every((p) => BigInt(p.position) >= BigInt(position))
  );
}

/** Every read model of `api` holds what a replay of its whole event log builds. */
export async function expectReadModelsToEqualReplay(api: Api): Promise<void> {
  await expectEveryReadModelToEqualReplay(
    PROJECTIONS,
    await allEvents(api.eventStore),
    api.app.get<ReadStore>(READ_STORE),
  );
}

/**
 * POSTs a command as a careful client does while a server is away: with an Idempotency-Key, sent
 * again while the answer is 503 (unavailable, nothing known to be written). Any other answer is
 * returned as it is, so a 500 shows up as the defect it is.
 */
export async function sendUntilAnswered(
  api: Api,
  path: string,
  body: object,
  timeoutMs = 90_000,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const key = randomUUID();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.http
      .post(`${API}${path}`)
      .set('Authorization', bearer('operator'))
      .set('Idempotency-Key', key)
      .send(body);
    if (response.status !== 503 || Date.now() > deadline) {
      return { status: response.status, body: response.body as Record<string, unknown> };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
