import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AUTH_TOKENS, NIK_HMAC_SECRET } from '../helpers/api-client';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');
const START_BOUND_MS = 30_000;
const REQUEST_TIMEOUT_MS = 20_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One service process, run from source as `npm start` runs it, on 127.0.0.1. */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  /** Keep-alive connections to this process, at most as many as asked for. */
  readonly agent: Agent;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Its log lines (JSON, LOG_LEVEL warn unless told otherwise). */
  stdout(): string;
  /** SIGKILL: no shutdown hook runs, nothing is flushed; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: drains and closes the stores; resolves with how the process exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ServiceProcess>();

/** Starts the service on `dataDir` and waits until it answers HTTP; `main` runs another copy. */
export async function startService(
  name: string,
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  connections = 32,
  main = MAIN,
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', main], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      PORT: String(port),
      DATA_DIR: dataDir,
      AUTH_TOKENS: JSON.stringify(AUTH_TOKENS),
      NIK_HMAC_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const service: ServiceProcess = {
    name,
    child,
    port,
    agent,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      agent.destroy();
      running.delete(service);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const exit = await exited;
      agent.destroy();
      running.delete(service);
      return exit;
    },
  };
  running.add(service);
  const deadline = Date.now() + START_BOUND_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(service);
      throw new Error(`${name} did not start: ${stderr}`);
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`${name} did not answer within ${START_BOUND_MS} ms: ${stderr}`);
    }
    const up = await send(service, 'GET', '/health/live').then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (up) return service;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process started here and still running, killed outright (for afterAll). */
export async function killAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.kill()));
}

export interface Answer {
  status: number;
  body: unknown;
  /** The service answered from the Idempotency-Key (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

export interface SendOptions {
  token?: string;
  idempotencyKey?: string;
  body?: unknown;
}

/** One HTTP request; rejects when no answer comes (connection refused or reset, timeout). */
export function send(
  service: ServiceProcess,
  method: string,
  path: string,
  { token, idempotencyKey, body }: SendOptions = {},
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent: service.agent,
        host: '127.0.0.1',
        port: service.port,
        method,
        path,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON: kept as text.
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            replayed: res.headers['idempotent-replayed'] === 'true',
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}
