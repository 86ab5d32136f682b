import type Database from 'better-sqlite3';
import { eventHash } from '../event-hash';

/**
 * Streams get an integer key so that the unique (stream, revision) index — the guard that makes
 * a conflicting append impossible to half-write — stays small and fast. An event's position is
 * its rowid: SQLite admits one writer at a time, so positions become visible in commit order and
 * a reader resuming from a position can never skip an event that commits later.
 */
const SCHEMA_VERSION = 3;

const STREAMS_TABLE = `
  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  ) STRICT;
`;

function eventsTable(name: string): string {
  return `
    CREATE TABLE ${name} (
      position INTEGER PRIMARY KEY,
      stream_id INTEGER NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      event_id TEXT NOT NULL,
      actor TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      causation_id TEXT NOT NULL,
      command_id TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      hash BLOB NOT NULL,
      previous_hash BLOB,
      UNIQUE (stream_id, revision)
    ) STRICT;
  `;
}

export function migrateEventStore(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version === 0) db.exec(STREAMS_TABLE + eventsTable('events'));
    else if (version === 1 || version === 2) {
      if (version === 1) addHashChains(db);
      storeHashesAsBytes(db);
    } else {
      throw new Error(
        `The event store file has schema version ${version}; this build reads version ${SCHEMA_VERSION}`,
      );
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/** Version 1 had no hashes: chain the events already stored, in stream order. */
function addHashChains(db: Database.Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE events ADD COLUMN previous_hash TEXT;
  `);
  // Keyset pages, so a large file is chained without holding it in memory.
  const page = db.prepare<[number, number], V1Row>(
    `SELECT e.position, e.stream_id, s.name AS stream_name, e.revision, e.type, e.data, e.event_id,
       e.actor, e.correlation_id, e.causation_id, e.command_id, e.recorded_at, e.schema_version
     FROM events e JOIN streams s ON s.id = e.stream_id
     WHERE (e.stream_id, e.revision) > (?, ?) ORDER BY e.stream_id, e.revision LIMIT 10000`,
  );
  const update = db.prepare('UPDATE events SET hash = ?, previous_hash = ? WHERE position = ?');
  let after = { streamId: 0, revision: -1 };
  let previousHash: string | null = null;
  for (
    let rows = page.all(0, -1);
    rows.length > 0;
    rows = page.all(after.streamId, after.revision)
  ) {
    for (const row of rows) {
      if (row.stream_id !== after.streamId) previousHash = null;
      after = { streamId: row.stream_id, revision: row.revision };
      const hash = eventHash({
        streamName: row.stream_name,
        revision: BigInt(row.revision),
        type: row.type,
        dataJson: row.data,
        eventId: row.event_id,
        actor: row.actor,
        correlationId: row.correlation_id,
        causationId: row.causation_id,
        commandId: row.command_id,
        recordedAt: row.recorded_at,
        schemaVersion: row.schema_version,
        previousHash,
      });
      update.run(hash, previousHash, row.position);
      previousHash = hash;
    }
  }
}

/**
 * Version 2 kept hashes as hex text; version 3 keeps their 32 bytes. A STRICT table cannot change
 * a column's type, so the events are copied into a new table, in position order, and it replaces
 * the old one; the copy runs in the migration's transaction, so a crash leaves version 2 whole.
 */
function storeHashesAsBytes(db: Database.Database): void {
  db.exec(`
    ${eventsTable('events_v3')}
    INSERT INTO events_v3 SELECT position, stream_id, revision, type, data, event_id, actor,
      correlation_id, causation_id, command_id, recorded_at, schema_version, unhex(hash),
      unhex(previous_hash)
    FROM events ORDER BY position;
    DROP TABLE events;
    ALTER TABLE events_v3 RENAME TO events;
  `);
}

/** An event as the adapter reads it: its row, with its stream's name. */
export interface EventRow {
  position: number;
  stream_name: string;
  revision: number;
  type: string;
  data: string;
  event_id: string;
  actor: string;
  correlation_id: string;
  causation_id: string;
  command_id: string;
  recorded_at: string;
  schema_version: number;
  /** Hex, as the adapter selects it. */
  hash: string;
  previous_hash: string | null;
}

/** An event of a version 1 file, which had no hashes. */
type V1Row = Omit<EventRow, 'hash' | 'previous_hash'> & { stream_id: number };
