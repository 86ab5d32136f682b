import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../clock';
import { ensurePrivateFile } from '../../private-files';
import {
  CheckpointMovedError,
  MissingCollectionError,
  UndeclaredFieldError,
  UnsupportedConditionError,
  type Checkpoint,
  type CheckpointAdvance,
  type CollectionSpec,
  type CollectionWrite,
  type Condition,
  type EnsureCollectionOptions,
  type Filter,
  type FindOptions,
  type Lease,
  type QueryPlan,
  type ReadStore,
  type Scalar,
  type StoredDocument,
} from '../read-store.port';
import {
  checkElementCondition,
  checkIndexes,
  conditionsOf,
  fieldsOfCompound,
  isElementField,
  isPrefix,
  pathOf,
  prefixUpperBound,
  queryFieldsOf,
  sortKeysOf,
} from '../field-conditions';
import { CollectionIndexes } from './collection-indexes';
import { CommitThread } from './commit-thread';
import { DocumentWriter, type CommitJob } from './document-writer';
import { openReadStoreFile } from './read-store-file';
import { extract, quote, sideTableOf, tableOf } from './sql-names';

export interface SqliteReadStoreOptions {
  /** The database file, created with its folder; `:memory:` for throwaway stores. */
  file: string;
  busyTimeoutMs?: number;
  /** SQLite's page cache of the writing connection; 64 MB by default (hot index pages, totals). */
  cacheMb?: number;
  /** What leases expire by; the system clock by default. */
  clock?: Clock;
  /**
   * Commits written by a thread of their own (see CommitThread); on by default for a file, off
   * for `:memory:`, which only one connection sees.
   */
  commitThread?: boolean;
}

/** The page cache of the connection that reads, beside a writer thread. */
const READER_CACHE_MB = 16;

interface CollectionStatements {
  getMany: Database.Statement<[string], { id: string; position: string; doc: string }>;
  scan: Database.Statement<[string, number], { id: string; position: string; doc: string }>;
}

/**
 * Read models in their own SQLite file: one table per collection holding each document as JSON,
 * with an expression index per declared field. An element index (`tokens[]`) cannot be an
 * expression index (one row, many values), so it is a side table `rx_<collection>[tokens]` of
 * (value, document id) pairs keyed by value, written in the same transaction as the document. The
 * lists also go, as a small JSON text, in the row's `elements` column: a write compares it with
 * the stored one and rewrites the side rows only when a list changed (most updates, a visit or an
 * aid, leave a name's words alone); SQLite triggers doing the same made every write slower,
 * changed or not. Documents and checkpoints are written in one transaction, by a thread of their
 * own (CommitThread); the store's other writes wait for the commits sent before them.
 */
export class SqliteReadStore implements ReadStore {
  readonly adapter = 'sqlite';

  private readonly db: Database.Database;
  private readonly declared = new Map<string, Set<string>>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly clock: Clock;
  /** Writes commits in this connection: in memory, or while the thread is not ready. */
  private readonly writer: DocumentWriter;
  private readonly indexes: CollectionIndexes;
  private readonly thread?: CommitThread;
  /** The last write sent: each write of this store starts after those sent before it. */
  private lastWrite: Promise<unknown> = Promise.resolve();

