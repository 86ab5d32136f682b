import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { allEvents } from '../helpers/read-model-comparison';
import { rseBody, TOKENS } from '../helpers/api-client';
import { send, startService, type Answer } from './service-process';

const CONNECTIONS = 16;
/** Far above the fraction of a second a drain takes; a hung shutdown fails here, not by timeout. */
const SHUTDOWN_BOUND_MS = 15_000;

describe('SIGTERM during a burst of commands', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-sigterm-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers or refuses every request, keeps every command it acknowledged, and exits 0 promptly', async () => {
    // The service as `npm start` runs it (all roles in one process), from source.
    const service = await startService('service', dataDir, {}, CONNECTIONS);
    try {
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
            answer = await send(service, 'POST', '/api/v1/recipients', {
              token: TOKENS.operator,
              body: rseBody(),
            });
          } catch {
            return;
          }
          answers.set(answer.status, (answers.get(answer.status) ?? 0) + 1);
          if (answer.status === 201) {
            const { recipientId, position } = answer.body as {
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
        const indexOf = new Map(events.map((event, index) => [event.position, index]));
        // Each acknowledged registration is there, its answer at its commit's last event, its
        // NIK claim just before it in the same commit.
        for (const { recipientId, position } of acknowledged) {
          const index = indexOf.get(BigInt(position)) ?? -1;
          expect(events[index]).toMatchObject({
            streamName: `recipient-${recipientId}`,
            type: 'RecipientRegistered',
          });
          expect(events[index - 1]).toMatchObject({
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
      await service.kill();
    }
  }, 60_000);
});
