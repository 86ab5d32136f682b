import {
  aidDisbursed,
  DEFAULT_RECORDED_AT,
  disbursementReversed,
  kubeRegistered,
  monitoringRecorded,
  readModelForEachTest,
  recipientRef,
  rseRegistered,
  withReadModel,
  type EventToStore,
  type ReadModel,
  BALIKPAPAN,
  KUTAI_BARAT,
  SAMARINDA,
} from '../../test/helpers/projection-specification';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import { personalDataErased } from '../../test/helpers/personal-data-erasure';
import { recipientRegistryProjection } from './recipient-registry.projection';
import { findRecipients, type RecipientSearch } from './recipient-registry.queries';

/** Six recipients, registered a day apart, in an order their ids do not follow. */
const siti = recipientRef(6, 'RSE', SAMARINDA);
const wati = recipientRef(2, 'RSE', BALIKPAPAN);
const rotan = recipientRef(5, 'KUBE', KUTAI_BARAT);
const rina = recipientRef(1, 'RSE', SAMARINDA);
const ani = recipientRef(4, 'RSE', SAMARINDA);
const ikan = recipientRef(3, 'KUBE', SAMARINDA);

/** The keyed hash of a KUBe member's NIK, as kubeRegistered writes it. */
const rotanMember = (n: number) => `hmac-sha256:${rotan.recipientId}:${n}`;

const on = (day: number) => ({
  recordedAt: `2025-03-${String(day).padStart(2, '0')}T01:30:00.000Z`,
});

const history: EventToStore[] = [
  rseRegistered(siti, { name: 'Siti Aminah' }, on(10)),
  rseRegistered(wati, { name: 'Wati Suryani' }, on(11)),
  kubeRegistered(rotan, { groupName: 'KUBe Anyaman Rotan Lestari' }, on(12)),
  rseRegistered(rina, { name: 'Rina Marlina' }, on(13)),
  rseRegistered(ani, { name: 'Ani Rahmawati' }, on(14)),
  kubeRegistered(ikan, { groupName: 'KUBe Olahan Ikan Mahakam' }, on(15)),
  aidDisbursed(siti, {}, on(16)),
  aidDisbursed(rotan, {}, on(16)),
  aidDisbursed(rina, {}, on(17)),
  aidDisbursed(ani, {}, on(17)),
  monitoringRecorded(siti, {}, on(20)),
  disbursementReversed(rina, {}, on(21)),
];

const page = { limit: 50, offset: 0 };

/** The recipients a read model answers for a search: by default, the first page of all. */
const findIn = ({ readStore, collection }: ReadModel, search: RecipientSearch = page) =>
  findRecipients(readStore, collection, search);