  constructor(options: SqliteReadStoreOptions) {
    this.clock = options.clock ?? systemClock;
    // Owner-only: the file (and so its -wal and -shm) and a folder made for it.
    if (options.file !== ':memory:') ensurePrivateFile(options.file);
    const file = {
      file: options.file,
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      cacheMb: options.cacheMb ?? 64,
    };
    const commitThread = options.commitThread ?? options.file !== ':memory:';
    // With commits written by another connection, SQLite empties this one's page cache at each
    // of them: a large one would only hold memory. The writer's keeps the pages it writes.
    this.db = openReadStoreFile(
      commitThread ? { ...file, cacheMb: Math.min(file.cacheMb, READER_CACHE_MB) } : file,
    );
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (
        name TEXT PRIMARY KEY,
        indexes TEXT NOT NULL,
        deferred INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE IF NOT EXISTS checkpoints (
        collection TEXT PRIMARY KEY,
        projection TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'building'))
      ) STRICT;
      CREATE TABLE IF NOT EXISTS leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `);
    // Files made before indexes could be deferred lack the column.
    const columns = this.db.pragma('table_info(collections)') as { name: string }[];
    if (!columns.some((column) => column.name === 'deferred')) {
      this.db.exec('ALTER TABLE collections ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0');
    }
    this.writer = new DocumentWriter(this.db);
    this.indexes = new CollectionIndexes(this.db);
    if (commitThread) this.thread = new CommitThread(file);
  }

  /** Runs a write once those sent before it are done, whether they succeeded or not. */
  private inTurn<T>(write: () => T | Promise<T>): Promise<T> {
    const next = this.lastWrite.then(write, write);
    this.lastWrite = next.catch(() => undefined);
    return next;
  }

  async ensureCollection(
    spec: CollectionSpec,
    options: EnsureCollectionOptions = {},
  ): Promise<void> {
    const table = tableOf(spec.name);
    checkIndexes(spec.name, spec.indexes);
    await this.inTurn(() =>
      this.db
        .transaction(() => {
          const recorded = this.indexes.recorded(spec.name);
          this.db.exec(
            `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, doc BLOB NOT NULL, elements TEXT) WITHOUT ROWID`,
          );
          // Tables made before element indexes existed lack the column.
          const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
          if (!columns.some((column) => column.name === 'elements')) {
            this.db.exec(`ALTER TABLE ${table} ADD COLUMN elements TEXT`);
          }
          // Deferred only while no index was ever built: a collection never loses one here.
          const deferred = options.deferIndexes === true && (recorded?.deferred ?? true);
          if (!deferred) this.indexes.build(spec.name, spec.indexes);
          this.db
            .prepare(
              'INSERT OR REPLACE INTO collections (name, indexes, deferred) VALUES (?, ?, ?)',
            )
            .run(spec.name, JSON.stringify(spec.indexes), deferred ? 1 : 0);
        })
        .immediate(),
    );
    this.declared.set(spec.name, queryFieldsOf(spec.indexes));
    this.statements.delete(spec.name);
  }

  async dropCollection(name: string): Promise<void> {
    await this.inTurn(() => this.db.transaction(() => this.drop(name)).immediate());
  }

  async get<Doc extends object>(collection: string, id: string): Promise<Doc | null> {
    const found = await this.getMany(collection, [id]);
    return (found.get(id)?.document as Doc | undefined) ?? null;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, StoredDocument>> {
    const rows = this.reading(collection, () =>
      this.statementsOf(collection).getMany.all(JSON.stringify(ids)),
    );
    return new Map(
      rows.map((row) => [
        row.id,
        { id: row.id, position: BigInt(row.position), document: JSON.parse(row.doc) as object },
      ]),
    );
  }

  async scan(
    collection: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredDocument[]> {
    return this.reading(collection, () =>
      this.statementsOf(collection).scan.all(afterId ?? '', limit),
    ).map((row) => ({
      id: row.id,
      position: BigInt(row.position),
      document: JSON.parse(row.doc) as object,
    }));
  }

  async find<Doc extends object>(collection: string, options: FindOptions = {}): Promise<Doc[]> {
    const rows = this.reading(collection, () => {
      const { sql, params } = this.findSql(collection, options);
      return this.db
        .prepare<unknown[], string>(sql)
        .pluck()
        .all(...params);
    });
    return rows.map((doc) => JSON.parse(doc) as Doc);
  }

  /** How SQLite would run `find` (EXPLAIN QUERY PLAN), in terms of the declared fields. */
  async explain(collection: string, options: FindOptions = {}): Promise<QueryPlan> {
    const { sql, params } = this.findSql(collection, options);
    const steps = this.db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail);
    const table = `rm_${collection}`;
    const indexedFields = new Set<string>();
    for (const step of steps) {
      const search = /^SEARCH (\S+) USING (?:COVERING )?(?:INDEX (\S+)|PRIMARY KEY)/.exec(step);
      if (!search) continue;
      const [, searched, index] = search;
      if (searched.startsWith(`rx_${collection}[`))
        indexedFields.add(`${searched.slice(table.length + 1, -1)}[]`);
      else if (index?.startsWith(`ix_${collection}_`))
        // A search into a compound index seeks its first field.
        indexedFields.add(fieldsOfCompound(index.slice(`ix_${collection}_`.length))[0]);
    }
    const fullScan = steps.some((step) => {
      const scanned = /^SCAN (\S+)/.exec(step)?.[1];
      return scanned === table || (scanned?.startsWith(`rx_${collection}[`) ?? false);
    });
    const blockingSort = steps.some((step) => step.startsWith('USE TEMP B-TREE'));
    return {
      indexedFields: [...indexedFields].sort(),
      fullScan,
      blockingSort,
      detail: steps.join('\n'),
    };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.reading(collection, () => {
      const where = this.where(collection, filter);
      return this.db
        .prepare<unknown[], number>(`SELECT count(*) FROM ${tableOf(collection)} ${where.sql}`)
        .pluck()
        .get(...where.params) as number;
    });
  }

  /**
   * Runs a read, naming a collection that is not there (dropped by a promotion since the reader
   * chose it) as such, whatever SQLite or the field check said: the reader then reads again.
   */
  private reading<T>(collection: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      const table = this.db
        .prepare<[string], number>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .pluck()
        .get(`rm_${collection}`);
      if (table === undefined) throw new MissingCollectionError(collection);
      throw error;
    }
  }

  async commit(
    writes: readonly CollectionWrite[],
    advances: readonly CheckpointAdvance[],
  ): Promise<void> {
    const job: CommitJob = {
      advances: [...advances],
      writes: writes.map(({ collection, upserts, deletes }) => {
        const elementPaths = this.indexesOf(collection).filter(isElementField).map(pathOf);
        return {
          collection,
          elementPaths,
          upserts: upserts.map(({ id, position, document }) => [
            id,
            position,
            JSON.stringify(document),
            elementsOf(document, elementPaths),
          ]),
          deletes: [...deletes],
        };
      }),
    };
    await this.inTurn(() =>
      this.thread?.takesCommits() ? this.thread.commit(job) : this.writer.commit(job),
    );
  }

  async checkpoints(projection?: string): Promise<Checkpoint[]> {
    const rows = this.db
      .prepare<unknown[], Omit<Checkpoint, 'position'> & { position: string }>(
        `SELECT collection, projection, version, CAST(position AS TEXT) AS position, status FROM checkpoints
         ${projection === undefined ? '' : 'WHERE projection = ?'} ORDER BY collection`,
      )
      .all(...(projection === undefined ? [] : [projection]));
    return rows.map((row) => ({ ...row, position: BigInt(row.position) }));
  }

  async createCheckpoint(checkpoint: Checkpoint): Promise<void> {
    const { collection, projection, version, position, status } = checkpoint;
    const created = await this.inTurn(() =>
      this.db
        .prepare(
          `INSERT INTO checkpoints (collection, projection, version, position, status)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection) DO NOTHING`,
        )
        .run(collection, projection, version, position, status),
    );
    if (created.changes !== 1) throw new CheckpointMovedError(collection);
  }

  async promote(collection: string): Promise<void> {
    await this.inTurn(() => this.promoteNow(collection));
  }

  private async promoteNow(collection: string): Promise<void> {
    // Deferred indexes first, built by the writer thread when there is one: a large
    // collection's take seconds, which would otherwise hold every request of this process.
    if (this.thread?.takesCommits()) await this.thread.buildDeferredIndexes(collection);
    else {
      for (const step of this.indexes.deferredBuild(collection)) {
        step();
        // Between builds, the process answers what waited.
        await nextTurn();
      }
    }
    this.statements.delete(collection);
    this.db
      .transaction(() => {
        const row = this.db
          .prepare<[string], { projection: string }>(
            'SELECT projection FROM checkpoints WHERE collection = ?',
          )
          .get(collection);
        if (!row) throw new CheckpointMovedError(collection);
        const replaced = this.db
          .prepare<[string, string], string>(
            "SELECT collection FROM checkpoints WHERE projection = ? AND status = 'active' AND collection <> ?",
          )
          .pluck()
          .all(row.projection, collection);
        for (const old of replaced) this.drop(old);
        this.db
          .prepare("UPDATE checkpoints SET status = 'active' WHERE collection = ?")
          .run(collection);
      })
      .immediate();
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | null> {
    const now = this.clock.now().getTime();
    // One statement, so one write lock: it inserts, or takes over only a lease that is the
    // holder's own or has expired; otherwise it changes nothing.
    const taken = await this.inTurn(() =>
      this.db
        .prepare(
          `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
        )
        .run(name, holder, now + ttlMs, now),
    );
    return taken.changes === 1 ? { name, holder, expiresAt: new Date(now + ttlMs) } : null;
  }

  async renewLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = await this.inTurn(() =>
      this.db
        .prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?')
        .run(this.clock.now().getTime() + ttlMs, name, holder),
    );
    return renewed.changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.inTurn(() =>
      this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder),
    );
  }

  async lease(name: string): Promise<Lease | null> {
    const row = this.db
      .prepare<[string], { holder: string; expires_at: number }>(
        'SELECT holder, expires_at FROM leases WHERE name = ?',
      )
      .get(name);
    return row ? { name, holder: row.holder, expiresAt: new Date(row.expires_at) } : null;
  }

  async close(): Promise<void> {
    await this.lastWrite;
    await this.thread?.close();
    this.db.close();
  }

  private drop(name: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
    for (const side of this.indexes.sideTables(name)) this.indexes.dropSideTable(side.table);
    this.db.prepare('DELETE FROM collections WHERE name = ?').run(name);
    this.db.prepare('DELETE FROM checkpoints WHERE collection = ?').run(name);
    this.declared.delete(name);
    this.statements.delete(name);
  }

  /** The statements that read a collection. */
  private statementsOf(collection: string): CollectionStatements {
    let prepared = this.statements.get(collection);
    if (!prepared) {
      const table = tableOf(collection);
      prepared = {
        getMany: this.db.prepare(
          `SELECT id, CAST(position AS TEXT) AS position, json(doc) AS doc FROM ${table}
           WHERE id IN (SELECT value FROM json_each(?))`,
        ),
        scan: this.db.prepare(
          `SELECT id, CAST(position AS TEXT) AS position, json(doc) AS doc FROM ${table}
           WHERE id > ? ORDER BY id LIMIT ?`,
        ),
      };
      this.statements.set(collection, prepared);
    }
    return prepared;
  }

  /** The fields a collection declared: in this process, else as it was last ensured. */
  private indexesOf(collection: string): readonly string[] {
    const declared = this.declared.get(collection);
    if (declared) return [...declared];
    return this.indexes.recorded(collection)?.indexes ?? [];
  }

  private findSql(collection: string, options: FindOptions): { sql: string; params: unknown[] } {
    const where = this.where(collection, options.filter);
    const keys = sortKeysOf(options.sort);
    const order = keys.map(({ field, direction }) => {
      this.declaredField(collection, field);
      if (isElementField(field))
        throw new UnsupportedConditionError(
          collection,
          field,
          'is an element index: it cannot sort',
        );
      return `${extract(field)} ${direction === 'desc' ? 'DESC' : 'ASC'}`;
    });
    // Ties by id in the last key's direction: an index on (field, id) read backwards serves DESC.
    const tie = keys.at(-1)?.direction === 'desc' ? 'id DESC' : 'id ASC';
    const sql = `SELECT json(doc) FROM ${tableOf(collection)} ${where.sql} ORDER BY ${[...order, tie].join(', ')} LIMIT ? OFFSET ?`;
    return { sql, params: [...where.params, options.limit ?? -1, options.offset ?? 0] };
  }

  private declaredField(collection: string, field: string): string {
    let fields = this.declared.get(collection);
    if (!fields) {
      const indexes = this.db
        .prepare<[string], string>('SELECT indexes FROM collections WHERE name = ?')
        .pluck()
        .get(collection);
      fields = queryFieldsOf(indexes ? (JSON.parse(indexes) as string[]) : []);
      this.declared.set(collection, fields);
    }
    if (!fields.has(field)) throw new UndeclaredFieldError(collection, field);
    return field;
  }

  private where(collection: string, filter: Filter = {}): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    let deferred: boolean | undefined;
    for (const [field, value] of Object.entries(filter)) {
      this.declaredField(collection, field);
      for (const condition of conditionsOf(value)) {
        if (isElementField(field)) {
          checkElementCondition(collection, field, condition);
          deferred ??= this.indexes.recorded(collection)?.deferred === true;
        }
        const sql = isElementField(field)
          ? elementConditionSql(collection, field, condition, deferred === true)
          : conditionSql(extract(field), condition);
        for (const [clause, values] of sql) {
          clauses.push(clause);
          params.push(...values.map(bindable));
        }
      }
    }
    return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}

