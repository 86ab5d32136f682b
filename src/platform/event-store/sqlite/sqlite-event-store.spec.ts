import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storedEventHash } from '../event-hash';
import { EventStoreUnavailableError, WrongExpectedVersionError } from '../event-store.errors';
import { NO_STREAM, type StoredEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const context = { actor: 'system', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];

  function open(pollIntervalMs = 20): SqliteEventStore {
    const store = new SqliteEventStore({ file, pollIntervalMs });
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-sqlite-'));
    file = join(dir, 'nested', 'events.sqlite');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its folder and keeps the file in WAL mode', () => {
    open();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps events across a reopen', async () => {
    const first = open();
    await first.appendToStream('recipient-1', [{ type: 'A', data: { n: 1 } }], {
      expectedRevision: NO_STREAM,
      context,
    });
    await first.close();
    const second = open();
    expect((await second.readStream('recipient-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
  });

  it('chains the events of a version 1 file when it first opens it', async () => {
    mkdirSync(join(dir, 'nested'));
    const v1 = new Database(file);
    v1.exec(`
      CREATE TABLE streams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT;
      CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL,
        revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, event_id TEXT NOT NULL,
        actor TEXT NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT NOT NULL,
        command_id TEXT NOT NULL, recorded_at TEXT NOT NULL, schema_version INTEGER NOT NULL,
        UNIQUE (stream_id, revision)) STRICT;
      INSERT INTO streams VALUES (1, 'a'), (2, 'b');
      INSERT INTO events VALUES
        (1, 1, 0, 'A', '{"n":1}', 'e1', 'x', 'c', 'c', 'c', '2024-01-01T00:00:00.000Z', 1),
        (2, 2, 0, 'B', '{}', 'e2', 'x', 'c', 'c', 'c', '2024-01-01T00:00:00.000Z', 1),
        (3, 1, 1, 'A', '{"n":2}', 'e3', 'x', 'c', 'c', 'c', '2024-01-01T00:00:00.000Z', 1);
      PRAGMA user_version = 1;
    `);
    v1.close();

    const store = open();
    await store.appendToStream('a', [{ type: 'A', data: { n: 3 } }], {
      expectedRevision: 1n,
      context,
    });
    const events = await store.readStream('a');
    expect(events.map((event) => event.metadata.previousHash)).toEqual([
      null,
      events[0].metadata.hash,
      events[1].metadata.hash,
    ]);
    for (const event of events) {
      expect(event.metadata.hash).toBe(storedEventHash(event));
    }
  });

  it('turns the hex hashes of a version 2 file into bytes, keeping every event', async () => {
    const first = open();
    await first.appendToStream(
      'a',
      [
        { type: 'A', data: { n: 1 } },
        { type: 'A', data: { n: 2 } },
      ],
      {
        expectedRevision: NO_STREAM,
        context,
      },
    );
    await first.appendToStream('b', [{ type: 'B', data: {} }], {
      expectedRevision: NO_STREAM,
      context,
    });
    const before = await first.readAll();
    await first.close();
    // Back to version 2's layout: the same events, their hashes as hex text.
    const v2 = new Database(file);
    v2.exec(`
      CREATE TABLE old AS SELECT * FROM events;
      DROP TABLE events;
      CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL,
        revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, event_id TEXT NOT NULL,
        actor TEXT NOT NULL, correlation_id TEXT NOT NULL, causation_id TEXT NOT NULL,
        command_id TEXT NOT NULL, recorded_at TEXT NOT NULL, schema_version INTEGER NOT NULL,
        hash TEXT NOT NULL, previous_hash TEXT, UNIQUE (stream_id, revision)) STRICT;
      INSERT INTO events SELECT position, stream_id, revision, type, data, event_id, actor,
        correlation_id, causation_id, command_id, recorded_at, schema_version, lower(hex(hash)),
        iif(previous_hash IS NULL, NULL, lower(hex(previous_hash))) FROM old;
      DROP TABLE old;
      PRAGMA user_version = 2;
    `);
    v2.close();

    const store = open();
    expect(await store.readAll()).toEqual(before);
    await store.appendToStream('a', [{ type: 'A', data: { n: 3 } }], {
      expectedRevision: 1n,
      context,
    });
    const events = await store.readStream('a');
    expect(events[2].metadata.previousHash).toBe(events[1].metadata.hash);
    for (const event of events) expect(event.metadata.hash).toBe(storedEventHash(event));
  });

  it('commits the appends already accepted when it closes', async () => {
    const store = open();
    const pending = store.appendToStream('recipient-1', [{ type: 'A', data: {} }], {
      expectedRevision: NO_STREAM,
      context,
    });
    await store.close();
    await expect(pending).resolves.toEqual({ revision: 0n, position: 1n });
    await expect(
      store.appendToStream('recipient-1', [{ type: 'B', data: {} }], {
        expectedRevision: 0n,
        context,
      }),
    ).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(await open().headPosition()).toBe(1n);
  });

  it('refuses a second event at a taken revision even when written around the adapter', async () => {
    const store = open();
    await store.appendToStream('recipient-1', [{ type: 'A', data: {} }], {
      expectedRevision: NO_STREAM,
      context,
    });
    const raw = new Database(file);
    expect(() =>
      raw
        .prepare(
          `INSERT INTO events (stream_id, revision, type, data, event_id, actor, correlation_id,
             causation_id, command_id, recorded_at, schema_version, hash)
           SELECT stream_id, revision, type, data, 'x', actor, correlation_id, causation_id,
             command_id, recorded_at, schema_version, hash FROM events`,
        )
        .run(),
    ).toThrow(/UNIQUE constraint failed/);
    raw.close();
  });

  it('stores nothing of a batch, and fails every append in it, when the disk is full', async () => {
    const store = open();
    // The adapter's own connection, to make its disk "full" a few pages from now.
    const db = (store as unknown as { db: Database.Database }).db;
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 8}`);
    const big = { blob: 'x'.repeat(200_000) };
    const outcomes = await Promise.allSettled(
      ['s-a', 's-big', 's-c'].map((stream) =>
        store.appendToStream(stream, [{ type: 'A', data: stream === 's-big' ? big : {} }], {
          expectedRevision: NO_STREAM,
          context,
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(EventStoreUnavailableError);
    }
    expect(await store.headPosition()).toBe(0n);

    // Nothing of the failed batch is remembered either: the streams are still new.
    db.pragma('max_page_count = 1073741823');
    await expect(
      store.appendToStream('s-a', [{ type: 'A', data: {} }], {
        expectedRevision: NO_STREAM,
        context,
      }),
    ).resolves.toEqual({ revision: 0n, position: 1n });
  });

  it('keeps a refused command from moving any of its streams, even in the cache', async () => {
    const store = open();
    await store.appendToStream('kept', [{ type: 'A', data: {} }], {
      expectedRevision: NO_STREAM,
      context,
    });
    await expect(
      store.appendToStreams(
        [
          { streamName: 'kept', expectedRevision: 0n, events: [{ type: 'B', data: {} }] },
          { streamName: 'other', expectedRevision: 5n, events: [{ type: 'C', data: {} }] },
        ],
        { context },
      ),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.appendToStream('kept', [{ type: 'B', data: {} }], {
      expectedRevision: 0n,
      context,
    });
    const events = await store.readStream('kept');
    expect(events.map((event) => event.type)).toEqual(['A', 'B']);
    expect(events[1].metadata.previousHash).toBe(events[0].metadata.hash);
  });

  it('keeps each hash as 32 bytes and hands it out as hex', async () => {
    const store = open();
    await store.appendToStream(
      's',
      [
        { type: 'A', data: {} },
        { type: 'B', data: {} },
      ],
      {
        expectedRevision: NO_STREAM,
        context,
      },
    );
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT hash, previous_hash FROM events ORDER BY position').all() as {
      hash: Buffer;
      previous_hash: Buffer | null;
    }[];
    raw.close();
    const events = await store.readStream('s');
    expect(rows.map((row) => row.hash.length)).toEqual([32, 32]);
    expect(rows.map((row) => row.hash.toString('hex'))).toEqual(
      events.map((event) => event.metadata.hash),
    );
    expect(rows[1].previous_hash?.equals(rows[0].hash)).toBe(true);
    expect(events[1].metadata.previousHash).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('shared by several processes (one connection each)', () => {
    it('lets a subscriber in one see the appends made by another', async () => {
      const reader = open(10);
      const writer = open();
      const subscription = reader.subscribeToAll();
      const seen: StoredEvent[] = [];
      const consumed = (async () => {
        for await (const batch of subscription) {
          seen.push(...batch);
          if (seen.length >= 3) break;
        }
      })();
      for (const n of [1, 2, 3]) {
        await writer.appendToStream(`recipient-${n}`, [{ type: 'A', data: { n } }], {
          expectedRevision: NO_STREAM,
          context,
        });
      }
      await consumed;
      expect(seen.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    });

    it('lets exactly one of two competing writers win', async () => {
      const [a, b] = [open(), open()];
      await a.appendToStream('quota-2025', [{ type: 'Opened', data: {} }], {
        expectedRevision: NO_STREAM,
        context,
      });
      const outcomes = await Promise.allSettled(
        [a, b, a, b].map((store, writer) =>
          store.appendToStream('quota-2025', [{ type: 'Claimed', data: { writer } }], {
            expectedRevision: 0n,
            context,
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
      }
      expect(await b.readStream('quota-2025')).toHaveLength(2);
    });

    it('sees where another wrote a stream last, though it wrote that stream before', async () => {
      const [a, b] = [open(), open()];
      await a.appendToStream('quota-2025', [{ type: 'Opened', data: {} }], {
        expectedRevision: NO_STREAM,
        context,
      });
      await b.appendToStream('quota-2025', [{ type: 'Claimed', data: {} }], {
        expectedRevision: 0n,
        context,
      });
      // a wrote revision 0 itself; b has written revision 1 since.
      await expect(
        a.appendToStream('quota-2025', [{ type: 'Claimed', data: {} }], {
          expectedRevision: 0n,
          context,
        }),
      ).rejects.toMatchObject({ actual: 1n });
      await a.appendToStream('quota-2025', [{ type: 'Claimed', data: {} }], {
        expectedRevision: 1n,
        context,
      });
      const events = await a.readStream('quota-2025');
      expect(events.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
      expect(events[2].metadata.previousHash).toBe(events[1].metadata.hash);
      for (const event of events) expect(event.metadata.hash).toBe(storedEventHash(event));
    });
  });
});
