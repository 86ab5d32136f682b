import type {
  FindOptions,
  QueryPlan,
  ReadStore,
} from '../../src/platform/read-store/read-store.port';
import { recipientRegistryProjection } from '../../projections/recipient-registry/recipient-registry.projection';
import {
  findRecipients,
  nikLookupOptions,
  recipientFindOptions,
  recipientHoldingNik,
  type RecipientSearch,
} from '../../projections/recipient-registry/recipient-registry.queries';
import {
  aidDisbursed,
  kubeRegistered,
  projectInto,
  recipientRef,
  rseRegistered,
  type EventToStore,
} from './projection-specification';
import {
  memberReplaced,
  nikCorrected,
  recipientDied,
  recipientMoved,
  recipientWithdrew,
} from './recipient-life-events';

export interface RegistryStoreUnderTest {
  store: ReadStore;
  dispose(): Promise<void>;
  explain(collection: string, options: FindOptions): Promise<QueryPlan>;
}

/** Recipients whose names test the search; ids do not follow the order of registration. */
const siti = recipientRef(7, 'RSE', '64.72');
const wati = recipientRef(2, 'RSE', '64.71');
const rotan = recipientRef(5, 'KUBE', '64.07');
const rina = recipientRef(1, 'RSE', '64.72');
const ani = recipientRef(4, 'RSE', '64.72');
const aminah = recipientRef(3, 'RSE', '64.03');

const hashOf = (id: string, member?: number) =>
  `hmac-sha256:${id}${member === undefined ? '' : `:${member}`}`;

const BUDI = {
  name: 'Budi Santoso',
  role: 'TREASURER' as const,
  nikMasked: '6407********0013',
  nikHash: hashOf(rotan.recipientId, 3),
};
const YUSUF = {
  name: 'Yusuf Habibi',
  role: 'TREASURER' as const,
  nikMasked: '6407********0023',
  nikHash: 'hmac-sha256:yusuf',
};
const RINA_NEW_NIK = { nikHash: 'hmac-sha256:rina-corrected', nikMasked: '6472********0009' };

/** Filler registrations, so that reading everything costs a planner more than the index does. */
const FILLER = 200;

const history: EventToStore[] = [
  rseRegistered(siti, { name: 'Sití Aminah' }),
  rseRegistered(wati, { name: 'Wati Suryani' }),
  kubeRegistered(rotan, { groupName: 'KUBe Anyaman Rotan Lestari' }),
  rseRegistered(rina, { name: 'Rina Marlina' }),
  rseRegistered(ani, { name: 'Ani Rahmawati' }),
  rseRegistered(aminah, { name: 'Aminah Siti Rahayu' }),
  ...Array.from({ length: FILLER }, (_, i) =>
    rseRegistered(
      { recipientId: `filler-${String(i).padStart(3, '0')}`, kind: 'RSE', regencyCode: '64.74' },
      { name: `Zaenab Filler ${i}` },
    ),
  ),
  aidDisbursed(siti),
  aidDisbursed(wati, { year: 2024, disbursedOn: '2024-05-02' }),
  aidDisbursed(rotan),
  memberReplaced(rotan, { left: BUDI, joined: YUSUF, departure: 'LEFT' }),
  recipientMoved(rina, { fromRegencyCode: '64.72', toRegencyCode: '64.71' }),
  recipientWithdrew(rina, '2026-03-01'),
  nikCorrected(
    rina,
    { nikHash: hashOf(rina.recipientId), nikMasked: '6472********0001' },
    RINA_NEW_NIK,
  ),
  recipientDied(ani, '2026-02-10'),
];

const KEYS = { siti, wati, rotan, rina, ani, aminah };
type Key = keyof typeof KEYS;
const keyOf = (recipientId: string) =>
  (Object.keys(KEYS) as Key[]).find((key) => KEYS[key].recipientId === recipientId) ?? recipientId;

/**
 * The registry's search, filters, orders, pages and NIK lookup over one read store: the same
 * answers from every adapter, each search answered from an index.
 */