const RANGE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function conditionSql(expression: string, condition: Condition): [string, Scalar[]][] {
  if (condition === null) return [[`${expression} IS NULL`, []]];
  if (typeof condition !== 'object') return [[`${expression} = ?`, [condition]]];
  if (isPrefix(condition)) return prefixSql(expression, condition.startsWith);
  if ('in' in condition) {
    const values = condition.in.filter((value) => value !== null);
    const clauses =
      values.length === 0 ? [] : [`${expression} IN (${values.map(() => '?').join(', ')})`];
    if (values.length < condition.in.length) clauses.push(`${expression} IS NULL`);
    return [[clauses.length === 0 ? '0' : `(${clauses.join(' OR ')})`, values]];
  }
  return (Object.keys(RANGE) as (keyof typeof RANGE)[])
    .filter((op) => condition[op] !== undefined)
    .map((op) => [`${expression} ${RANGE[op]} ?`, [condition[op] as Scalar]]);
}

/** A range on the value, so that the index serves it: [prefix, the least text above it). */
function prefixSql(expression: string, prefix: string): [string, Scalar[]][] {
  const above = prefixUpperBound(prefix);
  // Text only: SQLite orders numbers below all text, so `>= ''` alone leaves them out.
  if (above === undefined)
    return [[`${expression} >= ? AND typeof(${expression}) = 'text'`, [prefix]]];
  return [[`${expression} >= ? AND ${expression} < ?`, [prefix, above]]];
}

