import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { allEvents } from '../helpers/read-model-comparison';
import { AUTH_TOKENS, NIK_HMAC_SECRET, rseBody, TOKENS } from '../helpers/api-client';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');
const CONNECTIONS = 16;
/** Far above the fraction of a second a drain takes; a hung shutdown fails here, not by timeout. */
const SHUTDOWN_BOUND_MS = 15_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The service as `npm start` runs it (all roles in one process), from source. */
function startService(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: dataDir,
      AUTH_TOKENS: JSON.stringify(AUTH_TOKENS),
      NIK_HMAC_SECRET,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, port: number, method: string, path: string, body?: object) {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          authorization: `Bearer ${TOKENS.operator}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('SIGTERM during a burst of commands', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-sigterm-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers or refuses every request, keeps every command it acknowledged, and exits 0 promptly', async () => {
    const port = await freePort();
    const service = startService(dataDir, port);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    try {
      for (let ready = false; !ready;) {
        if (service.child.exitCode !== null) {
          throw new Error(`The service did not start: ${service.stderr()}`);
        }
        ready = await send(agent, port, 'GET', '/health').then(
          (answer) => answer.status === 200,
          () => new Promise((resolve) => setTimeout(() => resolve(false), 100)),
        );
      }

      const acknowledged: { recipientId: string; position: string; afterSignal: boolean }[] = [];
      const answers = new Map<number, number>();
      let signalledAt: number | null = null;
      let wakeAt100: () => void = () => undefined;
      const hundred = new Promise<void>((resolve) => (wakeAt100 = resolve));
      // Each connection sends registrations one after another until the service stops answering.
      const workers = Array.from({ length: CONNECTIONS }, async () => {
        for (;;) {
          let answer: Answer;
          try {
            answer = await send(agent, port, 'POST', '/api/v1/recipients', rseBody());
          } catch {
            return;
          }
          answers.set(answer.status, (answers.get(answer.status) ?? 0) + 1);
          if (answer.status === 201) {
            const { recipientId, position } = JSON.parse(answer.body) as {
              recipientId: string;
              position: string;
            };
            acknowledged.push({ recipientId, position, afterSignal: signalledAt !== null });
            if (acknowledged.length === 100) wakeAt100();
          }
        }
      });

      await hundred;
      signalledAt = Date.now();
      service.child.kill('SIGTERM');
      const exit = await Promise.race([
        service.exited,
        new Promise<'still running'>((resolve) =>
          setTimeout(() => resolve('still running'), SHUTDOWN_BOUND_MS).unref(),
        ),
      ]);
      const shutdownMs = Date.now() - signalledAt;
      if (exit === 'still running') service.child.kill('SIGKILL');
      await Promise.all(workers);

      expect({ exit, stderr: service.stderr() }).toEqual({
        exit: { code: 0, signal: null },
        stderr: '',
      });
      expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
      // Only registrations were answered, and only with 201: none failed half-way through.
      expect([...answers.keys()]).toEqual([201]);
      // Requests were in flight when the signal came, and were answered.
      expect(acknowledged.filter((ack) => ack.afterSignal).length).toBeGreaterThan(0);

      const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
      try {
        const events = await allEvents(store);
        const byPosition = new Map(events.map((event) => [event.position, event]));
        // Each acknowledged registration is there, its answer at its commit's last event, its
        // NIK claim just before it in the same commit.
        for (const { recipientId, position } of acknowledged) {
          expect(byPosition.get(BigInt(position))).toMatchObject({
            streamName: `recipient-${recipientId}`,
            type: 'RecipientRegistered',
          });
          expect(byPosition.get(BigInt(position) - 1n)).toMatchObject({
            streamName: expect.stringMatching(/^nik-/),
            type: 'NikClaimed',
            data: { recipientId },
          });
        }
        // Nothing was left half-done by the shutdown, answered or not: every claim stands beside
        // its registration and every registration beside its claim.
        const registrations = events.filter(
          (event) =>
            event.streamName.startsWith('nik-') || event.streamName.startsWith('recipient-'),
        );
        expect(registrations.length % 2).toBe(0);
        for (let index = 0; index < registrations.length; index += 2) {
          const [claim, registered] = registrations.slice(index, index + 2);
          expect({
            claim: [claim.type, claim.data, claim.metadata.commandId],
            registered: [registered.type, registered.position - claim.position],
          }).toEqual({
            claim: [
              'NikClaimed',
              expect.objectContaining({ recipientId: registered.streamName.slice(10) }),
              registered.metadata.commandId,
            ],
            registered: ['RecipientRegistered', 1n],
          });
        }
      } finally {
        await store.close();
      }
    } finally {
      agent.destroy();
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
      }
    }
  }, 60_000);
});
