import type Database from 'better-sqlite3';
import { fieldsOfCompound, isCompound, isElementField, pathOf } from '../field-conditions';
import { extract, quote, sideTableOf, tableOf } from './sql-names';

/**
 * A collection's indexes in one SQLite connection: an expression index per declared field, a
 * side table per element field. It serves the store's own connection and its writer thread
 * alike, so that a large collection's indexes can be built off the process's main thread.
 */
export class CollectionIndexes {
  private readonly stored: Database.Statement<[string], { indexes: string; deferred: number }>;

  constructor(private readonly db: Database.Database) {
    this.stored = db.prepare('SELECT indexes, deferred FROM collections WHERE name = ?');
  }

  /** A collection as last ensured: its declared indexes, and whether they wait for it. */
  recorded(collection: string): { indexes: string[]; deferred: boolean } | undefined {
    const row = this.stored.get(collection);
    return row && { indexes: JSON.parse(row.indexes) as string[], deferred: row.deferred === 1 };
  }

  /** A collection's declared indexes, those missing made from the rows stored. */
  build(collection: string, indexes: readonly string[]): void {
    for (const step of this.steps(collection, indexes)) step();
  }

  /**
   * What builds the indexes a collection waits with, one transaction each (one index build at a
   * time holds the write lock, not all of them), the last one marking them built. None when
   * the collection does not wait.
   */
  deferredBuild(collection: string): (() => void)[] {
    const recorded = this.recorded(collection);
    if (!recorded?.deferred) return [];
    return [
      ...this.steps(collection, recorded.indexes).map(
        (step) => () => this.db.transaction(step).immediate(),
      ),
      () => {
        this.db.prepare('UPDATE collections SET deferred = 0 WHERE name = ?').run(collection);
      },
    ];
  }

  /** The side tables of a collection's element indexes, and the field each serves. */
  sideTables(collection: string): { table: string; field: string }[] {
    const prefix = `rx_${collection}[`;
    return this.db
      .prepare<[number, string], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?",
      )
      .pluck()
      .all(prefix.length, prefix)
      .map((table) => ({ table, field: `${table.slice(prefix.length, -1)}[]` }));
  }

  dropSideTable(table: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${quote(table)}`);
  }

  /** build, one index at a time: each one statement over every row. */
  private steps(collection: string, indexes: readonly string[]): (() => void)[] {
    const table = tableOf(collection);
    return [
      ...indexes
        .filter((field) => !isElementField(field))
        .map((field) => () => {
          // The table's key (id) ends every index entry: ties come out in id order.
          const columns = isCompound(field)
            ? fieldsOfCompound(field).map(extract)
            : [extract(field)];
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS ${quote(`ix_${collection}_${field}`)} ON ${table} (${columns.join(', ')})`,
          );
        }),
      // An element index no longer declared would go stale: drop it now.
      () => {
        for (const side of this.sideTables(collection)) {
          if (!indexes.includes(side.field)) this.dropSideTable(side.table);
        }
      },
      // Rows stored before have no `elements` yet: their first write rewrites their side rows.
      ...indexes
        .filter(isElementField)
        .map((field) => () => this.ensureElementIndex(collection, field)),
    ];
  }

  /**
   * The side table of an element index, and (when new) its rows for the documents already
   * stored. Only scalar elements are indexed: nulls, objects and arrays are no values of it.
   */
  private ensureElementIndex(collection: string, field: string): void {
    const table = tableOf(collection);
    const name = sideTableOf(collection, pathOf(field));
    const side = quote(name);
    const existed = this.db
      .prepare<[string], number>(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
      )
      .pluck()
      .get(name);
    // `value` has no declared type, so no affinity: the text "2025" stays text, not the number.
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS ${side} (value NOT NULL, doc_id TEXT NOT NULL, PRIMARY KEY (value, doc_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${quote(`${name}:doc`)} ON ${side} (doc_id);
    `);
    if (!existed) {
      this.db.exec(
        `INSERT OR IGNORE INTO ${side} (value, doc_id)
         SELECT element.value, stored.id FROM ${table} AS stored, json_each(stored.doc, '$.${pathOf(field)}') AS element
         WHERE element.type NOT IN ('null', 'object', 'array')`,
      );
    }
  }
}