/**
 * Documents with an element meeting the condition: found through the element index's table, or,
 * while the collection's indexes wait for its promotion, in each document's own list.
 */
function elementConditionSql(
  collection: string,
  field: string,
  condition: Condition,
  deferred: boolean,
): [string, Scalar[]][] {
  if (deferred) {
    return conditionSql('element.value', condition).map(([clause, values]) => [
      `EXISTS (SELECT 1 FROM json_each(doc, '$.${pathOf(field)}') AS element
         WHERE element.type NOT IN ('null', 'object', 'array') AND ${clause})`,
      values,
    ]);
  }
  return conditionSql('value', condition).map(([clause, values]) => [
    `id IN (SELECT doc_id FROM ${quote(sideTableOf(collection, pathOf(field)))} WHERE ${clause})`,
    values,
  ]);
}

/**
 * The element fields' lists of a document, as the `elements` column holds them (null when the
 * collection declares none): the same JSON text for the same lists, so an unchanged list is an
 * unchanged column.
 */
function elementsOf(document: object, paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  const lists: Record<string, unknown> = {};
  for (const path of paths) {
    let value: unknown = document;
    for (const key of path.split('.')) {
      value =
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    lists[path] = value ?? null;
  }
  return JSON.stringify(lists);
}

/** JSON booleans read back from json_extract as 1 and 0. */
function bindable(value: unknown): unknown {
  return typeof value === 'boolean' ? Number(value) : value;
}
