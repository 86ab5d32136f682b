import type Database from 'better-sqlite3';
import { CheckpointMovedError } from '../checkpoint-store.port';
import { quote, sideTableOf, tableOf } from './sql-names';

/**
 * A commit as the SQLite read store writes it: documents already in JSON, with the lists of
 * their element fields (`elements`), so that it can cross to a writer thread as plain data.
 */
export interface CommitJob {
  advances: { collection: string; from: bigint; to: bigint }[];
  writes: {
    collection: string;
    /** The element fields' paths, as `elements` holds them; each has a side table. */
    elementPaths: string[];
    /** [id, position, JSON text, elements (null when the collection has no element field)] */
    upserts: [string, bigint, string, string | null][];
    deletes: string[];
  }[];
}

interface WriteStatements {
  /** The collection's indexes wait for its promotion: no side rows are kept meanwhile. */
  deferred: boolean;
  elementPaths: string;
  upsert: Database.Statement<[string, bigint, string, string | null]>;
  /** The `elements` a document was last written with (undefined: a new document). */
  storedElements: Database.Statement<[string], string | null>;
  /** Per element index: its rows of one document removed, and written (id, `elements` text). */
  sides: { remove: Database.Statement<[string]>; insert: Database.Statement<[string, string]> }[];
  remove: Database.Statement<[string]>;
}

/**
 * Writes commits of documents and checkpoints into one SQLite connection, each in one
 * transaction. It serves the store's own connection and its writer thread alike.
 */
export class DocumentWriter {
  private readonly statements = new Map<string, WriteStatements>();
  private readonly deferredFlag: Database.Statement<[string], number>;
  private readonly advance: Database.Statement<[bigint, string, bigint]>;

  constructor(private readonly db: Database.Database) {
    this.deferredFlag = db
      .prepare<[string], number>('SELECT deferred FROM collections WHERE name = ?')
      .pluck();
    this.advance = db.prepare(
      'UPDATE checkpoints SET position = ? WHERE collection = ? AND position = ?',
    );
  }

  /** Writes it all or nothing; CheckpointMovedError when a checkpoint is not at `from` any more. */
  commit(job: CommitJob): void {
    this.db
      .transaction(() => {
        for (const { collection, from, to } of job.advances) {
          if (this.advance.run(to, collection, from).changes !== 1)
            throw new CheckpointMovedError(collection);
        }
        for (const write of job.writes) {
          // Read afresh in the transaction: another process may have promoted the collection,
          // and its side rows must then be kept from this write on.
          const statements = this.statementsOf(
            write.collection,
            write.elementPaths,
            this.deferredFlag.get(write.collection) === 1,
          );
          for (const [id, position, json, elements] of write.upserts) {
            // A deferred collection keeps `elements` alone: its side tables are filled from the
            // documents when they are built.
            if (elements !== null && statements.sides.length > 0) {
              writeSideRows(statements, id, elements);
            }
            statements.upsert.run(id, position, json, elements);
          }
          for (const id of write.deletes) {
            for (const side of statements.sides) side.remove.run(id);
            statements.remove.run(id);
          }
        }
      })
      .immediate();
  }

  private statementsOf(collection: string, paths: string[], deferred: boolean): WriteStatements {
    const elementPaths = paths.join('\n');
    let prepared = this.statements.get(collection);
    if (!prepared || prepared.deferred !== deferred || prepared.elementPaths !== elementPaths) {
      const table = tableOf(collection);
      prepared = {
        deferred,
        elementPaths,
        upsert: this.db.prepare(
          `INSERT INTO ${table} (id, position, doc, elements) VALUES (?, ?, jsonb(?), ?)
           ON CONFLICT (id) DO UPDATE
           SET position = excluded.position, doc = excluded.doc, elements = excluded.elements`,
        ),
        storedElements: this.db
          .prepare<[string], string | null>(`SELECT elements FROM ${table} WHERE id = ?`)
          .pluck(),
        sides: (deferred ? [] : paths).map((path) => {
          const side = quote(sideTableOf(collection, path));
          return {
            remove: this.db.prepare(`DELETE FROM ${side} WHERE doc_id = ?`),
            insert: this.db.prepare(
              `INSERT OR IGNORE INTO ${side} (value, doc_id) SELECT element.value, ?
               FROM json_each(?, '$."${path}"') AS element
               WHERE element.type NOT IN ('null', 'object', 'array')`,
            ),
          };
        }),
        remove: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      };
      this.statements.set(collection, prepared);
    }
    return prepared;
  }
}

/** A document's side rows made to match `elements`, unless it was stored with exactly these. */
function writeSideRows(statements: WriteStatements, id: string, elements: string): void {
  const stored = statements.storedElements.get(id);
  if (stored === elements) return;
  for (const side of statements.sides) {
    if (stored !== undefined) side.remove.run(id);
    side.insert.run(id, elements);
  }
}
