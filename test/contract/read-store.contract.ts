import { randomUUID } from 'node:crypto';
import { FixedClock, type Clock } from '../../src/platform/clock';
import { ReadModels } from '../../src/read/read-models';
import {
  CheckpointMovedError,
  MissingCollectionError,
  UndeclaredFieldError,
  UnsupportedConditionError,
  type Checkpoint,
  type CollectionSpec,
  type Condition,
  type FindOptions,
  type QueryPlan,
  type ReadStore,
  type StoredDocument,
} from '../../src/platform/read-store/read-store.port';

export interface ReadStoreUnderTest {
  store: ReadStore;
  /** Closes the store and removes what the test created, where the adapter can. */
  dispose(): Promise<void>;
  /** How the adapter would run a find: to check that a search is answered from an index. */
  explain(collection: string, options: FindOptions): Promise<QueryPlan>;
}

/** One past 2^53: a JavaScript number cannot hold it, so it shows a lossy round-trip. */
const BEYOND_DOUBLE = 9007199254740993n;

interface Recipient {
  regency: string;
  kind: 'rse' | 'kube';
  amount: number;
  active: boolean;
  closedReason?: string | null;
  disbursedAt: string;
  disbursement: { year: number };
}

const RECIPIENT_FIELDS = [
  'regency',
  'kind',
  'amount',
  'active',
  'closedReason',
  'disbursedAt',
  'disbursement.year',
];

/** r3 has no closedReason at all; r1 and r5 hold it as null. */
const RECIPIENTS: Record<string, Recipient> = {
  r1: {
    regency: 'Samarinda',
    kind: 'rse',
    amount: 5_000_000,
    active: true,
    closedReason: null,
    disbursedAt: '2024-03-01T08:00:00.000Z',
    disbursement: { year: 2024 },
  },
  r2: {
    regency: 'Balikpapan',
    kind: 'kube',
    amount: 20_000_000,
    active: false,
    closedReason: 'market competition',
    disbursedAt: '2024-11-30T23:59:59.999Z',
    disbursement: { year: 2024 },
  },
  r3: {
    regency: 'Samarinda',
    kind: 'kube',
    amount: 20_000_000,
    active: true,
    disbursedAt: '2025-01-15T10:30:00.000Z',
    disbursement: { year: 2025 },
  },
  r4: {
    regency: 'Kutai Barat',
    kind: 'rse',
    amount: 5_000_000,
    active: false,
    closedReason: 'motivation',
    disbursedAt: '2025-06-30T00:00:00.000Z',
    disbursement: { year: 2025 },
  },
  r5: {
    regency: 'Samarinda',
    kind: 'rse',
    amount: 0,
    active: true,
    closedReason: null,
    disbursedAt: '2026-02-01T00:00:00.000Z',
    disbursement: { year: 2026 },
  },
};

function stored<Doc extends object>(id: string, document: Doc, position = 1n): StoredDocument {
  return { id, position, document };
}

const T0 = new Date('2025-06-20T02:00:00.000Z').getTime();

/**
 * The behaviour every ReadStore adapter must show. Collection and projection names are unique per
 * test, so the suite can run against a shared server that already holds other read models. The
 * store is opened with the clock its leases must expire by.
 */
