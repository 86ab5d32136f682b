import type { NewEvent } from '../src/platform/event-store/event-store.port';
import { REGENCIES } from '../src/domain/programme/regencies';
import { GROUP_NAMES, personName } from '../src/demo/indonesian-names';
import { SeededRandom } from '../src/demo/seeded-random';
import type { AppendUnit } from './programme-events';

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

export const YEARS = [2024, 2025, 2026] as const;
export const KINDS = ['RSE', 'KUBE'] as const;
const VALUE_RUPIAH = { RSE: 5_000_000, KUBE: 20_000_000 } as const;
const STATUSES = ['GROWING', 'STABLE', 'STABLE', 'GROWING', 'STRUGGLING', 'CLOSED'] as const;
const CHALLENGES = ['LIMITED_RESOURCES', 'MARKET_COMPETITION', 'MOTIVATION', 'OTHER'] as const;
const MEMBER_ROLES = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

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
    while (this.drawn < end) yield this.life(this.drawn++);
  }

  private life(n: number): AppendUnit {
    const random = this.random;
    const recipientId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    const kind = random.chance(0.8) ? 'RSE' : 'KUBE';
    const regencyCode = random.pick(NATIONAL_REGENCIES);
    const nikMasked = `${regencyCode.replace('.', '')}********${String((n % 9999) + 1).padStart(4, '0')}`;
    const nikHashes = kind === 'RSE' ? [`h${n}`] : MEMBER_ROLES.map((_, i) => `h${n}-${i}`);
    const claims: AppendUnit = nikHashes.map((nikHash) => ({
      streamName: `nik-${nikHash}`,
      expectedRevision: 'any',
      events: [
        { type: 'NikClaimed', data: { recipientId, claimedAt: '2024-01-02T01:00:00.000Z' } },
      ],
    }));
    const events: NewEvent[] = [
      {
        type: 'RecipientRegistered',
        data:
          kind === 'RSE'
            ? {
                recipientId,
                kind,
                regencyCode,
                name: personName(random, 'female'),
                businessType: 'Warung makan',
                nikHash: nikHashes[0],
                nikMasked,
              }
            : {
                recipientId,
                kind,
                regencyCode,
                groupName: random.pick(GROUP_NAMES),
                businessType: 'Perikanan',
                members: MEMBER_ROLES.map((role, i) => ({
                  name: personName(random, random.chance(0.7) ? 'female' : 'male'),
                  role,
                  nikHash: nikHashes[i],
                  nikMasked,
                })),
              },
      },
    ];
    const slot: NewEvent[] = [];
    let quotaStream = '';
    if (random.chance(0.9)) {
      const year = random.pick(YEARS);
      const valueRupiah = VALUE_RUPIAH[kind];
      const disbursementId = `${recipientId}.1`;
      const month = random.int(1, 9);
      events.push({
        type: 'AidDisbursed',
        data: {
          recipientId,
          disbursementId,
          kind,
          regencyCode,
          year,
          form: 'EQUIPMENT',
          items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: valueRupiah }],
          valueRupiah,
          disbursedOn: `${year}-${pad(month)}-${pad(random.int(1, 28))}`,
        },
      });
      quotaStream = `quota-${year}-${kind}`;
      slot.push({
        type: 'QuotaSlotTaken',
        data: { disbursementId, recipientId, regencyCode, valueRupiah },
      });
      // A visit a quarter, for a year or two after the aid.
      const visits = random.int(3, 7);
      for (let visit = 1; visit <= visits; visit++) {
        const monthsAfter = month - 1 + 3 * visit;
        const workers = random.int(0, 3);
        events.push({
          type: 'MonitoringRecorded',
          data: {
            recipientId,
            disbursementId,
            visitDate: `${year + Math.floor(monthsAfter / 12)}-${pad((monthsAfter % 12) + 1)}-15`,
            businessStatus: random.pick(STATUSES),
            monthlyTurnoverRupiah: random.int(0, 49) * 100_000,
            workers,
            workersFromPoorHouseholds: random.int(0, workers),
            challenges: random.chance(0.4) ? [random.pick(CHALLENGES)] : [],
          },
        });
      }
      if (random.chance(0.5)) {
        events.push({
          type: 'MentoringRecorded',
          data: {
            recipientId,
            disbursementId,
            partner: 'Dinas Koperasi dan UKM',
            topic: 'Pemasaran',
            date: `${year}-11-20`,
          },
        });
      }
      if (random.chance(0.25)) {
        events.push({
          type: 'ExhibitionParticipationRecorded',
          data: { recipientId, disbursementId, name: 'Pameran UMKM', date: `${year}-12-01` },
        });
      }
      if (random.chance(0.03)) {
        events.push({
          type: 'DisbursementReversed',
          data: {
            recipientId,
            disbursementId,
            kind,
            regencyCode,
            year,
            valueRupiah,
            reason: 'Data ganda',
            reversedOn: `${year}-12-15`,
          },
        });
        slot.push({ type: 'QuotaSlotReleased', data: { disbursementId, reason: 'REVERSED' } });
      }
    }
    return [
      ...claims,
      { streamName: `recipient-${recipientId}`, expectedRevision: 'any', events },
      ...(slot.length > 0
        ? [{ streamName: quotaStream, expectedRevision: 'any' as const, events: slot }]
        : []),
    ];
  }
}
