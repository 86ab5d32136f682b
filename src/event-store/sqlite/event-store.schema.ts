import type Database from 'better-sqlite3';

/**
 * Streams get an integer key so that the unique (stream, revision) index — the guard that makes
 * a conflicting append impossible to half-write — stays small and fast. An event's position is
 * its rowid: SQLite admits one writer at a time, so positions become visible in commit order and
 * a reader resuming from a position can never skip an event that commits later.
 */
const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE events (
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
    UNIQUE (stream_id, revision)
  ) STRICT;
`;

export function migrateEventStore(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    if (version !== 0) {
      throw new Error(
        `The event store file has schema version ${version}; this build reads version ${SCHEMA_VERSION}`,
      );
    }
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
