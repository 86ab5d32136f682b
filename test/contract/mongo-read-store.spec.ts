import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { auditTrailProjection } from '../../projections/audit-trail/audit-trail.projection';
import { mentoringPartnersProjection } from '../../projections/mentoring-partners/mentoring-partners.projection';
import { programmeYearsProjection } from '../../projections/programme-years/programme-years.projection';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { recipientRegistryProjection } from '../../projections/recipient-registry/recipient-registry.projection';
import {
  nikLookupOptions,
  recipientFindOptions,
  type RecipientSort,
} from '../../projections/recipient-registry/recipient-registry.queries';
import {
  MongoReadStore,
  type MongoReadStoreOptions,
} from '../../src/platform/read-store/mongo/mongo-read-store';
import {
  CheckpointMovedError,
  type FindOptions,
  type StoredDocument,
} from '../../src/platform/read-store/read-store.port';
import { describeReadStoreContract } from './read-store.contract';

const url = process.env.MONGODB_URL;

if (url) {
  /** One database per run, dropped at the end: the server may serve other runs meanwhile. */
  const dbName = `bansos_read_store_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const open = (options: MongoReadStoreOptions = {}) =>
    MongoReadStore.connect(url, { dbName, ...options });
  const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

  describeReadStoreContract('MongoDB', async (clock) => {
    const store = await open({ clock });
    return {
      store,
      explain: (collection, options) => store.explain(collection, options),
      dispose: () => store.close(),
    };
  });

  describe('MongoDB read store: leases by the server clock', () => {
    it('expires a lease by $$NOW, whatever the process clock says', async () => {
      const store = await open();
      try {
        const name = unique('lease');
        const before = Date.now();
        const taken = await store.acquireLease(name, 'holder-a', 1_500);
        // The server's clock, within the skew a test host and its server may have.
        expect(Math.abs((taken?.expiresAt.getTime() ?? 0) - (before + 1_500))).toBeLessThan(5_000);
        expect(await store.acquireLease(name, 'holder-b', 1_500)).toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        expect((await store.acquireLease(name, 'holder-b', 1_500))?.holder).toBe('holder-b');
        expect(await store.renewLease(name, 'holder-a', 1_500)).toBe(false);
      } finally {
        await store.close();
      }
    });
  });

  describe('MongoDB read store: a commit beyond the byte cap', () => {
    const documents = (count: number, position: bigint): StoredDocument[] =>
      Array.from({ length: count }, (_, i) => ({
        id: `d${i}`,
        position,
        document: { text: 'x'.repeat(10_000) },
      }));

    it('lands whole over several transactions and advances the checkpoint once', async () => {
      const store = await open({ maxTransactionBytes: 64 * 1024 });
      try {
        const collection = unique('split');
        await store.ensureCollection({ name: collection, indexes: [] });
        await store.createCheckpoint({
          projection: collection,
          collection,
          version: 1,
          position: 0n,
          status: 'active',
        });
        await store.commit(
          [{ collection, upserts: documents(30, 9n), deletes: [] }],
          [{ collection, from: 0n, to: 9n }],
        );
        expect(await store.count(collection)).toBe(30);
        expect((await store.checkpoints(collection))[0].position).toBe(9n);

        // A stale writer is refused by the first part's fence and writes nothing.
        await expect(
          store.commit(
            [{ collection, upserts: documents(30, 12n), deletes: ['d0'] }],
            [{ collection, from: 0n, to: 12n }],
          ),
        ).rejects.toBeInstanceOf(CheckpointMovedError);
        expect((await store.getMany(collection, ['d0', 'd29'])).get('d29')?.position).toBe(9n);
        expect(await store.count(collection)).toBe(30);
      } finally {
        await store.close();
      }
    });
  });

  /**
   * Every listing the read routes ask for, over the indexes their projections declare: none may
   * read the collection whole (COLLSCAN) or sort its matches in memory (a blocking SORT).
   */
  describe('MongoDB read store: the listings are index-backed', () => {
    let store: MongoReadStore;
    const registry = unique('registry');
    const audit = unique('audit');
    const years = unique('years');
    const quotas = unique('quotas');
    const partners = unique('partners');

    beforeAll(async () => {
      store = await open();
      await store.ensureCollection({
        name: registry,
        indexes: recipientRegistryProjection.indexes,
      });
      await store.ensureCollection({ name: audit, indexes: auditTrailProjection.indexes });
      await store.ensureCollection({ name: years, indexes: programmeYearsProjection.indexes });
      await store.ensureCollection({ name: quotas, indexes: quotaProgressProjection.indexes });
      await store.ensureCollection({
        name: partners,
        indexes: mentoringPartnersProjection.indexes,
      });
      // Enough documents that no planner finds reading them all as cheap as an index.
      const many = <Doc extends object>(make: (i: number) => Doc): StoredDocument[] =>
        Array.from({ length: 400 }, (_, i) => ({
          id: `x${String(i).padStart(4, '0')}`,
          position: 1n,
          document: make(i),
        }));
      await store.commit(
        [
          {
            collection: registry,
            upserts: many((i) => ({
              regencyCode: `64.${String(i % 10).padStart(2, '0')}`,
              kind: i % 3 === 0 ? 'KUBE' : 'RSE',
              status: 'AIDED',
              standing: 'ACTIVE',
              disbursement: { year: 2024 + (i % 3) },
              registeredPosition: i * 3,
              sortName: `name ${i}`,
              searchTokens: [`name`, `${i}`],
              nikHashes: [`hash-${i}`],
            })),
            deletes: [],
          },
          {
            collection: audit,
            upserts: many((i) => ({
              recipientId: `r${i % 40}`,
              actor: `operator-${i % 7}`,
              recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
            })),
            deletes: [],
          },
          { collection: years, upserts: many((i) => ({ year: 2024 + i })), deletes: [] },
          {
            collection: partners,
            upserts: many((i) => ({ year: 2024 + (i % 3), sessions: i % 11 })),
            deletes: [],
          },
          {
            collection: quotas,
            upserts: many((i) => ({ year: 2024 + (i % 3), kind: 'RSE', regencyCode: null })),
            deletes: [],
          },
        ],
        [],
      );
    });

    afterAll(() => store.close());

    const page = (sort: RecipientSort, offset = 0, regencyCode?: string) =>
      recipientFindOptions({ sort, limit: 50, offset, regencyCode });

    it.each<[string, () => [string, FindOptions]]>([
      ['registry, oldest first', () => [registry, page('registered')]],
      ['registry, newest first', () => [registry, page('-registered')]],
      ['registry, by name', () => [registry, page('name')]],
      ['registry, by regency', () => [registry, page('regency')]],
      ['registry, a later page', () => [registry, page('registered', 200)]],
      ['registry of one regency', () => [registry, page('registered', 0, '64.03')]],
      [
        'registry export, one page after another',
        () => [
          registry,
          {
            filter: { registeredPosition: { gt: 300 } },
            sort: { field: 'registeredPosition', direction: 'asc' },
            limit: 500,
          },
        ],
      ],
      ['audit trail, in log order', () => [audit, { limit: 50, offset: 0 }]],
      ['audit trail of a recipient', () => [audit, { filter: { recipientId: 'r7' }, limit: 50 }]],
      ['audit trail of an actor', () => [audit, { filter: { actor: 'operator-3' }, limit: 50 }]],
      ['programme years', () => [years, { sort: { field: 'year', direction: 'asc' } }]],
      ['quota progress of a year', () => [quotas, { filter: { year: 2025 } }]],
      [
        'mentoring partners of a year, busiest first',
        () => [
          partners,
          { filter: { year: 2025 }, sort: { field: 'sessions', direction: 'desc' }, limit: 10 },
        ],
      ],
    ])('%s', async (_listing, query) => {
      const [collection, options] = query();
      const plan = await store.explain(collection, options);
      expect({ blockingSort: plan.blockingSort, detail: plan.detail }).toMatchObject({
        blockingSort: false,
      });
      expect(plan.detail).not.toContain('COLLSCAN');
    });

    it('finds the holder of a NIK by its hash index; any sort is of that NIK’s holders only', async () => {
      const plan = await store.explain(registry, nikLookupOptions('hash-7'));
      expect(plan.indexedFields).toContain('nikHashes[]');
      expect(plan.detail).not.toContain('COLLSCAN');
    });
  });

  afterAll(async () => {
    const connection = await mongoose.createConnection(url, { dbName }).asPromise();
    try {
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });
} else {
  describe('ReadStore contract: MongoDB', () => {
    it.todo(
      'skipped: set MONGODB_URL (a replica set, e.g. mongodb://localhost:27017/?replicaSet=rs0) to run it',
    );
  });
}