export function describeRecipientSearch(
  adapterName: string,
  open: () => Promise<RegistryStoreUnderTest>,
): void {
  describe(`recipient registry search: ${adapterName}`, () => {
    let subject: RegistryStoreUnderTest;
    let collection: string;

    beforeAll(async () => {
      subject = await open();
      collection = await projectInto(subject.store, recipientRegistryProjection, history);
    });

    afterAll(() => subject.dispose());

    const page = { limit: 50, offset: 0 };

    /** The recipients found (filler left out unless asked for), in order, with the total. */
    async function found(search: Partial<RecipientSearch>) {
      const result = await findRecipients(subject.store, collection, { ...page, ...search });
      return { keys: result.items.map((item) => keyOf(item.recipientId)), total: result.total };
    }

    it.each([
      ['siti', ['siti', 'aminah']],
      ['SITÍ', ['siti', 'aminah']],
      ['siti ami', ['siti', 'aminah']],
      ['ami siti', ['siti', 'aminah']],
      ['aminah rah', ['aminah']],
      ['rah', ['rotan', 'ani', 'aminah']],
      ['anyaman', ['rotan']],
      ['aisyah', ['rotan']],
      ['yusuf', ['rotan']],
      ['budi', []],
      ['minah', []],
      ['siti zaenab', []],
    ] as const)('q=%s finds by word prefixes, case and accents aside', async (q, expected) => {
      expect(await found({ q })).toEqual({ keys: expected, total: expected.length });
    });

    it('finds every match of a common prefix, a page at a time, with the total', async () => {
      const first = await findRecipients(subject.store, collection, {
        q: 'zaenab',
        limit: 75,
        offset: 0,
      });
      const rest = await findRecipients(subject.store, collection, {
        q: 'zae',
        limit: 1000,
        offset: 75,
      });
      expect(first.total).toBe(FILLER);
      expect(rest.total).toBe(FILLER);
      const ids = [...first.items, ...rest.items].map((item) => item.recipientId);
      expect(new Set(ids).size).toBe(FILLER);
      expect(ids).toEqual([...ids].sort());
    });

    it.each([
      [{ regencyCode: '64.71' }, ['wati', 'rina']],
      [{ regencyCode: '64.72' }, ['siti', 'ani']],
      [{ kind: 'KUBE' }, ['rotan']],
      [{ status: 'aided' }, ['siti', 'wati', 'rotan']],
      [{ year: 2024 }, ['wati']],
      [{ year: 2025 }, ['siti', 'rotan']],
      [{ standing: 'deceased' }, ['ani']],
      [{ standing: 'withdrawn' }, ['rina']],
      [{ q: 'rina', standing: 'withdrawn', regencyCode: '64.71' }, ['rina']],
      [{ q: 'siti', status: 'aided', year: 2025, kind: 'RSE' }, ['siti']],
      [{ q: 'siti', regencyCode: '64.03', standing: 'active' }, ['aminah']],
    ] as const)('filters by %j', async (search, expected) => {
      expect(await found(search)).toEqual({ keys: expected, total: expected.length });
    });

    it('sorts by registration (either way), by folded name, by regency; ties in registration order', async () => {
      const named = { q: 'a' };
      expect((await found({ ...named })).keys).toEqual(['siti', 'rotan', 'ani', 'aminah']);
      expect((await found({ ...named, sort: '-registered' })).keys).toEqual([
        'aminah',
        'ani',
        'rotan',
        'siti',
      ]);
      expect((await found({ ...named, sort: 'name' })).keys).toEqual([
        'aminah',
        'ani',
        'rotan',
        'siti',
      ]);
      expect((await found({ regencyCode: '64.72', sort: 'name' })).keys).toEqual(['ani', 'siti']);
      expect(
        (await found({ kind: 'RSE', standing: 'active', sort: 'regency', limit: 4 })).keys,
      ).toEqual(['aminah', 'wati', 'siti', 'filler-000']);
    });

    it('pages a search with no gap and no duplicate', async () => {
      const whole = await found({ q: 'i', sort: 'name' });
      const paged: string[] = [];
      for (let offset = 0; offset < whole.total + 2; offset += 2) {
        const one = await found({ q: 'i', sort: 'name', limit: 2, offset });
        expect(one.total).toBe(whole.total);
        paged.push(...one.keys);
      }
      expect(paged).toEqual(whole.keys);
    });

    it('looks a NIK up by its keyed hash: a woman, a member, a former member; a corrected one no more', async () => {
      const lookup = async (nikHash: string) => {
        const answer = await recipientHoldingNik(subject.store, collection, nikHash);
        return answer && { key: keyOf(answer.recipient.recipientId), holder: answer.holder };
      };
      expect(await lookup(hashOf(siti.recipientId))).toEqual({
        key: 'siti',
        holder: { as: 'RECIPIENT', name: 'Sití Aminah', nikMasked: '6472********0001' },
      });
      expect(await lookup(hashOf(rotan.recipientId, 2))).toEqual({
        key: 'rotan',
        holder: {
          as: 'MEMBER',
          name: 'Nur Aisyah',
          nikMasked: '6407********0012',
          role: 'SECRETARY',
        },
      });
      expect(await lookup(YUSUF.nikHash)).toMatchObject({ key: 'rotan', holder: { as: 'MEMBER' } });
      expect(await lookup(BUDI.nikHash)).toEqual({
        key: 'rotan',
        holder: {
          as: 'FORMER_MEMBER',
          name: 'Budi Santoso',
          nikMasked: '6407********0013',
          role: 'TREASURER',
          departure: 'LEFT',
          leftOn: '2026-01-15',
        },
      });
      expect(await lookup(RINA_NEW_NIK.nikHash)).toMatchObject({ key: 'rina' });
      expect(await lookup(hashOf(rina.recipientId))).toBeNull();
      expect(await lookup('hmac-sha256:nobody')).toBeNull();
    });

    it('answers a name search and a NIK lookup from their indexes, reading no collection whole', async () => {
      const search = await subject.explain(
        collection,
        recipientFindOptions({ q: 'siti ami', ...page }),
      );
      expect(search.indexedFields).toContain('searchTokens[]');
      expect({ fullScan: search.fullScan, plan: search.detail }).toMatchObject({ fullScan: false });
      // With a regency too, a planner may seek either index (MongoDB's picks by a trial run).
      const inRegency = await subject.explain(
        collection,
        recipientFindOptions({ q: 'siti ami', regencyCode: '64.72', ...page }),
      );
      expect(inRegency.indexedFields).toEqual(
        expect.arrayContaining([expect.stringMatching(/^(searchTokens\[\]|regencyCode)$/)]),
      );
      expect({ fullScan: inRegency.fullScan, plan: inRegency.detail }).toMatchObject({
        fullScan: false,
      });
      const lookup = await subject.explain(collection, nikLookupOptions(BUDI.nikHash));
      expect(lookup.indexedFields).toContain('nikHashes[]');
      expect({ fullScan: lookup.fullScan, plan: lookup.detail }).toMatchObject({ fullScan: false });
    });
  });
}
