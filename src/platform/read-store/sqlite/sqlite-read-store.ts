import Database from 'better-sqlite3';
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
  isCompound,
  isElementField,
  isPrefix,
  pathOf,
  prefixUpperBound,
  queryFieldsOf,
  sortKeysOf,
} from '../field-conditions';

export interface SqliteReadStoreOptions {
  /** The database file, created with its folder; `:memory:` for throwaway stores. */
  file: string;
  busyTimeoutMs?: number;
  /** SQLite's page cache; 64 MB by default, for the service's hot pages (indexes, totals). */
  cacheMb?: number;
  /** What leases expire by; the system clock by default. */
  clock?: Clock;
}

interface CollectionStatements {
  /** Written while its indexes wait for its promotion: no side rows are kept meanwhile. */
  deferred: boolean;
  upsert: Database.Statement<[string, bigint, string, string | null]>;
  /** The element fields' paths, whose lists go in the `elements` column beside the document. */
  elementPaths: string[];
  /** The `elements` a document was last written with (undefined: a new document). */
  storedElements: Database.Statement<[string], string | null>;
  /** Per element index: its rows of one document removed, and written (id, `elements` text). */
  sides: { remove: Database.Statement<[string]>; insert: Database.Statement<[string, string]> }[];
  remove: Database.Statement<[string]>;
  getMany: Database.Statement<[string], { id: string; position: string; doc: string }>;
  scan: Database.Statement<[string, number], { id: string; position: string; doc: string }>;
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Read models in their own SQLite file: one table per collection holding each document as JSON,
 * with an expression index per declared field. An element index (`tokens[]`) cannot be an
 * expression index (one row, many values), so it is a side table `rx_<collection>[tokens]` of
 * (value, document id) pairs keyed by value, written in the same transaction as the document. The
 * lists also go, as a small JSON text, in the row's `elements` column: a write compares it with
 * the stored one and rewrites the side rows only when a list changed (most updates, a visit or an
 * aid, leave a name's words alone); SQLite triggers doing the same made every write slower,
 * changed or not. Documents and checkpoints are written in one transaction.
 * `synchronous=NORMAL` suffices here: a power cut may lose the last commits, but documents and
 * checkpoints go back together, and the engine replays what is missing.
 */
export class SqliteReadStore implements ReadStore {
  readonly adapter = 'sqlite';

  private readonly db: Database.Database;
  private readonly declared = new Map<string, Set<string>>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly clock: Clock;
  /** A collection as last ensured: its declared indexes (JSON) and whether they wait. */
  private readonly stored: Database.Statement<[string], { indexes: string; deferred: number }>;

  constructor(options: SqliteReadStoreOptions) {
    this.clock = options.clock ?? systemClock;
    // Owner-only: the file (and so its -wal and -shm) and a folder made for it.
    if (options.file !== ':memory:') ensurePrivateFile(options.file);
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Documents hold names and phone numbers: text a document no longer holds (an erased
    // person's, a dropped collection's) is overwritten with zeros, not left in free space.
    this.db.pragma('secure_delete = ON');
    this.db.pragma(`cache_size = -${(options.cacheMb ?? 64) * 1024}`);
    // Checkpoints every 16 MB of WAL: rarer than SQLite's 4 MB default, as hot pages (indexes,
    // totals) are then copied less often, yet short enough not to stall live reads.
    this.db.pragma('wal_autocheckpoint = 4000');
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
    this.stored = this.db.prepare('SELECT indexes, deferred FROM collections WHERE name = ?');
  }

  async ensureCollection(
    spec: CollectionSpec,
    options: EnsureCollectionOptions = {},
  ): Promise<void> {
    const table = tableOf(spec.name);
    checkIndexes(spec.name, spec.indexes);
    this.db
      .transaction(() => {
        const stored = this.stored.get(spec.name);
        this.db.exec(
          `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, position INTEGER NOT NULL, doc BLOB NOT NULL, elements TEXT) WITHOUT ROWID`,
        );
        // Tables made before element indexes existed lack the column.
        const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
        if (!columns.some((column) => column.name === 'elements')) {
          this.db.exec(`ALTER TABLE ${table} ADD COLUMN elements TEXT`);
        }
        // Deferred only while no index was ever built: a collection never loses one here.
        const deferred = options.deferIndexes === true && (!stored || stored.deferred === 1);
        if (!deferred) this.buildIndexes(spec.name, spec.indexes);
        this.db
          .prepare('INSERT OR REPLACE INTO collections (name, indexes, deferred) VALUES (?, ?, ?)')
          .run(spec.name, JSON.stringify(spec.indexes), deferred ? 1 : 0);
      })
      .immediate();
    this.declared.set(spec.name, queryFieldsOf(spec.indexes));
    this.statements.delete(spec.name);
  }

  /** A collection's declared indexes, those missing made from the rows stored. */
  private buildIndexes(collection: string, indexes: readonly string[]): void {
    for (const step of this.indexSteps(collection, indexes)) step();
  }

  /** buildIndexes, one index at a time: each one statement over every row. */
  private indexSteps(collection: string, indexes: readonly string[]): (() => void)[] {
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

  async dropCollection(name: string): Promise<void> {
    this.db.transaction(() => this.drop(name)).immediate();
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
    const advance = this.db.prepare<[bigint, string, bigint]>(
      'UPDATE checkpoints SET position = ? WHERE collection = ? AND position = ?',
    );
    this.db
      .transaction(() => {
        for (const { collection, from, to } of advances) {
          if (advance.run(to, collection, from).changes !== 1)
            throw new CheckpointMovedError(collection);
        }
        for (const write of writes) {
          const statements = this.statementsOf(
            write.collection,
            this.stored.get(write.collection)?.deferred === 1,
          );
          for (const { id, position, document } of write.upserts) {
            const elements = elementsOf(document, statements.elementPaths);
            // A deferred collection keeps `elements` alone: its side tables are filled from the
            // documents when they are built.
            if (elements !== null && statements.sides.length > 0) {
              writeSideRows(statements, id, elements);
            }
            statements.upsert.run(id, position, JSON.stringify(document), elements);
          }
          for (const id of write.deletes) {
            for (const side of statements.sides) side.remove.run(id);
            statements.remove.run(id);
          }
        }
      })
      .immediate();
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
    const created = this.db
      .prepare(
        `INSERT INTO checkpoints (collection, projection, version, position, status)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection) DO NOTHING`,
      )
      .run(collection, projection, version, position, status);
    if (created.changes !== 1) throw new CheckpointMovedError(collection);
  }

  async promote(collection: string): Promise<void> {
    // Deferred indexes first, each in a transaction of its own with a turn of the event loop
    // between: one index build at a time holds the write lock and this process, not all of them.
    const stored = this.stored.get(collection);
    if (stored?.deferred === 1) {
      for (const step of this.indexSteps(collection, JSON.parse(stored.indexes) as string[])) {
        this.db.transaction(step).immediate();
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.db.prepare('UPDATE collections SET deferred = 0 WHERE name = ?').run(collection);
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
    const taken = this.db
      .prepare(
        `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
      )
      .run(name, holder, now + ttlMs, now);
    return taken.changes === 1 ? { name, holder, expiresAt: new Date(now + ttlMs) } : null;
  }

  async renewLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const renewed = this.db
      .prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?')
      .run(this.clock.now().getTime() + ttlMs, name, holder);
    return renewed.changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?').run(name, holder);
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
    this.db.close();
  }

  private drop(name: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${tableOf(name)}`);
    for (const side of this.sideTables(name)) this.dropSideTable(side.table);
    this.db.prepare('DELETE FROM collections WHERE name = ?').run(name);
    this.db.prepare('DELETE FROM checkpoints WHERE collection = ?').run(name);
    this.declared.delete(name);
    this.statements.delete(name);
  }

  /**
   * The statements that write and read a collection. For writes, `deferred` is read afresh (in
   * the commit's transaction): another process may have promoted the collection meanwhile, and
   * its side rows must then be kept from the next write on.
   */
  private statementsOf(collection: string, deferred?: boolean): CollectionStatements {
    let prepared = this.statements.get(collection);
    if (!prepared || (deferred !== undefined && prepared.deferred !== deferred)) {
      const table = tableOf(collection);
      const elementFields = this.indexesOf(collection).filter(isElementField);
      const waiting = deferred ?? this.stored.get(collection)?.deferred === 1;
      prepared = {
        deferred: waiting,
        upsert: this.db.prepare(
          `INSERT INTO ${table} (id, position, doc, elements) VALUES (?, ?, jsonb(?), ?)
           ON CONFLICT (id) DO UPDATE
           SET position = excluded.position, doc = excluded.doc, elements = excluded.elements`,
        ),
        elementPaths: elementFields.map(pathOf),
        storedElements: this.db
          .prepare<[string], string | null>(`SELECT elements FROM ${table} WHERE id = ?`)
          .pluck(),
        sides: (waiting ? [] : elementFields).map((field) => {
          const side = quote(sideTableOf(collection, field));
          return {
            remove: this.db.prepare(`DELETE FROM ${side} WHERE doc_id = ?`),
            insert: this.db.prepare(
              `INSERT OR IGNORE INTO ${side} (value, doc_id) SELECT element.value, ?
               FROM json_each(?, '$."${pathOf(field)}"') AS element
               WHERE element.type NOT IN ('null', 'object', 'array')`,
            ),
          };
        }),
        remove: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
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

  /**
   * The side table of an element index, and (when new) its rows for the documents already
   * stored. Only scalar elements are indexed: nulls, objects and arrays are no values of it.
   */
  private ensureElementIndex(collection: string, field: string): void {
    const table = tableOf(collection);
    const name = sideTableOf(collection, field);
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

  /** The fields a collection declared: in this process, else as it was last ensured. */
  private indexesOf(collection: string): readonly string[] {
    const declared = this.declared.get(collection);
    if (declared) return [...declared];
    const stored = this.stored.get(collection);
    return stored === undefined ? [] : (JSON.parse(stored.indexes) as string[]);
  }

  /** The side tables of a collection's element indexes, and the field each serves. */
  private sideTables(collection: string): { table: string; field: string }[] {
    const prefix = `rx_${collection}[`;
    return this.db
      .prepare<[number, string], string>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?",
      )
      .pluck()
      .all(prefix.length, prefix)
      .map((table) => ({ table, field: `${table.slice(prefix.length, -1)}[]` }));
  }

  private dropSideTable(table: string): void {
    this.db.exec(`DROP TABLE IF EXISTS ${quote(table)}`);
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
          deferred ??= this.stored.get(collection)?.deferred === 1;
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
    `id IN (SELECT doc_id FROM ${quote(sideTableOf(collection, field))} WHERE ${clause})`,
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

/** A document's side rows made to match `elements`, unless it was stored with exactly these. */
function writeSideRows(statements: CollectionStatements, id: string, elements: string): void {
  const stored = statements.storedElements.get(id);
  if (stored === elements) return;
  for (const side of statements.sides) {
    if (stored !== undefined) side.remove.run(id);
    side.insert.run(id, elements);
  }
}

/** JSON booleans read back from json_extract as 1 and 0. */
function bindable(value: unknown): unknown {
  return typeof value === 'boolean' ? Number(value) : value;
}

function extract(field: string): string {
  return `json_extract(doc, '$.${field}')`;
}

function sideTableOf(collection: string, field: string): string {
  return `rx_${collection}[${pathOf(field)}]`;
}

function tableOf(collection: string): string {
  if (!NAME.test(collection)) throw new Error(`"${collection}" is not a valid collection name`);
  return quote(`rm_${collection}`);
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
