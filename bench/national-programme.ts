import { REGENCIES } from '../src/domain/programme/regencies';
import { GROUP_NAMES, personName } from '../src/demo/indonesian-names';
import { SeededRandom } from '../src/demo/seeded-random';
import {
  type AppendUnit,
  KINDS,
  type LifeProfile,
  recipientLife,
  twoDigits,
  VALUE_RUPIAH,
  YEARS,
} from './recipient-life';

export { KINDS, YEARS } from './recipient-life';

/** Indonesia's regencies and cities. */
export const NATIONAL_REGENCY_COUNT = 514;

/** Province codes of Kemendagri, Kalimantan Timur (64) left out: its own ten codes are real. */
const OTHER_PROVINCES = [
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 65, 71,
  72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
];

/**
 * 514 regency codes: Kalimantan Timur's ten real ones (so the quota-progress report, which lists
 * those ten, shows figures) and 504 synthetic ones of the same shape (`11.01`, `12.01`, …), which
 * the read models keep as they keep any code.
 */
export const NATIONAL_REGENCIES: readonly string[] = [
  ...REGENCIES.map((regency) => regency.code),
  ...Array.from({ length: NATIONAL_REGENCY_COUNT - REGENCIES.length }, (_, i) => {
    const province = OTHER_PROVINCES[i % OTHER_PROVINCES.length];
    const serial = Math.floor(i / OTHER_PROVINCES.length) + 1;
    return `${province}.${String(serial).padStart(2, '0')}`;
  }),
];

/**
 * Recipients across Indonesia, named as the demo names people (an RSE's owner a woman, a KUBE's
 * members mostly women), visited a quarter at a time for a year or two after the aid.
 */
const NATIONAL: LifeProfile = {
  regencyCodes: NATIONAL_REGENCIES,
  nikPrefix: (regencyCode) => regencyCode.replace('.', ''),
  ownerName: (random) => personName(random, 'female'),
  groupName: (random) => random.pick(GROUP_NAMES),
  memberName: (random) => personName(random, random.chance(0.7) ? 'female' : 'male'),
  aidedChance: 0.9,
  mentoredChance: 0.5,
  exhibitedChance: 0.25,
  disbursementDays: [1, 28],
  visits: [3, 7],
  visitDate: (year, month, visit) => {
    const monthsAfter = month - 1 + 3 * (visit + 1);
    return `${year + Math.floor(monthsAfter / 12)}-${twoDigits((monthsAfter % 12) + 1)}-15`;
  },
  mentoringPartner: 'Dinas Koperasi dan UKM',
  exhibitionName: 'Pameran UMKM',
};

/**
 * A national programme log, the shape of bench/programme-events.ts at a national scale: the
 * quotas with an allocation for each of the 514 regencies, then each recipient's life, about ten
 * events each: NIK claims, registration and quota slot in one commit, then disbursement,
 * quarterly monitoring visits, mentoring, exhibitions, and now and then a reversal that frees the
 * slot. Seeded, so every run writes the same log; recipients are drawn in order, `lives(count)`
 * continuing where the last call stopped, so a bench can time the log in slices.
 */
export class NationalProgramme {
  private readonly random: SeededRandom;
  private drawn = 0;

  constructor(
    readonly recipients: number,
    seed = 7,
  ) {
    this.random = new SeededRandom(seed);
  }

  /**
   * Each year and kind defined, with an allocation for every regency. Targets and allocations are
   * generous (the target is the number of recipients, the allocations add up to at most it), so
   * that every slot taken is one the deciders would have allowed.
   */
  quotaUnits(): AppendUnit[] {
    const allocation = Math.max(1, Math.floor(this.recipients / NATIONAL_REGENCY_COUNT));
    return YEARS.flatMap((year) =>
      KINDS.map((kind) => ({
        streamName: `quota-${year}-${kind}`,
        expectedRevision: 'any' as const,
        events: [
          {
            type: 'YearlyQuotaDefined',
            data: { year, kind, target: this.recipients, ceilingRupiah: VALUE_RUPIAH[kind] },
          },
          ...NATIONAL_REGENCIES.map((regencyCode) => ({
            type: 'AllocationSet',
            data: { regencyCode, quota: allocation, previousQuota: null },
          })),
        ],
      })),
    ).map((append) => [append]);
  }

  /** The next `count` recipients' lives, one append each. */
  *lives(count: number): Generator<AppendUnit> {
    const end = Math.min(this.recipients, this.drawn + count);
    while (this.drawn < end) yield recipientLife(this.drawn++, this.random, NATIONAL);
  }
}