describe('findRecipients', () => {
  const readModel = readModelForEachTest(recipientRegistryProjection, history);

  /** The names on the page, and its total. */
  async function names(search: RecipientSearch): Promise<{ names: string[]; total: number }> {
    const found = await findIn(readModel, search);
    expect(found).toMatchObject({ limit: search.limit, offset: search.offset });
    return { names: found.items.map((item) => item.name), total: found.total };
  }

  it('lists every recipient in order of registration', async () => {
    expect(await names(page)).toEqual({
      names: [
        'Siti Aminah',
        'Wati Suryani',
        'KUBe Anyaman Rotan Lestari',
        'Rina Marlina',
        'Ani Rahmawati',
        'KUBe Olahan Ikan Mahakam',
      ],
      total: 6,
    });
  });

  it('answers whole documents', async () => {
    const { items } = await findIn(readModel, { ...page, limit: 1 });
    expect(items).toEqual([
      expect.objectContaining({
        recipientId: siti.recipientId,
        registeredAt: '2025-03-10T01:30:00.000Z',
        registeredPosition: 1,
        regencyName: 'Kota Samarinda',
        status: 'aided',
        maskedNiks: ['6472********0001'],
        latestMonitoring: expect.objectContaining({ businessStatus: 'GROWING' }),
      }),
    ]);
  });

  it('filters by regency', async () => {
    expect(await names({ ...page, regencyCode: SAMARINDA })).toEqual({
      names: ['Siti Aminah', 'Rina Marlina', 'Ani Rahmawati', 'KUBe Olahan Ikan Mahakam'],
      total: 4,
    });
    expect(await names({ ...page, regencyCode: KUTAI_BARAT })).toEqual({
      names: ['KUBe Anyaman Rotan Lestari'],
      total: 1,
    });
  });

  it('filters by kind', async () => {
    expect(await names({ ...page, kind: 'KUBE' })).toEqual({
      names: ['KUBe Anyaman Rotan Lestari', 'KUBe Olahan Ikan Mahakam'],
      total: 2,
    });
    expect((await names({ ...page, kind: 'RSE' })).total).toBe(4);
  });

  it('filters by status', async () => {
    expect(await names({ ...page, status: 'aided' })).toEqual({
      names: ['Siti Aminah', 'KUBe Anyaman Rotan Lestari', 'Ani Rahmawati'],
      total: 3,
    });
    expect(await names({ ...page, status: 'registered' })).toEqual({
      names: ['Wati Suryani', 'KUBe Olahan Ikan Mahakam'],
      total: 2,
    });
    expect(await names({ ...page, status: 'reversed' })).toEqual({
      names: ['Rina Marlina'],
      total: 1,
    });
  });

  it('combines the filters', async () => {
    expect(await names({ ...page, regencyCode: SAMARINDA, kind: 'RSE', status: 'aided' })).toEqual({
      names: ['Siti Aminah', 'Ani Rahmawati'],
      total: 2,
    });
    expect(await names({ ...page, regencyCode: BALIKPAPAN, kind: 'KUBE' })).toEqual({
      names: [],
      total: 0,
    });
  });

  it('pages with limit and offset, counting every match', async () => {
    expect(await names({ limit: 2, offset: 0 })).toEqual({
      names: ['Siti Aminah', 'Wati Suryani'],
      total: 6,
    });
    expect(await names({ limit: 2, offset: 2 })).toEqual({
      names: ['KUBe Anyaman Rotan Lestari', 'Rina Marlina'],
      total: 6,
    });
    expect(await names({ limit: 2, offset: 5 })).toEqual({
      names: ['KUBe Olahan Ikan Mahakam'],
      total: 6,
    });
    expect(await names({ limit: 2, offset: 6 })).toEqual({ names: [], total: 6 });
    expect(await names({ limit: 1, offset: 1, regencyCode: SAMARINDA })).toEqual({
      names: ['Rina Marlina'],
      total: 4,
    });
  });

  it('orders by log position, also when a later registration carries an earlier time', async () => {
    const skewed = [
      rseRegistered(wati, { name: 'Wati Suryani' }, on(12)),
      rseRegistered(rina, { name: 'Rina Marlina' }, on(11)),
    ];
    const found = await withReadModel(recipientRegistryProjection, skewed, findIn);
    expect(
      found.items.map(({ name, registeredAt, registeredPosition }) => ({
        name,
        registeredAt,
        registeredPosition,
      })),
    ).toEqual([
      { name: 'Wati Suryani', registeredAt: '2025-03-12T01:30:00.000Z', registeredPosition: 1 },
      { name: 'Rina Marlina', registeredAt: '2025-03-11T01:30:00.000Z', registeredPosition: 2 },
    ]);
  });

  it('orders recipients registered at the same instant by log order, not by id', async () => {
    const sameTime = [
      rseRegistered(siti, { name: 'Siti Aminah' }),
      rseRegistered(rina, { name: 'Rina Marlina' }),
      rseRegistered(wati, { name: 'Wati Suryani' }),
    ];
    const found = await withReadModel(recipientRegistryProjection, sameTime, findIn);
    expect(
      found.items.map(({ recipientId, registeredAt, registeredPosition }) => ({
        recipientId,
        registeredAt,
        registeredPosition,
      })),
    ).toEqual([
      { recipientId: siti.recipientId, registeredAt: DEFAULT_RECORDED_AT, registeredPosition: 1 },
      { recipientId: rina.recipientId, registeredAt: DEFAULT_RECORDED_AT, registeredPosition: 2 },
      { recipientId: wati.recipientId, registeredAt: DEFAULT_RECORDED_AT, registeredPosition: 3 },
    ]);
  });
});

describe('findRecipients after an erasure', () => {
  const readModel = readModelForEachTest(recipientRegistryProjection, [
    ...history,
    personalDataErased(siti, { dataKeyIds: ['key-siti'] }),
    personalDataErased(rotan, { dataKeyIds: ['key-rotan-2'], memberNikHash: rotanMember(2) }),
  ]);

  const namesFound = async (search: Partial<RecipientSearch>) =>
    (await findIn(readModel, { ...page, ...search })).items.map((item) => item.name);

  it('finds her by no word of her name, nor by the word of the erased text', async () => {
    expect(await namesFound({ q: 'siti' })).toEqual([]);
    expect(await namesFound({ q: 'aminah' })).toEqual([]);
    expect(await namesFound({ q: 'dihapus' })).toEqual([]);
  });

  it("finds a KUBe by its group's and other members' names, not by the erased member's", async () => {
    // Both KUBes have a Nur Aisyah: only the other one's is still there to find.
    expect(await namesFound({ q: 'nur aisyah' })).toEqual(['KUBe Olahan Ikan Mahakam']);
    expect(await namesFound({ q: 'rotan' })).toEqual(['KUBe Anyaman Rotan Lestari']);
    expect(await namesFound({ q: 'rahmat' })).toEqual([
      'KUBe Anyaman Rotan Lestari',
      'KUBe Olahan Ikan Mahakam',
    ]);
  });

  it('still lists and counts her, under the erased text, with her aid and regency', async () => {
    expect(await namesFound({ regencyCode: SAMARINDA, status: 'aided', kind: 'RSE' })).toEqual([
      ERASED_TEXT,
      'Ani Rahmawati',
    ]);
    expect(await namesFound({ sort: 'name' })).toEqual([
      'Ani Rahmawati',
      ERASED_TEXT,
      'KUBe Anyaman Rotan Lestari',
      'KUBe Olahan Ikan Mahakam',
      'Rina Marlina',
      'Wati Suryani',
    ]);
  });
});
