import { REGENCIES } from '../../src/domain/programme/regencies';
import {
  aidDisbursed,
  allocationSet,
  defaultProgramme,
  disbursementOf,
  disbursementReversed,
  kubeRegistered,
  readModelForEachTest,
  recipientRef,
  rseRegistered,
  withReadModel,
  type EventToStore,
  type RecipientRef,
  BALIKPAPAN,
  KUTAI_BARAT,
  SAMARINDA,
} from '../../test/helpers/projection-specification';
import { quotaProgressProjection } from './quota-progress.projection';
import { quotaProgress, type KindProgress, type Progress } from './quota-progress.queries';

/** A recipient registered and aided. */
const aided = (recipient: RecipientRef, year = 2025): EventToStore[] => [
  recipient.kind === 'RSE' ? rseRegistered(recipient) : kubeRegistered(recipient),
  aidDisbursed(recipient, { year, disbursedOn: `${year}-03-10` }),
];

const siti = recipientRef(1, 'RSE', SAMARINDA);
const wati = recipientRef(2, 'RSE', SAMARINDA);
const ani = recipientRef(3, 'RSE', BALIKPAPAN);
const rina = recipientRef(4, 'RSE', SAMARINDA);
const rotan = recipientRef(1, 'KUBE', KUTAI_BARAT);
const tenun = recipientRef(2, 'KUBE', KUTAI_BARAT);
const ikan = recipientRef(3, 'KUBE', SAMARINDA);

/**
 * The default programme, then in 2025: four RSE women aided (three in Samarinda, one in
 * Balikpapan), one of them reversed and aided again, one reversed for good; two KUBe aided in
 * Kutai Barat, whose allocation went down to 15 and Samarinda's up to 25. In 2024: one KUBe in
 * Samarinda.
 */
const history: EventToStore[] = [
  ...defaultProgramme(),
  ...aided(siti),
  ...aided(wati),
  ...aided(ani),
  ...aided(rina),
  disbursementReversed(siti),
  aidDisbursed(siti, { disbursementId: disbursementOf(siti, 2), disbursedOn: '2025-04-15' }),
  disbursementReversed(rina),
  allocationSet(2025, 'KUBE', { regencyCode: KUTAI_BARAT, quota: 15, previousQuota: 20 }),
  allocationSet(2025, 'KUBE', { regencyCode: SAMARINDA, quota: 25, previousQuota: 20 }),
  ...aided(rotan),
  ...aided(tenun),
  ...aided(ikan, 2024),
];

const nothing: Progress = {
  allocated: null,
  disbursed: 0,
  reversed: 0,
  valueDisbursedRupiah: 0,
  remaining: null,
};

/** The ten regencies in their order, each with nothing counted unless listed. */
function regencies(
  progress: Record<string, Partial<Progress>>,
  base: Partial<Progress> = {},
): KindProgress['regencies'] {
  return REGENCIES.map(({ code, name }) => ({
    code,
    name,
    ...nothing,
    ...base,
    ...progress[code],
  }));
}

