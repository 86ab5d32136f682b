import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../clock';
import { ensurePrivateFile } from '../../private-files';
import { serializeAppends } from '../append-validation';
import { appendToOneStream } from '../append-to-stream';
import { appendHasher } from '../event-hash';
import { meetsExpectation } from '../expected-revision';
import type { EventContext } from '../event-metadata';
import {
  NO_STREAM,
  START,
  type ActualRevision,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type MultiStreamAppendOptions,
  type MultiStreamAppendResult,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamAppend,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';
import {
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import { AppendSignal } from './append-signal';
import { migrateEventStore, type EventRow } from './event-store.schema';
import { GroupCommit, type Outcome } from './group-commit';
import { eventInserter, type EventValues } from './event-inserter';
import { PollingSubscription } from './polling-subscription';
import { StreamTips, type StreamTip } from './stream-tips';

export interface SqliteEventStoreOptions {
  /** The database file; created with its folder when missing. `:memory:` for throwaway stores. */
  file: string;
  clock?: Clock;
  /** How often an idle subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

/** One command's commit: its streams, each with its events' data already serialized. */
interface AppendRequest {
  appends: readonly StreamAppend[];
  dataJson: string[][];
  context: EventContext;
}

/**
 * An event row's columns, its stream's name given by `streamName` (a column or a parameter). The
 * hashes come out as hex text from SQLite itself: a Buffer for each of them, two an event, made
 * reads of the whole log hold half as much memory again.
 */
function eventColumns(streamName: string): string {
  return `e.position, ${streamName} AS stream_name, e.revision, e.type, e.data, e.event_id,
    e.actor, e.correlation_id, e.causation_id, e.command_id, e.recorded_at, e.schema_version,
    lower(hex(e.hash)) AS hash,
    iif(e.previous_hash IS NULL, NULL, lower(hex(e.previous_hash))) AS previous_hash`;
}

const DEFAULT_PAGE = 1000;

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so a committed
 * event survives a power cut. Appends that arrive together are group-committed: one transaction
 * and one fsync for the batch, each append (one or several streams, with their expected-revision
 * checks) inside its own savepoint, so a refused append never fails its neighbours and never
 * leaves part of itself behind.
 */
export class SqliteEventStore implements EventStore {
  readonly adapter = 'sqlite';

  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly appended = new AppendSignal();
  private readonly subscriptions = new Set<Subscription>();
  private readonly group: GroupCommit<AppendRequest, MultiStreamAppendResult>;
  private readonly tips = new StreamTips();
  private readonly insertEvents: (rows: readonly EventValues[]) => bigint;
  private closed = false;

  private readonly statements: {
    findStream: Database.Statement<[string], number>;
    insertStream: Database.Statement<[string]>;
    tip: Database.Statement<[number], { revision: number; hash: Buffer }>;
    dataVersion: Database.Statement<[], number>;
    readStream: Database.Statement<[string, number, number, number], EventRow>;
    readAll: Database.Statement<[bigint, number], EventRow>;
    head: Database.Statement<[], number | null>;
    countAfter: Database.Statement<[bigint, number], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    // Owner-only: the file (and so its -wal and -shm) and a folder made for it.
    if (options.file !== ':memory:') ensurePrivateFile(options.file);
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrateEventStore(this.db);
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;

    const db = this.db;
    this.statements = {
      findStream: db.prepare<[string], number>('SELECT id FROM streams WHERE name = ?').pluck(),
      insertStream: db.prepare('INSERT INTO streams (name) VALUES (?)'),
      // Two queries: one joined query costs more than both, a new stream's above all.
      tip: db.prepare<[number], { revision: number; hash: Buffer }>(
        'SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      // By the stream's key, found first: joined to streams by name, the planner sorted, and a
      // read of a stream that is not there (every new NIK, recipient, key) cost eight times more.
      readStream: db.prepare<[string, number, number, number], EventRow>(
        `SELECT ${eventColumns('?')} FROM events e
         WHERE e.stream_id = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
      ),
      readAll: db.prepare<[bigint, number], EventRow>(
        `SELECT ${eventColumns('s.name')} FROM events e JOIN streams s ON s.id = e.stream_id
         WHERE e.position > ? ORDER BY e.position LIMIT ?`,
      ),
      head: db.prepare<[], number | null>('SELECT max(position) FROM events').pluck(),
      // The LIMIT inside bounds the work: at most `limit` index entries are visited.
      countAfter: db
        .prepare<[bigint, number], number>(
          'SELECT count(*) FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)',
        )
        .pluck(),
    };

    this.insertEvents = eventInserter(db);
    const appendInSavepoint = db.transaction((request: AppendRequest, recordedAt: string) =>
      this.writeCommit(request, recordedAt),
    );
    const commitBatch = db.transaction((requests: AppendRequest[]) => {
      this.tips.beginWrite(this.statements.dataVersion.get() as number);
      const recordedAt = this.clock.now().toISOString();
      return requests.map((request): Outcome<MultiStreamAppendResult> => {
        try {
          return { ok: true, value: appendInSavepoint(request, recordedAt) };
        } catch (error) {
          // Disk full or I/O error: SQLite rolled back the whole batch. Failing it entirely keeps
          // the later appends from running outside the transaction.
          if (!db.inTransaction) {
            throw new EventStoreUnavailableError(
              'The event store could not write; nothing was written',
              {
                cause: error,
              },
            );
          }
          return { ok: false, error };
        }
      });
    });
    this.group = new GroupCommit((requests) => {
      // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
      let outcomes: Outcome<MultiStreamAppendResult>[];
      try {
        outcomes = unavailableWhenBusy(() => commitBatch.immediate(requests));
      } catch (error) {
        this.tips.forget();
        throw error;
      }
      this.appended.notify();
      return outcomes;
    });
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendToOneStream(this, streamName, events, options);
  }

  async appendToStreams(
    appends: readonly StreamAppend[],
    { context }: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    this.assertOpen();
    const dataJson = serializeAppends(appends);
    return this.group.submit({ appends, dataJson, context });
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const streamId = this.statements.findStream.get(streamName);
    if (streamId === undefined) throw new StreamNotFoundError(streamName);
    const maxCount = options.maxCount ?? -1;
    if (maxCount === 0) return [];
    const fromRevision = Number(options.fromRevision ?? 0n);
    return this.statements.readStream
      .all(streamName, streamId, fromRevision, maxCount)
      .map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const rows = this.statements.readAll.all(options.after ?? START, limit(options.maxCount));
    return rows.map(toStoredEvent);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new PollingSubscription(
      {
        readPage: (after, maxCount) => this.readAll({ after, maxCount }),
        waitForAppend: (timeoutMs, cancel) => this.appended.wait(timeoutMs, cancel),
      },
      options.after ?? START,
      options.maxBatchSize ?? DEFAULT_PAGE,
      this.pollIntervalMs,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return BigInt(this.statements.head.get() ?? 0);
  }

  async countEventsAfter(after: bigint, limit: number): Promise<number> {
    this.assertOpen();
    if (limit <= 0) return 0;
    return this.statements.countAfter.get(after, limit) ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.group.flush();
    this.db.close();
  }

  /** One command's streams; their new tips are kept only once all of them are written. */
  private writeCommit(request: AppendRequest, recordedAt: string): MultiStreamAppendResult {
    let position = 0n;
    const tips: [string, StreamTip][] = [];
    const revisions = request.appends.map((append, index) => {
      const written = this.writeStream(
        append,
        request.dataJson[index],
        request.context,
        recordedAt,
      );
      tips.push([append.streamName, written.tip]);
      position = written.position;
      return written.tip.revision;
    });
    for (const [streamName, tip] of tips) this.tips.set(streamName, tip);
    return { position, revisions };
  }

  /** Where a stream ends now: from the cache, else from the file; undefined when it is not there. */
  private tipOf(streamName: string): StreamTip | undefined {
    const cached = this.tips.get(streamName);
    if (cached) return cached;
    const id = this.statements.findStream.get(streamName);
    if (id === undefined) return undefined;
    const last = this.statements.tip.get(id);
    return {
      id,
      revision: last === undefined ? -1n : BigInt(last.revision),
      hash: last === undefined ? null : last.hash.toString('hex'),
    };
  }

  private writeStream(
    { streamName, expectedRevision, events }: StreamAppend,
    dataJson: readonly string[],
    context: EventContext,
    recordedAt: string,
  ): { tip: StreamTip; position: bigint } {
    const tip = this.tipOf(streamName);
    const actual: ActualRevision = tip === undefined ? NO_STREAM : tip.revision;
    if (!meetsExpectation(expectedRevision, actual)) {
      throw new WrongExpectedVersionError(streamName, expectedRevision, actual);
    }
    const streamId =
      tip?.id ?? Number(this.statements.insertStream.run(streamName).lastInsertRowid);
    let revision = tip?.revision ?? -1n;
    let previousHash = tip?.hash ?? null;
    // The bytes of the hash last written, bound again as the next event's previous_hash.
    let previousBytes = previousHash === null ? null : hashColumn(previousHash);
    const hashOf = appendHasher({ streamName, recordedAt, ...context });
    const rows = events.map((event, index): EventValues => {
      revision += 1n;
      const eventId = event.id ?? randomUUID();
      const schemaVersion = event.schemaVersion ?? 1;
      const hash = hashOf({
        revision,
        type: event.type,
        dataJson: dataJson[index],
        eventId,
        schemaVersion,
        previousHash,
      });
      const bytes = hashColumn(hash);
      const row = [
        streamId,
        revision,
        event.type,
        dataJson[index],
        eventId,
        context.actor,
        context.correlationId,
        context.causationId,
        context.commandId,
        recordedAt,
        schemaVersion,
        bytes,
        previousBytes,
      ];
      previousHash = hash;
      previousBytes = bytes;
      return row;
    });
    const position = this.insertEvents(rows);
    return { tip: { id: streamId, revision, hash: previousHash }, position };
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('The event store is closed');
  }
}

/** Lock held past the busy timeout, disk full, I/O error: the batch was rolled back; retry later. */
function unavailableWhenBusy<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof Database.SqliteError && /^SQLITE_(BUSY|FULL|IOERR)/.test(error.code)) {
      throw new EventStoreUnavailableError(
        `The event store cannot write (${error.code}); nothing was written`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Hashes are kept as their 32 bytes, half the size of their hex text. */
function hashColumn(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

function limit(maxCount: number | undefined): number {
  return maxCount === undefined ? -1 : Math.max(0, maxCount);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: {
      eventId: row.event_id,
      actor: row.actor,
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      commandId: row.command_id,
      recordedAt: row.recorded_at,
      schemaVersion: row.schema_version,
      hash: row.hash,
      previousHash: row.previous_hash,
    },
  };
}
