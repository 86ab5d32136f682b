import type Database from 'better-sqlite3';

const COLUMNS = `stream_id, revision, type, data, event_id, actor, correlation_id, causation_id,
  command_id, recorded_at, schema_version, hash, previous_hash`;
const ROW = `(${Array(13).fill('?').join(', ')})`;

/** An event row's values, in the order of COLUMNS. */
export type EventValues = unknown[];

/** Rows per multi-row INSERT: one statement stepped for 16 rows costs less than 16 for one. */
const ROWS_PER_STATEMENT = 16;

/**
 * Inserts the rows of one stream's append, in order, and answers the position of the last. Full
 * groups of rows go in one statement each; positions still come out consecutive and in order, as
 * the rowids of one writer's inserts do.
 */
export function eventInserter(db: Database.Database): (rows: readonly EventValues[]) => bigint {
  const one = db.prepare<unknown[]>(`INSERT INTO events (${COLUMNS}) VALUES ${ROW}`);
  const many = db.prepare<unknown[]>(
    `INSERT INTO events (${COLUMNS}) VALUES ${Array(ROWS_PER_STATEMENT).fill(ROW).join(', ')}`,
  );
  return (rows) => {
    let last = 0n;
    let next = 0;
    for (; next + ROWS_PER_STATEMENT <= rows.length; next += ROWS_PER_STATEMENT) {
      last = BigInt(many.run(rows.slice(next, next + ROWS_PER_STATEMENT).flat()).lastInsertRowid);
    }
    for (; next < rows.length; next++) last = BigInt(one.run(rows[next]).lastInsertRowid);
    return last;
  };
}