describe('quotaProgress', () => {
  const readModel = readModelForEachTest(quotaProgressProjection, history);
  const progressOf = (year?: number) =>
    quotaProgress(readModel.readStore, readModel.collection, year);

  it('answers one year: target, net counts, remaining, and all ten regencies', async () => {
    expect(await progressOf(2025)).toEqual({
      year: 2025,
      kinds: [
        {
          kind: 'RSE',
          target: 500,
          allocated: 0,
          disbursed: 3,
          reversed: 2,
          valueDisbursedRupiah: 15_000_000,
          remaining: 497,
          regencies: regencies({
            [SAMARINDA]: { disbursed: 2, reversed: 2, valueDisbursedRupiah: 10_000_000 },
            [BALIKPAPAN]: { disbursed: 1, valueDisbursedRupiah: 5_000_000 },
          }),
        },
        {
          kind: 'KUBE',
          target: 200,
          allocated: 200,
          disbursed: 2,
          reversed: 0,
          valueDisbursedRupiah: 40_000_000,
          remaining: 198,
          regencies: regencies(
            {
              [KUTAI_BARAT]: {
                allocated: 15,
                disbursed: 2,
                valueDisbursedRupiah: 40_000_000,
                remaining: 13,
              },
              [SAMARINDA]: { allocated: 25, remaining: 25 },
            },
            { allocated: 20, remaining: 20 },
          ),
        },
      ],
    });
  });

  it('adds all years up: RSE 1500 and KUBe 600 for 2024–2026', async () => {
    const report = await progressOf();
    expect(report.year).toBeNull();
    expect(
      report.kinds.map(({ kind, target, allocated }) => ({ kind, target, allocated })),
    ).toEqual([
      { kind: 'RSE', target: 1500, allocated: 0 },
      { kind: 'KUBE', target: 600, allocated: 600 },
    ]);
    const [rseProgress, kubeProgress] = report.kinds;
    expect(rseProgress).toMatchObject({ disbursed: 3, reversed: 2, remaining: 1497 });
    expect(kubeProgress).toMatchObject({
      disbursed: 3,
      reversed: 0,
      valueDisbursedRupiah: 60_000_000,
      remaining: 597,
    });
    expect(kubeProgress.regencies).toEqual(
      regencies(
        {
          [KUTAI_BARAT]: {
            allocated: 55,
            disbursed: 2,
            valueDisbursedRupiah: 40_000_000,
            remaining: 53,
          },
          [SAMARINDA]: {
            allocated: 65,
            disbursed: 1,
            valueDisbursedRupiah: 20_000_000,
            remaining: 64,
          },
        },
        { allocated: 60, remaining: 60 },
      ),
    );
  });

  it('makes the regencies add up to the programme', async () => {
    for (const year of [2024, 2025, 2026, undefined]) {
      for (const progress of (await progressOf(year)).kinds) {
        const sum = (field: 'disbursed' | 'reversed' | 'valueDisbursedRupiah') =>
          progress.regencies.reduce((total, regency) => total + regency[field], 0);
        expect(sum('disbursed')).toBe(progress.disbursed);
        expect(sum('reversed')).toBe(progress.reversed);
        expect(sum('valueDisbursedRupiah')).toBe(progress.valueDisbursedRupiah);
        expect(progress.remaining).toBe(progress.target - progress.disbursed);
        const allocated = progress.regencies.reduce((total, r) => total + (r.allocated ?? 0), 0);
        expect(allocated).toBe(progress.allocated);
      }
    }
  });

  it('answers the default programme of a year with nothing disbursed', async () => {
    const report = await progressOf(2026);
    expect(report.kinds).toEqual([
      {
        kind: 'RSE',
        target: 500,
        allocated: 0,
        disbursed: 0,
        reversed: 0,
        valueDisbursedRupiah: 0,
        remaining: 500,
        regencies: regencies({}),
      },
      {
        kind: 'KUBE',
        target: 200,
        allocated: 200,
        disbursed: 0,
        reversed: 0,
        valueDisbursedRupiah: 0,
        remaining: 200,
        regencies: regencies({}, { allocated: 20, remaining: 20 }),
      },
    ]);
  });

  it('lists all ten regencies with code and name for a year outside the programme', async () => {
    const report = await progressOf(2027);
    expect(report.year).toBe(2027);
    for (const progress of report.kinds) {
      expect(progress).toMatchObject({ target: 0, allocated: null, disbursed: 0, remaining: 0 });
      expect(progress.regencies).toEqual(regencies({}));
    }
    expect(report.kinds[0].regencies.map(({ code, name }) => [code, name])).toContainEqual([
      '64.07',
      'Kabupaten Kutai Barat',
    ]);
  });

  it('lists all ten regencies on an empty read model', async () => {
    const report = await withReadModel(quotaProgressProjection, [], ({ readStore, collection }) =>
      quotaProgress(readStore, collection),
    );
    expect(report.kinds.map((progress) => progress.kind)).toEqual(['RSE', 'KUBE']);
    for (const progress of report.kinds) {
      expect(progress.regencies).toHaveLength(10);
      expect(progress.regencies).toEqual(regencies({}));
    }
  });
});
