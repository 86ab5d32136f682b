import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTTP_BOUNDS } from '../../src/http/draining';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { allEvents } from '../helpers/read-model-comparison';
import { rseBody, TOKENS } from '../helpers/api-client';
import { send, startService, type Answer, type ServiceProcess } from './service-process';

/** What README "Security" promises: the grace for slow clients, then about a second. */
const SHUTDOWN_BOUND_MS = HTTP_BOUNDS.shutdownGraceMs + 2_000;
/** Node checks its timeouts once every `checkEveryMs`; the rest is scheduling slack. */
const CHECK_SLACK_MS = HTTP_BOUNDS.checkEveryMs + 1_000;

interface SlowClient {
  /** What the service sent back, as text. */
  received(): string;
  /** Resolves with the milliseconds from opening to the service closing the connection. */
  readonly closed: Promise<number>;
  /** Bytes written so far. */
  sent(): number;
}

/**
 * A raw connection sending a registration one byte a second: the headers whole and then the body
 * (`slow: 'body'`), or everything from the first header byte on (`slow: 'headers'`); or nothing.
 */
function slowClient(
  service: ServiceProcess,
  slow: 'body' | 'headers' | 'silent',
  token?: string,
): SlowClient {
  const body = JSON.stringify(rseBody());
  const head =
    'POST /api/v1/recipients HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    (token ? `Authorization: Bearer ${token}\r\n` : '') +
    '\r\n';
  const openedAt = Date.now();
  const socket = connect(service.port, '127.0.0.1');
  let received = '';
  let sent = 0;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const trickled = Buffer.from(slow === 'headers' ? head + body : body);
  let timer: NodeJS.Timeout | undefined;
  socket.once('connect', () => {
    if (slow === 'body') socket.write(head);
    const tick = () => {
      if (slow !== 'silent' && sent < trickled.length && socket.writable)
        socket.write(trickled.subarray(sent, ++sent));
    };
    tick();
    timer = setInterval(tick, 1_000);
  });
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve(Date.now() - openedAt);
    }),
  );
  return { received: () => received, closed, sent: () => sent };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('slow clients', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-slow-clients-'));
  });

  afterEach(async () => {
    await service?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('cannot hold SIGTERM: their connections end after the grace, acknowledged commands are stored, exit 0', async () => {
    const started = await startService('service', dataDir, {}, 4);
    service = started;
    const acknowledged: { recipientId: string; position: string }[] = [];
    const acknowledge = (answer: Answer) => {
      expect(answer.status).toBe(201);
      acknowledged.push(answer.body as { recipientId: string; position: string });
    };
    acknowledge(
      await send(started, 'POST', '/api/v1/recipients', {
        token: TOKENS.operator,
        body: rseBody(),
      }),
    );

    // Three bodies trickling (two anonymous, one with a valid token) and one set of headers.
    const slow = [
      slowClient(started, 'body'),
      slowClient(started, 'body'),
      slowClient(started, 'body', TOKENS.operator),
      slowClient(started, 'headers'),
    ];
    await pause(1_500);
    expect(slow.map((client) => client.sent() > 0)).toEqual([true, true, true, true]);

    // Commands on keep-alive connections until the service stops answering, one in flight or
    // just acknowledged when the signal comes.
    const workers = Array.from({ length: 4 }, async () => {
      for (;;) {
        let answer: Answer;
        try {
          answer = await send(started, 'POST', '/api/v1/recipients', {
            token: TOKENS.operator,
            body: rseBody(),
          });
        } catch {
          return;
        }
        acknowledge(answer);
      }
    });
    while (acknowledged.length < 20) await pause(5);

    const signalledAt = Date.now();
    started.child.kill('SIGTERM');
    const exit = await Promise.race([
      started.exited,
      pause(SHUTDOWN_BOUND_MS * 3).then(() => 'still running' as const),
    ]);
    const shutdownMs = Date.now() - signalledAt;
    if (exit === 'still running') await started.kill();
    await Promise.all(workers);
    await Promise.all(slow.map((client) => client.closed));

    expect({ exit, stderr: started.stderr() }).toEqual({
      exit: { code: 0, signal: null },
      stderr: '',
    });
    expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
    // Cut, never answered as if their command had run.
    for (const client of slow) expect(client.received()).not.toMatch(/^HTTP\/1\.1 2/);

    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    try {
      const byPosition = new Map((await allEvents(store)).map((event) => [event.position, event]));
      for (const { recipientId, position } of acknowledged) {
        expect(byPosition.get(BigInt(position))).toMatchObject({
          streamName: `recipient-${recipientId}`,
          type: 'RecipientRegistered',
        });
      }
    } finally {
      await store.close();
    }
  }, 30_000);

  it('get 408 once their headers or whole request take too long, without stalling other requests', async () => {
    const started = await startService('service', dataDir, {}, 2);
    service = started;
    const silent = slowClient(started, 'silent');
    const headers = slowClient(started, 'headers');
    const body = slowClient(started, 'body', TOKENS.operator);
    let done = false;
    void Promise.all([silent.closed, headers.closed, body.closed]).then(() => (done = true));

    const latencies: number[] = [];
    const statuses = new Set<number>();
    while (!done) {
      const begun = Date.now();
      const [live, registered] = await Promise.all([
        send(started, 'GET', '/health/live'),
        send(started, 'POST', '/api/v1/recipients', { token: TOKENS.operator, body: rseBody() }),
      ]);
      latencies.push(Date.now() - begun);
      statuses.add(live.status).add(registered.status);
      await pause(200);
    }

    const [silentClosedMs, headersClosedMs, bodyClosedMs] = await Promise.all(
      [silent, headers, body].map((client) => client.closed),
    );
    for (const client of [silent, headers, body]) {
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    }
    // A connection that sends nothing is held to the headers' bound too.
    expect(silentClosedMs).toBeGreaterThanOrEqual(HTTP_BOUNDS.headersMs - 100);
    expect(silentClosedMs).toBeLessThan(HTTP_BOUNDS.headersMs + CHECK_SLACK_MS);
    expect(headersClosedMs).toBeGreaterThanOrEqual(HTTP_BOUNDS.headersMs - 100);
    expect(headersClosedMs).toBeLessThan(HTTP_BOUNDS.headersMs + CHECK_SLACK_MS);
    expect(bodyClosedMs).toBeGreaterThanOrEqual(HTTP_BOUNDS.requestMs - 100);
    expect(bodyClosedMs).toBeLessThan(HTTP_BOUNDS.requestMs + CHECK_SLACK_MS);
    expect([...statuses].sort()).toEqual([200, 201]);
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(await started.stop()).toEqual({ code: 0, signal: null });
    expect(started.stderr()).toBe('');
  }, 30_000);
});
