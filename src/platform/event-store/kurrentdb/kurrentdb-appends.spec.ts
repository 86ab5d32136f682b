import { UnavailableError } from '@kurrent/kurrentdb-client';
import { storedEventHash } from '../event-hash';
import {
  EventStoreUnavailableError,
  StreamNotWritableError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import type { ExpectedRevision, NewEvent } from '../event-store.port';
import { FakeKurrentDbServer } from './fake-kurrentdb-server';
import { KurrentDbEventStore } from './kurrentdb-event-store';

const context = { actor: 'a', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('KurrentDB adapter: appends', () => {
  let server: FakeKurrentDbServer;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    server = new FakeKurrentDbServer();
    store = new KurrentDbEventStore(server.store);
  });

  const append = (
    expectedRevision: ExpectedRevision,
    events: NewEvent[] = [{ type: 'A', data: {} }],
  ) => store.appendToStream('recipient-1', events, { expectedRevision, context });

  describe('reads that decide, pinned to the leader', () => {
    it('reads tips and streams with requiresLeader, so that a follower’s stale view never decides', async () => {
      await append('no_stream');
      await store.readStream('recipient-1');
      expect(server.streamReads.length).toBeGreaterThanOrEqual(3);
      for (const { options } of server.streamReads) {
        expect(options.requiresLeader).toBe(true);
      }
    });
  });

  describe('any and stream_exists', () => {
    it.each(['any', 'stream_exists'] as const)(
      '%s: chains again after every lost race, however many, while other writers progress',
      async (expected) => {
        await append('no_stream');
        let races = 12;
        server.beforeAppend = () => {
          if (races-- > 0) server.write('recipient-1');
        };
        const result = await append(expected);
        expect(result.revision).toBe(13n);
        const events = server.streams.get('recipient-1') ?? [];
        const ours = events[13];
        expect(ours.metadata.previousHash).toBe(events[12].metadata.hash);
        expect(server.appendCalls).toBe(14);
      },
    );

    it('gives up with WrongExpectedVersionError once its time budget is spent', async () => {
      store = new KurrentDbEventStore(server.store, { raceBudgetMs: 0 });
      await append('no_stream');
      server.beforeAppend = () => server.write('recipient-1');
      const refusal = await append('any').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(WrongExpectedVersionError);
      expect(refusal).toMatchObject({ streamName: 'recipient-1', expected: 'any' });
    });

    it('an exact revision that lost its race is refused at once, never chained again', async () => {
      await append('no_stream');
      server.beforeAppend = () => server.write('recipient-1');
      await expect(append(0n)).rejects.toMatchObject({ expected: 0n, actual: 1n });
      expect(server.appendCalls).toBe(2);
    });

    it('recognises a retry of events (same ids) already written, and writes them only once', async () => {
      const events = [
        { type: 'A', data: { n: 1 }, id: '7f1c3c0e-8d1f-4a51-9a63-2f0e1d7c9b10' },
        { type: 'B', data: { n: 2 }, id: '0b6d2f4e-5a3c-4e7f-8c1d-9e2a3b4c5d6f' },
      ];
      await append('no_stream', [{ type: 'Opened', data: {} }]);
      // The server writes the events, but the answer is lost: the outcome is unknown.
      server.answer = async (written) => {
        written();
        throw new UnavailableError(undefined);
      };
      await expect(append('any', events)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      server.answer = undefined;
      const retried = await append('any', events);
      const stored = server.streams.get('recipient-1') ?? [];
      expect(stored.slice(1).map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(retried).toEqual({ revision: 2n, position: stored[2].position?.commit });
      expect(server.appendCalls).toBe(2);
    });
  });

  describe('streams whose earlier events the server hides', () => {
    it.each([
      ['soft-deleted ($tb at the end)', { $tb: Number.MAX_SAFE_INTEGER }],
      ['truncated past its last event', { $tb: 2 }],
      ['$maxAge', { $maxAge: 60 }],
      ['$maxCount', { $maxCount: 1 }],
    ])('%s: refused, naming the stream and what hides it, nothing sent', async (_name, meta) => {
      server.write('recipient-1', 2);
      server.metadata.set('recipient-1', meta);
      if (!('$tb' in meta)) server.streams.set('recipient-1', []);
      const refusal = await append('any').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StreamNotWritableError);
      expect(refusal).toMatchObject({ streamName: 'recipient-1' });
      expect(String(refusal)).toContain(Object.keys(meta)[0]);
      expect(server.appendCalls).toBe(0);
    });

    it('a stream with metadata that hides nothing is written as usual', async () => {
      server.metadata.set('recipient-1', { $acl: { $r: '$all' } });
      await expect(append('no_stream')).resolves.toMatchObject({ revision: 0n });
    });

    it('refuses to answer success when the server wrote at another revision than the one hashed', async () => {
      // As on a soft-deleted stream whose metadata could not be seen: the server goes on at N+1.
      server.answer = async (written) => ({
        ...written(),
        responses: [{ streamName: 'recipient-1', revision: 3n }],
      });
      await expect(append('no_stream')).rejects.toThrow(
        /written up to revision 3 but hash-chained up to 0/,
      );
    });
  });

  describe('hash chains', () => {
    it('chains each event to the stream’s last one', async () => {
      await append('no_stream');
      await append(0n, [{ type: 'B', data: {} }]);
      const stored = await store.readStream('recipient-1');
      expect(stored[1].metadata.previousHash).toBe(stored[0].metadata.hash);
      for (const event of stored) expect(storedEventHash(event)).toBe(event.metadata.hash);
    });
  });
});