export function describeReadStoreContract(
  adapterName: string,
  open: (clock: Clock) => Promise<ReadStoreUnderTest>,
): void {
  describe(`ReadStore contract: ${adapterName}`, () => {
    let subject: ReadStoreUnderTest;
    let store: ReadStore;
    let clock: FixedClock;
    let prefix: string;

    beforeEach(async () => {
      clock = new FixedClock(new Date(T0));
      subject = await open(clock);
      store = subject.store;
      prefix = `t${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    /** A collection or projection name of this test only. */
    const named = (suffix: string) => `${prefix}_${suffix}`;

    /** Writes documents without a checkpoint: only for setting up a scene. */
    async function seed(collection: string, documents: readonly StoredDocument[]): Promise<void> {
      await store.commit([{ collection, upserts: [...documents], deletes: [] }], []);
    }

    async function recipients(): Promise<string> {
      const collection = named('recipients');
      await store.ensureCollection({ name: collection, indexes: RECIPIENT_FIELDS });
      await seed(
        collection,
        Object.entries(RECIPIENTS).map(([id, doc]) => stored(id, doc)),
      );
      return collection;
    }

    /** The ids of the recipients found, sorted, after checking each document whole. */
    async function idsOf(collection: string, options: FindOptions): Promise<string[]> {
      const found = await store.find<Recipient>(collection, options);
      const ids = found.map((doc) => {
        const id =
          Object.keys(RECIPIENTS).find((r) => RECIPIENTS[r].disbursedAt === doc.disbursedAt) ??
          `unknown: ${JSON.stringify(doc)}`;
        expect(doc).toEqual(RECIPIENTS[id]);
        return id;
      });
      return ids.sort();
    }

    /** A collection whose documents are their own ids: `{ id, group, rank }`. */
    async function ranked(count: number): Promise<string> {
      const collection = named('ranked');
      await store.ensureCollection({ name: collection, indexes: ['group', 'rank'] });
      await seed(
        collection,
        Array.from({ length: count }, (_, i) => {
          const id = `d${String(i).padStart(3, '0')}`;
          return stored(id, { id, group: i % 2 === 0 ? 'even' : 'odd', rank: (i * 7) % 5 });
        }),
      );
      return collection;
    }

    function checkpoint(collection: string, overrides: Partial<Checkpoint> = {}): Checkpoint {
      return {
        projection: named('projection'),
        collection,
        version: 1,
        position: 0n,
        status: 'building',
        ...overrides,
      };
    }

    async function collectionWithCheckpoint(
      suffix: string,
      overrides: Partial<Checkpoint> = {},
    ): Promise<string> {
      const collection = named(suffix);
      await store.ensureCollection({ name: collection, indexes: ['kind'] });
      await store.createCheckpoint(checkpoint(collection, overrides));
      return collection;
    }

    async function checkpointOf(collection: string): Promise<Checkpoint | undefined> {
      return (await store.checkpoints()).find((c) => c.collection === collection);
    }

    describe('collections', () => {
      it('ensureCollection is idempotent and keeps the documents', async () => {
        const spec: CollectionSpec = { name: named('registry'), indexes: ['kind'] };
        await store.ensureCollection(spec);
        await seed(spec.name, [stored('a', { kind: 'rse' }), stored('b', { kind: 'kube' })]);
        await store.ensureCollection(spec);
        await store.ensureCollection({ ...spec });
        expect(await store.count(spec.name)).toBe(2);
        expect(await store.find(spec.name, { filter: { kind: 'rse' } })).toEqual([{ kind: 'rse' }]);
      });

      it('declaring another field later makes it queryable and keeps the documents', async () => {
        const name = named('registry');
        await store.ensureCollection({ name, indexes: ['kind'] });
        await seed(name, [stored('a', { kind: 'rse', regency: 'Berau' })]);
        await store.ensureCollection({ name, indexes: ['kind', 'regency'] });
        expect(await store.find(name, { filter: { regency: 'Berau', kind: 'rse' } })).toEqual([
          { kind: 'rse', regency: 'Berau' },
        ]);
      });

      it('dropCollection removes its documents', async () => {
        const spec: CollectionSpec = { name: named('registry'), indexes: ['kind'] };
        await store.ensureCollection(spec);
        await seed(spec.name, [stored('a', { kind: 'rse' })]);
        await store.dropCollection(spec.name);
        await store.ensureCollection(spec);
        expect(await store.count(spec.name)).toBe(0);
        expect(await store.get(spec.name, 'a')).toBeNull();
      });
    });

    describe('get and getMany', () => {
      it('get answers the document, or null for an id it does not hold', async () => {
        const collection = await recipients();
        expect(await store.get<Recipient>(collection, 'r2')).toEqual(RECIPIENTS.r2);
        expect(await store.get(collection, 'r9')).toBeNull();
      });

      it('getMany answers the ids it holds with their positions, and leaves missing ids out', async () => {
        const collection = named('positions');
        await store.ensureCollection({ name: collection, indexes: [] });
        await seed(collection, [
          stored('small', { n: 1 }, 7n),
          stored('large', { n: 2 }, BEYOND_DOUBLE),
        ]);
        const found = await store.getMany(collection, ['small', 'missing', 'large']);
        expect([...found.keys()].sort()).toEqual(['large', 'small']);
        expect(found.get('small')).toEqual({ id: 'small', position: 7n, document: { n: 1 } });
        expect(found.get('large')).toEqual({
          id: 'large',
          position: BEYOND_DOUBLE,
          document: { n: 2 },
        });
        expect(typeof found.get('small')?.position).toBe('bigint');
        expect((await store.getMany(collection, [])).size).toBe(0);
      });

      it('scan pages through every document in id order, with positions', async () => {
        const collection = named('scan');
        await store.ensureCollection({ name: collection, indexes: [] });
        const ids = ['b', 'a10', 'a2', 'c', 'A'];
        await seed(
          collection,
          ids.map((id, index) => stored(id, { id }, BigInt(index + 1))),
        );
        const pages: string[][] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.scan(collection, after, 2);
          if (page.length === 0) break;
          pages.push(page.map((document) => document.id));
          after = page[page.length - 1].id;
        }
        expect(pages).toEqual([['A', 'a10'], ['a2', 'b'], ['c']]);
        const [first] = await store.scan(collection, undefined, 1);
        expect(first).toEqual({ id: 'A', position: 5n, document: { id: 'A' } });
        expect(await store.scan(collection, undefined, 0)).toEqual([]);
      });
    });

    describe('find', () => {
      it('filters by equality on strings', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { regency: 'Samarinda' } })).toEqual([
          'r1',
          'r3',
          'r5',
        ]);
        expect(await idsOf(collection, { filter: { regency: 'samarinda' } })).toEqual([]);
      });

      it('filters by equality on numbers, zero included', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { amount: 20_000_000 } })).toEqual(['r2', 'r3']);
        expect(await idsOf(collection, { filter: { amount: 0 } })).toEqual(['r5']);
      });

      it('filters by equality on booleans', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { active: true } })).toEqual(['r1', 'r3', 'r5']);
        expect(await idsOf(collection, { filter: { active: false } })).toEqual(['r2', 'r4']);
      });

      it('null matches a field that is null or missing', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { closedReason: null } })).toEqual([
          'r1',
          'r3',
          'r5',
        ]);
      });

      it('in matches any of the listed values; an empty list matches nothing', async () => {
        const collection = await recipients();
        expect(
          await idsOf(collection, { filter: { regency: { in: ['Balikpapan', 'Kutai Barat'] } } }),
        ).toEqual(['r2', 'r4']);
        expect(await idsOf(collection, { filter: { amount: { in: [0, 20_000_000] } } })).toEqual([
          'r2',
          'r3',
          'r5',
        ]);
        expect(await idsOf(collection, { filter: { active: { in: [false] } } })).toEqual([
          'r2',
          'r4',
        ]);
        expect(await idsOf(collection, { filter: { regency: { in: [] } } })).toEqual([]);
        expect(await store.count(collection, { regency: { in: [] } })).toBe(0);
      });

      it('in with null among the values matches a field that is null or missing, like equality', async () => {
        const collection = await recipients();
        expect(
          await idsOf(collection, { filter: { closedReason: { in: [null, 'motivation'] } } }),
        ).toEqual(['r1', 'r3', 'r4', 'r5']);
      });

      it('filters by ranges on numbers', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { amount: { gt: 5_000_000 } } })).toEqual([
          'r2',
          'r3',
        ]);
        expect(await idsOf(collection, { filter: { amount: { gte: 5_000_000 } } })).toEqual([
          'r1',
          'r2',
          'r3',
          'r4',
        ]);
        expect(await idsOf(collection, { filter: { amount: { lt: 5_000_000 } } })).toEqual(['r5']);
        expect(await idsOf(collection, { filter: { amount: { lte: 5_000_000 } } })).toEqual([
          'r1',
          'r4',
          'r5',
        ]);
        expect(await idsOf(collection, { filter: { amount: { gt: 0, lt: 20_000_000 } } })).toEqual([
          'r1',
          'r4',
        ]);
      });

      it('filters by ranges on ISO date strings', async () => {
        const collection = await recipients();
        expect(
          await idsOf(collection, {
            filter: {
              disbursedAt: { gte: '2024-11-30T23:59:59.999Z', lt: '2025-06-30T00:00:00.000Z' },
            },
          }),
        ).toEqual(['r2', 'r3']);
        expect(
          await idsOf(collection, {
            filter: {
              disbursedAt: { gt: '2024-11-30T23:59:59.999Z', lte: '2025-06-30T00:00:00.000Z' },
            },
          }),
        ).toEqual(['r3', 'r4']);
        expect(await idsOf(collection, { filter: { disbursedAt: { gte: '2026-01-01' } } })).toEqual(
          ['r5'],
        );
      });

      it('ANDs several conditions', async () => {
        const collection = await recipients();
        expect(
          await idsOf(collection, {
            filter: {
              regency: 'Samarinda',
              kind: { in: ['rse'] },
              amount: { gte: 1 },
              active: true,
            },
          }),
        ).toEqual(['r1']);
        expect(
          await idsOf(collection, { filter: { regency: 'Samarinda', active: false } }),
        ).toEqual([]);
      });

      it('filters on nested fields by dot path', async () => {
        const collection = await recipients();
        expect(await idsOf(collection, { filter: { 'disbursement.year': 2025 } })).toEqual([
          'r3',
          'r4',
        ]);
        expect(
          await idsOf(collection, { filter: { 'disbursement.year': { gte: 2025 }, kind: 'rse' } }),
        ).toEqual(['r4', 'r5']);
      });

      it('sorts ascending and descending on a declared field, ties broken by id in the same direction', async () => {
        const collection = await recipients();
        const asc = await store.find<Recipient>(collection, {
          sort: { field: 'amount', direction: 'asc' },
        });
        expect(asc.map((d) => d.disbursedAt)).toEqual(
          ['r5', 'r1', 'r4', 'r2', 'r3'].map((id) => RECIPIENTS[id].disbursedAt),
        );
        const desc = await store.find<Recipient>(collection, {
          sort: { field: 'amount', direction: 'desc' },
        });
        // The exact reverse of the ascending order: one index on (amount, id) serves both.
        expect(desc.map((d) => d.disbursedAt)).toEqual(
          ['r3', 'r2', 'r4', 'r1', 'r5'].map((id) => RECIPIENTS[id].disbursedAt),
        );
        const byDate = await store.find<Recipient>(collection, {
          filter: { regency: 'Samarinda' },
          sort: { field: 'disbursedAt', direction: 'desc' },
        });
        expect(byDate).toEqual([RECIPIENTS.r5, RECIPIENTS.r3, RECIPIENTS.r1]);
      });

      it('pages with limit and offset, with no gap and no duplicate', async () => {
        const collection = await ranked(23);
        for (const direction of ['asc', 'desc'] as const) {
          const sort = { field: 'rank', direction };
          const whole = await store.find<{ id: string }>(collection, { sort });
          expect(whole).toHaveLength(23);
          const paged: { id: string }[] = [];
          for (let offset = 0; offset < 30; offset += 5) {
            paged.push(
              ...(await store.find<{ id: string }>(collection, { sort, offset, limit: 5 })),
            );
          }
          expect(paged.map((d) => d.id)).toEqual(whole.map((d) => d.id));
          expect(new Set(paged.map((d) => d.id)).size).toBe(23);
        }
        const odd = await store.find<{ id: string }>(collection, {
          filter: { group: 'odd' },
          sort: { field: 'rank', direction: 'asc' },
          offset: 3,
          limit: 4,
        });
        const allOdd = await store.find<{ id: string }>(collection, {
          filter: { group: 'odd' },
          sort: { field: 'rank', direction: 'asc' },
        });
        expect(odd).toEqual(allOdd.slice(3, 7));
        expect(await store.find(collection, { offset: 23 })).toEqual([]);
      });

      it('a limit of 0 answers nothing', async () => {
        const collection = await ranked(3);
        expect(await store.find(collection, { limit: 0 })).toEqual([]);
      });

      it('counts with and without a filter', async () => {
        const collection = await recipients();
        expect(await store.count(collection)).toBe(5);
        expect(await store.count(collection, {})).toBe(5);
        expect(await store.count(collection, { regency: 'Samarinda', amount: { gt: 0 } })).toBe(2);
        expect(await store.count(collection, { closedReason: null })).toBe(3);
      });

      it('rejects a filter or sort on an undeclared field with UndeclaredFieldError', async () => {
        const collection = await recipients();
        const attempts = [
          () => store.find(collection, { filter: { name: 'Siti' } }),
          () =>
            store.find(collection, { filter: { regency: 'Samarinda', name: { in: ['Siti'] } } }),
          () => store.find(collection, { filter: { disbursement: null } }),
          () => store.find(collection, { sort: { field: 'name', direction: 'asc' } }),
          () => store.count(collection, { name: 'Siti' }),
        ];
        for (const attempt of attempts) {
          await expect(attempt()).rejects.toBeInstanceOf(UndeclaredFieldError);
        }
        const error = await store.find(collection, { filter: { name: 'Siti' } }).catch((e) => e);
        expect(error).toMatchObject({ collection, field: 'name' });
      });
    });

    describe('compound indexes', () => {
      /** `{ group, rank }` in a collection that declares the compound `group,rank`. */
      async function grouped(): Promise<string> {
        const collection = named('grouped');
        await store.ensureCollection({
          name: collection,
          indexes: ['group', 'rank', 'group,rank'],
        });
        // Enough documents that no planner finds sorting them all as cheap as the index.
        await seed(
          collection,
          Array.from({ length: 300 }, (_, i) => {
            const id = `d${String(i).padStart(3, '0')}`;
            return stored(id, { id, group: `g${i % 3}`, rank: i % 7 });
          }),
        );
        return collection;
      }

      it('sorts by its keys in order, then by id, either way, reading the index in order', async () => {
        const collection = await grouped();
        for (const direction of ['asc', 'desc'] as const) {
          const sort = [
            { field: 'group', direction },
            { field: 'rank', direction },
          ];
          const found = await store.find<{ id: string; group: string; rank: number }>(collection, {
            sort,
            limit: 20,
          });
          const keyOf = (d: { id: string; group: string; rank: number }) =>
            `${d.group}/${d.rank}/${d.id}`;
          const expected = [...found].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
          expect(found).toEqual(direction === 'asc' ? expected : expected.reverse());
          const plan = await subject.explain(collection, { sort, limit: 20 });
          expect({ blockingSort: plan.blockingSort, detail: plan.detail }).toMatchObject({
            blockingSort: false,
          });
        }
      });

      it('serves an equality on its first field with a sort by its second', async () => {
        const collection = await grouped();
        const options: FindOptions = {
          filter: { group: 'g1' },
          sort: { field: 'rank', direction: 'desc' },
          limit: 5,
        };
        const found = await store.find<{ group: string; rank: number }>(collection, options);
        expect(found.map((d) => [d.group, d.rank])).toEqual(Array(5).fill(['g1', 6]));
        const plan = await subject.explain(collection, options);
        expect(plan.indexedFields).toContain('group');
        expect({ blockingSort: plan.blockingSort, detail: plan.detail }).toMatchObject({
          blockingSort: false,
        });
      });

      it('is no field, and takes only scalar fields declared on their own', async () => {
        const collection = await grouped();
        await expect(
          store.find(collection, { filter: { 'group,rank': 'x' } }),
        ).rejects.toBeInstanceOf(UndeclaredFieldError);
        const name = named('bad');
        await expect(
          store.ensureCollection({ name, indexes: ['group', 'group,rank'] }),
        ).rejects.toMatchObject({ name: 'UndeclaredFieldError', field: 'rank' });
        await expect(
          store.ensureCollection({ name, indexes: ['group', 'tags[]', 'group,tags[]'] }),
        ).rejects.toBeInstanceOf(UnsupportedConditionError);
      });
    });

    describe('element indexes and prefixes', () => {
      interface Person {
        name: string;
        tokens: string[];
        hashes: string[];
        order: number;
      }

      /** Folded name tokens, as a search read model stores them. */
      const PEOPLE: Record<string, Person> = {
        p1: { name: 'Siti Aminah', tokens: ['siti', 'aminah'], hashes: ['h1'], order: 3 },
        p2: { name: 'Sitti Rahma', tokens: ['sitti', 'rahma'], hashes: ['h2'], order: 1 },
        p3: {
          name: 'KUBe Anyaman Rotan',
          tokens: ['kube', 'anyaman', 'rotan', 'siti', 'budi'],
          hashes: ['h3', 'h4', 'h5'],
          order: 2,
        },
        p4: { name: 'Aminah', tokens: ['aminah'], hashes: [], order: 2 },
        p5: { name: 'Nur.Aini', tokens: ['nur.aini', 'x*y', 'Über'], hashes: ['h6'], order: 5 },
      };

      async function people(): Promise<string> {
        const collection = named('people');
        await store.ensureCollection({
          name: collection,
          indexes: ['name', 'order', 'tokens[]', 'hashes[]'],
        });
        await seed(
          collection,
          Object.entries(PEOPLE).map(([id, doc]) => stored(id, doc)),
        );
        return collection;
      }

      /** The ids found, in the order found, after checking each document whole. */
      async function found(collection: string, options: FindOptions): Promise<string[]> {
        const documents = await store.find<Person>(collection, options);
        return documents.map((doc) => {
          const id =
            Object.keys(PEOPLE).find((p) => PEOPLE[p].name === doc.name) ??
            `unknown: ${JSON.stringify(doc)}`;
          expect(doc).toEqual(PEOPLE[id]);
          return id;
        });
      }

      const sorted = async (collection: string, options: FindOptions) =>
        (await found(collection, options)).sort();

      it('matches a document when any element equals the value, or one of the values', async () => {
        const collection = await people();
        expect(await sorted(collection, { filter: { 'hashes[]': 'h4' } })).toEqual(['p3']);
        expect(await sorted(collection, { filter: { 'hashes[]': 'h9' } })).toEqual([]);
        expect(await sorted(collection, { filter: { 'hashes[]': { in: ['h1', 'h5'] } } })).toEqual([
          'p1',
          'p3',
        ]);
        expect(await store.count(collection, { 'tokens[]': 'aminah' })).toBe(2);
      });

      it('matches by prefix of any element; several prefixes must each begin some element', async () => {
        const collection = await people();
        expect(await sorted(collection, { filter: { 'tokens[]': { startsWith: 'sit' } } })).toEqual(
          ['p1', 'p2', 'p3'],
        );
        expect(
          await sorted(collection, { filter: { 'tokens[]': { startsWith: 'siti' } } }),
        ).toEqual(['p1', 'p3']);
        const both = { 'tokens[]': [{ startsWith: 'sit' }, { startsWith: 'ami' }] };
        expect(await sorted(collection, { filter: both })).toEqual(['p1']);
        expect(await store.count(collection, both)).toBe(1);
        expect(
          await sorted(collection, {
            filter: { 'tokens[]': [{ startsWith: 'sit' }, { startsWith: 'bud' }] },
          }),
        ).toEqual(['p3']);
        expect(
          await sorted(collection, {
            filter: { 'tokens[]': [{ startsWith: 'sit' }, { startsWith: 'zzz' }] },
          }),
        ).toEqual([]);
      });

      it('compares a prefix exactly and literally: case, accents, and characters a pattern would read', async () => {
        const collection = await people();
        const prefixed = (startsWith: string) =>
          sorted(collection, { filter: { 'tokens[]': { startsWith } } });
        expect(await prefixed('Siti')).toEqual([]);
        expect(await prefixed('Üb')).toEqual(['p5']);
        expect(await prefixed('ub')).toEqual([]);
        expect(await prefixed('nur.')).toEqual(['p5']);
        expect(await prefixed('nu.')).toEqual([]);
        expect(await prefixed('x*')).toEqual(['p5']);
        expect(await prefixed('x.*')).toEqual([]);
        expect(await prefixed('aminah')).toEqual(['p1', 'p4']);
        expect(await prefixed('aminahx')).toEqual([]);
      });

      it('takes a prefix on a plain field too, as a range of its index', async () => {
        const collection = await people();
        expect(await sorted(collection, { filter: { name: { startsWith: 'Sit' } } })).toEqual([
          'p1',
          'p2',
        ]);
        expect(await sorted(collection, { filter: { name: { startsWith: 'sit' } } })).toEqual([]);
        expect(await sorted(collection, { filter: { name: { startsWith: '' } } })).toEqual(
          Object.keys(PEOPLE),
        );
        const numbers = await recipients();
        expect(await idsOf(numbers, { filter: { amount: { startsWith: '5' } } })).toEqual([]);
        expect(await idsOf(numbers, { filter: { regency: { startsWith: 'Kutai' } } })).toEqual([
          'r4',
        ]);
      });

      it('keeps text of digits as text and numbers as numbers in an element index', async () => {
        const name = named('digits');
        await store.ensureCollection({ name, indexes: ['codes[]'] });
        await seed(name, [
          stored('text', { codes: ['2025', '0042', 'x7'] }),
          stored('number', { codes: [2025, 7] }),
        ]);
        const ids = async (condition: Condition) =>
          (await store.find<{ codes: unknown[] }>(name, { filter: { 'codes[]': condition } }))
            .map((doc) => (typeof doc.codes[0] === 'string' ? 'text' : 'number'))
            .sort();
        expect(await ids({ startsWith: '20' })).toEqual(['text']);
        expect(await ids({ startsWith: '004' })).toEqual(['text']);
        expect(await ids('2025')).toEqual(['text']);
        expect(await ids(2025)).toEqual(['number']);
        expect(await ids({ in: ['0042', 7] })).toEqual(['number', 'text']);
      });

      it('ANDs a list of conditions on a plain field', async () => {
        const collection = await recipients();
        expect(
          await idsOf(collection, { filter: { amount: [{ gte: 1 }, { lt: 20_000_000 }] } }),
        ).toEqual(['r1', 'r4']);
      });

      it('follows upserts and deletes: a replaced element no longer matches, a deleted document is gone', async () => {
        const collection = await people();
        await seed(collection, [
          stored('p1', { ...PEOPLE.p1, tokens: ['siti', 'aisyah'], hashes: ['h7'] }, 2n),
        ]);
        await store.commit([{ collection, upserts: [], deletes: ['p3'] }], []);
        expect(await store.count(collection, { 'tokens[]': { startsWith: 'ami' } })).toBe(1);
        expect(await store.count(collection, { 'tokens[]': { startsWith: 'ais' } })).toBe(1);
        expect(await store.count(collection, { 'hashes[]': 'h1' })).toBe(0);
        expect(await store.count(collection, { 'hashes[]': 'h7' })).toBe(1);
        expect(await store.count(collection, { 'hashes[]': { in: ['h3', 'h4', 'h5'] } })).toBe(0);
      });

      it('an element index declared later covers the documents already stored', async () => {
        const name = named('later');
        await store.ensureCollection({ name, indexes: ['order'] });
        await seed(name, [stored('a', { tokens: ['siti', 'aminah'], order: 1 })]);
        await store.ensureCollection({ name, indexes: ['order', 'tokens[]'] });
        expect(await store.count(name, { 'tokens[]': { startsWith: 'ami' } })).toBe(1);
        await store.ensureCollection({ name, indexes: ['order', 'tokens[]'] });
        expect(await store.count(name, { 'tokens[]': 'siti' })).toBe(1);
      });

      it('dropCollection removes what the element index held', async () => {
        const collection = await people();
        await store.dropCollection(collection);
        await store.ensureCollection({ name: collection, indexes: ['tokens[]'] });
        expect(await store.count(collection, { 'tokens[]': { startsWith: '' } })).toBe(0);
        await seed(collection, [stored('p1', { tokens: ['zaenab'] })]);
        expect(await store.count(collection, { 'tokens[]': { startsWith: 'sit' } })).toBe(0);
        expect(await store.count(collection, { 'tokens[]': { startsWith: 'zae' } })).toBe(1);
      });

      it('refuses a range or null on an element index, a sort on one, and an undeclared one', async () => {
        const collection = await people();
        const unsupported = [
          () => store.find(collection, { filter: { 'tokens[]': { gte: 'a' } } }),
          () => store.find(collection, { filter: { 'tokens[]': null } }),
          () => store.count(collection, { 'hashes[]': { in: ['h1', null] } }),
          () => store.find(collection, { sort: { field: 'tokens[]', direction: 'asc' } }),
        ];
        for (const attempt of unsupported) {
          await expect(attempt()).rejects.toBeInstanceOf(UnsupportedConditionError);
        }
        await expect(
          store.find(collection, { filter: { 'name[]': 'Aminah' } }),
        ).rejects.toBeInstanceOf(UndeclaredFieldError);
        await expect(store.find(collection, { filter: { tokens: 'siti' } })).rejects.toBeInstanceOf(
          UndeclaredFieldError,
        );
      });

      it('sorts by several keys in order, ties broken by id', async () => {
        const collection = await people();
        expect(
          await found(collection, {
            sort: [
              { field: 'order', direction: 'asc' },
              { field: 'name', direction: 'desc' },
            ],
          }),
        ).toEqual(['p2', 'p3', 'p4', 'p1', 'p5']);
        expect(
          await found(collection, {
            filter: { 'tokens[]': { startsWith: 'ami' } },
            sort: [{ field: 'order', direction: 'desc' }],
            limit: 1,
            offset: 1,
          }),
        ).toEqual(['p4']);
      });

      it('answers a prefix search from the element index, reading no collection whole', async () => {
        const collection = await people();
        // Enough documents that no planner finds reading them all as cheap as the index.
        await seed(
          collection,
          Array.from({ length: 300 }, (_, i) =>
            stored(`filler${i}`, {
              name: `Filler ${i}`,
              tokens: [`zz${i}`],
              hashes: [`f${i}`],
              order: i,
            }),
          ),
        );
        const plan = await subject.explain(collection, {
          filter: { 'tokens[]': [{ startsWith: 'sit' }, { startsWith: 'ami' }] },
        });
        expect(plan.indexedFields).toContain('tokens[]');
        expect({ fullScan: plan.fullScan, detail: plan.detail }).toMatchObject({
          fullScan: false,
        });
        const byHash = await subject.explain(collection, { filter: { 'hashes[]': 'h4' } });
        expect(byHash.indexedFields).toContain('hashes[]');
        expect(byHash.fullScan).toBe(false);
      });
    });

    describe('commit', () => {
      it('upserts replace whole documents and record their new position', async () => {
        const collection = named('registry');
        await store.ensureCollection({ name: collection, indexes: ['kind', 'note'] });
        await seed(collection, [stored('a', { kind: 'rse', note: 'first', extra: [1, 2] }, 3n)]);
        await store.commit(
          [{ collection, upserts: [stored('a', { kind: 'kube' }, 9n)], deletes: [] }],
          [],
        );
        expect(await store.get(collection, 'a')).toEqual({ kind: 'kube' });
        expect((await store.getMany(collection, ['a'])).get('a')?.position).toBe(9n);
        expect(await store.count(collection, { note: 'first' })).toBe(0);
        expect(await store.count(collection, { note: null })).toBe(1);
      });

      it('deletes remove documents; deleting an id it does not hold is harmless', async () => {
        const collection = named('registry');
        await store.ensureCollection({ name: collection, indexes: ['kind'] });
        await seed(collection, [stored('a', { kind: 'rse' }), stored('b', { kind: 'rse' })]);
        await store.commit(
          [{ collection, upserts: [stored('c', { kind: 'rse' })], deletes: ['a', 'nope'] }],
          [],
        );
        expect(await store.get(collection, 'a')).toBeNull();
        expect((await store.find<{ kind: string }>(collection)).length).toBe(2);
        expect([...(await store.getMany(collection, ['a', 'b', 'c'])).keys()].sort()).toEqual([
          'b',
          'c',
        ]);
      });

      it('writes several collections and advances their checkpoints from → to in one commit', async () => {
        const quotas = await collectionWithCheckpoint('quotas', { position: 10n });
        const registry = await collectionWithCheckpoint('registry', { position: 12n });
        await store.commit(
          [
            {
              collection: quotas,
              upserts: [stored('samarinda', { kind: 'rse' }, 14n)],
              deletes: [],
            },
            { collection: registry, upserts: [stored('r1', { kind: 'rse' }, 14n)], deletes: [] },
          ],
          [
            { collection: quotas, from: 10n, to: 14n },
            { collection: registry, from: 12n, to: 14n },
          ],
        );
        expect(await store.get(quotas, 'samarinda')).toEqual({ kind: 'rse' });
        expect(await store.get(registry, 'r1')).toEqual({ kind: 'rse' });
        expect((await checkpointOf(quotas))?.position).toBe(14n);
        expect((await checkpointOf(registry))?.position).toBe(14n);

        await store.commit(
          [{ collection: quotas, upserts: [], deletes: ['samarinda'] }],
          [{ collection: quotas, from: 14n, to: 15n }],
        );
        expect(await store.get(quotas, 'samarinda')).toBeNull();
        expect((await checkpointOf(quotas))?.position).toBe(15n);
      });

      it('a checkpoint beyond 2^53 reads back exactly and can be advanced from what was read', async () => {
        const collection = await collectionWithCheckpoint('far', { position: 5n });
        await store.commit([], [{ collection, from: 5n, to: BEYOND_DOUBLE }]);
        const read = await checkpointOf(collection);
        expect(read?.position).toBe(BEYOND_DOUBLE);
        await store.commit(
          [
            {
              collection,
              upserts: [stored('a', { kind: 'rse' }, BEYOND_DOUBLE + 2n)],
              deletes: [],
            },
          ],
          [{ collection, from: read?.position ?? 0n, to: BEYOND_DOUBLE + 2n }],
        );
        expect((await checkpointOf(collection))?.position).toBe(BEYOND_DOUBLE + 2n);
      });

      it('a stale checkpoint rejects the commit with CheckpointMovedError and writes nothing', async () => {
        const quotas = await collectionWithCheckpoint('quotas', { position: 10n });
        const registry = await collectionWithCheckpoint('registry', { position: 20n });
        await seed(registry, [stored('kept', { kind: 'rse' }, 20n)]);
        const error = await store
          .commit(
            [
              { collection: quotas, upserts: [stored('q1', { kind: 'rse' }, 25n)], deletes: [] },
              {
                collection: registry,
                upserts: [stored('r1', { kind: 'kube' }, 25n), stored('kept', { kind: 'x' }, 25n)],
                deletes: [],
              },
            ],
            [
              { collection: quotas, from: 10n, to: 25n },
              { collection: registry, from: 19n, to: 25n },
            ],
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckpointMovedError);
        expect(error).toMatchObject({ collection: registry });

        expect(await store.get(quotas, 'q1')).toBeNull();
        expect(await store.get(registry, 'r1')).toBeNull();
        expect(await store.get(registry, 'kept')).toEqual({ kind: 'rse' });
        expect((await store.getMany(registry, ['kept'])).get('kept')?.position).toBe(20n);
        expect((await checkpointOf(quotas))?.position).toBe(10n);
        expect((await checkpointOf(registry))?.position).toBe(20n);
      });

      it('a stale checkpoint leaves deletes of the same commit undone', async () => {
        const registry = await collectionWithCheckpoint('registry', { position: 20n });
        await seed(registry, [stored('kept', { kind: 'rse' }, 20n)]);
        await expect(
          store.commit(
            [{ collection: registry, upserts: [], deletes: ['kept'] }],
            [{ collection: registry, from: 21n, to: 22n }],
          ),
        ).rejects.toBeInstanceOf(CheckpointMovedError);
        expect(await store.get(registry, 'kept')).toEqual({ kind: 'rse' });
      });

      it('a commit advancing a collection without a checkpoint rejects and writes nothing', async () => {
        const collection = named('orphan');
        await store.ensureCollection({ name: collection, indexes: [] });
        await expect(
          store.commit(
            [{ collection, upserts: [stored('a', { kind: 'rse' })], deletes: [] }],
            [{ collection, from: 0n, to: 1n }],
          ),
        ).rejects.toBeInstanceOf(CheckpointMovedError);
        expect(await store.get(collection, 'a')).toBeNull();
      });
    });

    describe('checkpoints', () => {
      it('round-trips every field of a checkpoint', async () => {
        const collection = named('quotas_v3');
        await store.ensureCollection({ name: collection, indexes: [] });
        const created = checkpoint(collection, {
          version: 3,
          position: BEYOND_DOUBLE,
          status: 'active',
        });
        await store.createCheckpoint(created);
        expect(await store.checkpoints(created.projection)).toEqual([created]);
      });

      it('createCheckpoint refuses a second checkpoint for one collection, keeping the first', async () => {
        const collection = await collectionWithCheckpoint('quotas', { position: 4n });
        const error = await store
          .createCheckpoint(checkpoint(collection, { position: 99n, version: 2 }))
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CheckpointMovedError);
        expect(error).toMatchObject({ collection });
        expect(await checkpointOf(collection)).toMatchObject({ position: 4n, version: 1 });
      });

      it('checkpoints(projection) lists only the checkpoints of that projection', async () => {
        const a1 = await collectionWithCheckpoint('a_v1', { projection: named('a') });
        const a2 = await collectionWithCheckpoint('a_v2', { projection: named('a'), version: 2 });
        const b1 = await collectionWithCheckpoint('b_v1', { projection: named('b') });
        const ofA = await store.checkpoints(named('a'));
        expect(ofA.map((c) => c.collection).sort()).toEqual([a1, a2].sort());
        expect(ofA.every((c) => c.projection === named('a'))).toBe(true);
        expect((await store.checkpoints(named('b'))).map((c) => c.collection)).toEqual([b1]);
        expect(await store.checkpoints(named('none'))).toEqual([]);
        const all = (await store.checkpoints()).map((c) => c.collection);
        expect(all).toEqual(expect.arrayContaining([a1, a2, b1]));
      });
    });

    describe('promote', () => {
      it('activates the collection and drops the active one it replaces, leaving others alone', async () => {
        const quotas = named('quotas');
        const other = named('registry');
        const v1 = await collectionWithCheckpoint('quotas_v1', {
          projection: quotas,
          status: 'active',
          position: 50n,
        });
        const v2 = await collectionWithCheckpoint('quotas_v2', {
          projection: quotas,
          version: 2,
          position: 48n,
        });
        const v3 = await collectionWithCheckpoint('quotas_v3', { projection: quotas, version: 3 });
        const registry = await collectionWithCheckpoint('registry_v1', {
          projection: other,
          status: 'active',
          position: 50n,
        });
        await seed(v1, [stored('old', { kind: 'rse' })]);
        await seed(v2, [stored('new', { kind: 'rse' })]);
        await seed(registry, [stored('r1', { kind: 'kube' })]);

        await store.promote(v2);

        const ofQuotas = await store.checkpoints(quotas);
        expect(ofQuotas.map((c) => [c.collection, c.status, c.position]).sort()).toEqual(
          [
            [v2, 'active', 48n],
            [v3, 'building', 0n],
          ].sort(),
        );
        expect(await store.get(v2, 'new')).toEqual({ kind: 'rse' });

        expect(await store.checkpoints(other)).toEqual([
          checkpoint(registry, { projection: other, status: 'active', position: 50n }),
        ]);
        expect(await store.get(registry, 'r1')).toEqual({ kind: 'kube' });

        await store.ensureCollection({ name: v1, indexes: ['kind'] });
        expect(await store.count(v1)).toBe(0);
        await expect(store.createCheckpoint(checkpoint(v1))).resolves.toBeUndefined();
      });

      it('activates the first version of a projection, and is idempotent', async () => {
        const v1 = await collectionWithCheckpoint('quotas_v1', { position: 7n });
        await seed(v1, [stored('a', { kind: 'rse' })]);
        await store.promote(v1);
        await store.promote(v1);
        expect(await store.checkpoints(named('projection'))).toEqual([
          checkpoint(v1, { status: 'active', position: 7n }),
        ]);
        expect(await store.get(v1, 'a')).toEqual({ kind: 'rse' });
      });

      it('rejects with CheckpointMovedError for a collection without a checkpoint', async () => {
        const collection = named('orphan');
        await store.ensureCollection({ name: collection, indexes: [] });
        await expect(store.promote(collection)).rejects.toBeInstanceOf(CheckpointMovedError);
      });
    });

    describe('a collection built with its indexes deferred', () => {
      const INDEXES = ['kind', 'rank', 'tokens[]'];

      async function building(): Promise<string> {
        const collection = named('deferred');
        await store.ensureCollection(
          { name: collection, indexes: INDEXES },
          { deferIndexes: true },
        );
        await store.createCheckpoint(checkpoint(collection));
        await seed(collection, [
          stored('a', { kind: 'rse', rank: 2, tokens: ['siti', 'aminah'] }),
          stored('b', { kind: 'kube', rank: 1, tokens: ['anyaman', 'rotan'] }),
          stored('c', { kind: 'rse', rank: 3, tokens: ['sitti'] }),
        ]);
        return collection;
      }

      /** The same queries, answered alike before and after the promotion. */
      async function answers(collection: string): Promise<unknown[]> {
        const ids = async (options: FindOptions) =>
          (await store.find<{ rank: number }>(collection, options)).map((doc) => doc.rank);
        return [
          await ids({ filter: { kind: 'rse' }, sort: { field: 'rank', direction: 'desc' } }),
          await ids({
            filter: { 'tokens[]': { startsWith: 'sit' } },
            sort: { field: 'rank', direction: 'asc' },
          }),
          await ids({ filter: { 'tokens[]': 'rotan' } }),
          await store.count(collection, { kind: 'rse' }),
        ];
      }

      it('answers queries before its promotion, and the same after', async () => {
        const collection = await building();
        const expected = [[3, 2], [2, 3], [1], 2];
        expect(await answers(collection)).toEqual(expected);
        await store.promote(collection);
        expect(await answers(collection)).toEqual(expected);
      });

      it('keeps its element indexes up with writes made after its promotion', async () => {
        const collection = await building();
        await store.promote(collection);
        await seed(collection, [
          stored('a', { kind: 'rse', rank: 2, tokens: ['rahma'] }),
          stored('d', { kind: 'kube', rank: 4, tokens: ['siti'] }),
        ]);
        const ranks = async (prefix: string) =>
          (
            await store.find<{ rank: number }>(collection, {
              filter: { 'tokens[]': { startsWith: prefix } },
              sort: { field: 'rank', direction: 'asc' },
            })
          ).map((doc) => doc.rank);
        expect(await ranks('sit')).toEqual([3, 4]);
        expect(await ranks('rah')).toEqual([2]);
      });

      it('answers a find from its indexes once promoted', async () => {
        const collection = await building();
        await store.promote(collection);
        const plan = await subject.explain(collection, {
          filter: { 'tokens[]': { startsWith: 'sit' } },
        });
        expect(plan.indexedFields).toContain('tokens[]');
        expect(plan.fullScan).toBe(false);
      });

      it('never drops the indexes of a collection that has them', async () => {
        const collection = named('indexed');
        await store.ensureCollection({ name: collection, indexes: INDEXES });
        await store.ensureCollection(
          { name: collection, indexes: INDEXES },
          { deferIndexes: true },
        );
        await seed(collection, [stored('a', { kind: 'rse', rank: 1, tokens: ['siti'] })]);
        const plan = await subject.explain(collection, { filter: { 'tokens[]': 'siti' } });
        expect(plan.indexedFields).toContain('tokens[]');
        expect(await store.count(collection, { 'tokens[]': 'siti' })).toBe(1);
      });
    });

    describe('a read racing a promotion', () => {
      /** v1 serves `kind: old`; v2, built beside it, holds `kind: new`. */
      async function rebuilt(): Promise<{ v1: string; v2: string }> {
        const v1 = await collectionWithCheckpoint('quotas_v1', { status: 'active' });
        const v2 = await collectionWithCheckpoint('quotas_v2', { version: 2 });
        await seed(v1, [stored('q', { kind: 'old' })]);
        await seed(v2, [stored('q', { kind: 'new' })]);
        return { v1, v2 };
      }

      it('every kind of read of a dropped collection rejects rather than answer nothing', async () => {
        const { v1, v2 } = await rebuilt();
        await store.promote(v2);
        // By class, not `toThrow()`: a native driver's error may come from another realm.
        const missing = MissingCollectionError;
        await expect(store.find(v1)).rejects.toBeInstanceOf(missing);
        await expect(store.find(v1, { filter: { kind: 'old' } })).rejects.toBeInstanceOf(missing);
        await expect(store.get(v1, 'q')).rejects.toBeInstanceOf(missing);
        await expect(store.getMany(v1, ['q'])).rejects.toBeInstanceOf(missing);
        await expect(store.count(v1)).rejects.toBeInstanceOf(missing);
        await expect(store.scan(v1, undefined, 10)).rejects.toBeInstanceOf(missing);
      });

      // Each read answers nothing on v1 (no `kind: new` there), so only a retry on v2 finds it.
      it.each([
        [
          'find',
          (collection: string) => store.find(collection, { filter: { kind: 'new' } }),
          [{ kind: 'new' }],
        ],
        ['get', (collection: string) => store.get(collection, 'q'), { kind: 'new' }],
        ['count', (collection: string) => store.count(collection, { kind: 'new' }), 1],
      ] as const)(
        'a %s that resolved the old collection runs again on the new one',
        async (_read, read, expected) => {
          const { v1, v2 } = await rebuilt();
          const readModels = new ReadModels(store);
          const asked: string[] = [];
          const answer = await readModels.read(
            named('projection'),
            undefined,
            async (collection) => {
              asked.push(collection);
              // The promotion lands between resolving the serving collection and reading it.
              if (asked.length === 1) await store.promote(v2);
              return read(collection);
            },
          );
          expect(asked).toEqual([v1, v2]);
          expect(answer).toEqual(expected);
        },
      );
    });

    describe('leases', () => {
      it('a free lease goes to the first holder; another cannot take it while it lasts', async () => {
        const name = named('lease');
        const taken = await store.acquireLease(name, 'holder-a', 10_000);
        expect(taken).toEqual({ name, holder: 'holder-a', expiresAt: new Date(T0 + 10_000) });

        clock.advance(9_999);
        expect(await store.acquireLease(name, 'holder-b', 10_000)).toBeNull();
        expect(await store.lease(name)).toEqual(taken);
      });

      it('its holder takes it again, which extends it', async () => {
        const name = named('lease');
        await store.acquireLease(name, 'holder-a', 1_000);
        clock.advance(500);
        const again = await store.acquireLease(name, 'holder-a', 60_000);
        expect(again).toEqual({ name, holder: 'holder-a', expiresAt: new Date(T0 + 60_500) });
        expect(await store.lease(name)).toEqual(again);
      });

      it('only its holder renews it, moving the expiry to ttl from now', async () => {
        const name = named('lease');
        const taken = await store.acquireLease(name, 'holder-a', 1_000);
        clock.advance(500);
        expect(await store.renewLease(name, 'holder-b', 60_000)).toBe(false);
        expect(await store.lease(name)).toEqual(taken);

        expect(await store.renewLease(name, 'holder-a', 60_000)).toBe(true);
        expect(await store.lease(name)).toEqual({
          name,
          holder: 'holder-a',
          expiresAt: new Date(T0 + 60_500),
        });
      });

      it('once expired, another takes it over, and the old holder can no longer renew it', async () => {
        const name = named('lease');
        await store.acquireLease(name, 'holder-a', 50);
        clock.advance(50);
        const taken = await store.acquireLease(name, 'holder-b', 10_000);
        expect(taken?.holder).toBe('holder-b');
        expect(await store.renewLease(name, 'holder-a', 10_000)).toBe(false);
        expect(await store.acquireLease(name, 'holder-a', 10_000)).toBeNull();
        expect((await store.lease(name))?.holder).toBe('holder-b');
      });

      it('an expired lease that nobody took since can still be renewed by its holder', async () => {
        const name = named('lease');
        await store.acquireLease(name, 'holder-a', 30);
        clock.advance(60);
        expect(await store.renewLease(name, 'holder-a', 10_000)).toBe(true);
        expect(await store.acquireLease(name, 'holder-b', 10_000)).toBeNull();
      });

      it('released by its holder, it is free at once; a release by another changes nothing', async () => {
        const name = named('lease');
        await store.acquireLease(name, 'holder-a', 60_000);
        await store.releaseLease(name, 'holder-b');
        expect((await store.lease(name))?.holder).toBe('holder-a');

        await store.releaseLease(name, 'holder-a');
        expect(await store.lease(name)).toBeNull();
        expect(await store.renewLease(name, 'holder-a', 60_000)).toBe(false);
        expect((await store.acquireLease(name, 'holder-b', 60_000))?.holder).toBe('holder-b');
      });

      it('of many holders asking at once for a free lease, exactly one gets it', async () => {
        const name = named('lease');
        const holders = Array.from({ length: 10 }, (_, i) => `holder-${i}`);
        const answers = await Promise.all(
          holders.map((holder) => store.acquireLease(name, holder, 60_000)),
        );
        const winners = answers.filter((answer) => answer !== null);
        expect(winners).toHaveLength(1);
        expect((await store.lease(name))?.holder).toBe(winners[0]?.holder);
      });

      it('leases of different names are independent', async () => {
        const one = named('lease_one');
        const two = named('lease_two');
        await store.acquireLease(one, 'holder-a', 60_000);
        expect((await store.acquireLease(two, 'holder-b', 60_000))?.holder).toBe('holder-b');
        expect(await store.lease(named('lease_none'))).toBeNull();
      });
    });

    describe('what is stored', () => {
      it('round-trips unicode in ids, values and filters', async () => {
        const collection = named('unicode');
        await store.ensureCollection({ name: collection, indexes: ['name'] });
        const document = {
          name: 'Siti Nurhaliza — Kutai Kartanegara ñ é ü 日本語 한국어 العربية 😀👩‍🌾',
          note: 'Mesin jahit "Butterfly"\n\t\\',
        };
        const id = 'penerima-ünïcødé-😀';
        await seed(collection, [stored(id, document)]);
        expect(await store.get(collection, id)).toEqual(document);
        expect([...(await store.getMany(collection, [id])).keys()]).toEqual([id]);
        expect(await store.find(collection, { filter: { name: document.name } })).toEqual([
          document,
        ]);
      });

      it('round-trips nested structures exactly: arrays, empty objects and arrays, nulls', async () => {
        const collection = named('shapes');
        await store.ensureCollection({ name: collection, indexes: [] });
        const document = {
          items: [{ description: 'Etalase', quantity: 2, unitPrice: 1_250_000 }],
          members: [],
          flags: {},
          monitoring: { status: 'growing', reasons: [], mentor: null, workers: { poor: 0 } },
          turnover: 12_345_678_901,
          ratio: 0.25,
          negative: -3,
        };
        await seed(collection, [stored('a', document)]);
        expect(await store.get(collection, 'a')).toEqual(document);
        expect(await store.find(collection)).toEqual([document]);
      });

      it('stores and reads back a document of about 500 KB', async () => {
        const collection = named('large');
        await store.ensureCollection({ name: collection, indexes: [] });
        const document = {
          blob: 'x'.repeat(500 * 1024 - 64) + 'ŵ'.repeat(16),
          lines: Array.from({ length: 100 }, (_, i) => ({ i })),
        };
        await seed(collection, [stored('big', document)]);
        expect(await store.get(collection, 'big')).toEqual(document);
        expect(await store.find(collection)).toEqual([document]);
      });
    });
  });
}
