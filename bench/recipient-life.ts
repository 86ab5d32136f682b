import type { NewEvent, StreamAppend } from '../src/platform/event-store/event-store.port';
import type { SeededRandom } from '../src/demo/seeded-random';

/** One command's append: events for one or several streams. */
export type AppendUnit = StreamAppend[];

export const YEARS = [2024, 2025, 2026] as const;
export const KINDS = ['RSE', 'KUBE'] as const;
/** The value of one aid, which is also the ceiling of a kind's yearly quota. */
export const VALUE_RUPIAH = { RSE: 5_000_000, KUBE: 20_000_000 } as const;
const STATUSES = ['GROWING', 'STABLE', 'STABLE', 'GROWING', 'STRUGGLING', 'CLOSED'] as const;
const CHALLENGES = ['LIMITED_RESOURCES', 'MARKET_COMPETITION', 'MOTIVATION', 'OTHER'] as const;
const MEMBER_ROLES = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'] as const;

export const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * What one synthetic programme's recipients look like: where they live, what they are called and
 * how their lives go. The name functions may draw from the random source (they are called at the
 * point of the life where their draws belong, so a profile's log stays the same from run to run).
 */
export interface LifeProfile {
  /** The regency codes a recipient is drawn from, evenly. */
  readonly regencyCodes: readonly string[];
  /** The digits a masked NIK starts with, before its stars. */
  readonly nikPrefix: (regencyCode: string) => string;
  /** An RSE owner's name, a KUBE's name, and the name of a KUBE's member (counted from 0). */
  readonly ownerName: (random: SeededRandom, n: number) => string;
  readonly groupName: (random: SeededRandom, n: number) => string;
  readonly memberName: (random: SeededRandom, n: number, member: number) => string;
  /** The chance that a recipient is aided, then that an aided one is mentored, or exhibits. */
  readonly aidedChance: number;
  readonly mentoredChance: number;
  readonly exhibitedChance: number;
  /** The first and last day of the month aid is disbursed on (in a month from 1 to 9). */
  readonly disbursementDays: readonly [number, number];
  /** The fewest and most monitoring visits an aided recipient has. */
  readonly visits: readonly [number, number];
  /** The date of a visit (counted from 0) after aid disbursed in `month` of `year`. */
  readonly visitDate: (year: number, month: number, visit: number) => string;
  readonly mentoringPartner: string;
  readonly exhibitionName: string;
}

/**
 * Recipient `n`'s life as one append, about as the deciders would write it: its NIK claims, its
 * registration, then (if aided) the disbursement, monitoring visits, mentoring, an exhibition
 * and now and then a reversal, with the quota slot the aid took (and released when reversed).
 */
export function recipientLife(n: number, random: SeededRandom, profile: LifeProfile): AppendUnit {
  const recipientId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const kind = random.chance(0.8) ? 'RSE' : 'KUBE';
  const regencyCode = random.pick(profile.regencyCodes);
  const nikMasked = `${profile.nikPrefix(regencyCode)}********${String((n % 9999) + 1).padStart(4, '0')}`;
  const nikHashes = kind === 'RSE' ? [`h${n}`] : MEMBER_ROLES.map((_, i) => `h${n}-${i}`);
  const claims: AppendUnit = nikHashes.map((nikHash) => ({
    streamName: `nik-${nikHash}`,
    expectedRevision: 'any',
    events: [{ type: 'NikClaimed', data: { recipientId, claimedAt: '2024-01-02T01:00:00.000Z' } }],
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
              name: profile.ownerName(random, n),
              businessType: 'Warung makan',
              nikHash: nikHashes[0],
              nikMasked,
            }
          : {
              recipientId,
              kind,
              regencyCode,
              groupName: profile.groupName(random, n),
              businessType: 'Perikanan',
              members: MEMBER_ROLES.map((role, i) => ({
                name: profile.memberName(random, n, i),
                role,
                nikHash: nikHashes[i],
                nikMasked,
              })),
            },
    },
  ];
  const slot: NewEvent[] = [];
  let quotaStream = '';
  if (random.chance(profile.aidedChance)) {
    const year = random.pick(YEARS);
    const valueRupiah = VALUE_RUPIAH[kind];
    const disbursementId = `${recipientId}.1`;
    const month = random.int(1, 9);
    const day = random.int(...profile.disbursementDays);
    // Who, what and when of the aid, which the disbursement and its reversal both carry.
    const aid = { recipientId, disbursementId, kind, regencyCode, year };
    events.push({
      type: 'AidDisbursed',
      data: {
        ...aid,
        form: 'EQUIPMENT',
        items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: valueRupiah }],
        valueRupiah,
        disbursedOn: `${year}-${twoDigits(month)}-${twoDigits(day)}`,
      },
    });
    quotaStream = `quota-${year}-${kind}`;
    slot.push({
      type: 'QuotaSlotTaken',
      data: { disbursementId, recipientId, regencyCode, valueRupiah },
    });
    const visits = random.int(...profile.visits);
    for (let visit = 0; visit < visits; visit++) {
      const workers = random.int(0, 3);
      events.push({
        type: 'MonitoringRecorded',
        data: {
          recipientId,
          disbursementId,
          visitDate: profile.visitDate(year, month, visit),
          businessStatus: random.pick(STATUSES),
          monthlyTurnoverRupiah: random.int(0, 49) * 100_000,
          workers,
          workersFromPoorHouseholds: random.int(0, workers),
          challenges: random.chance(0.4) ? [random.pick(CHALLENGES)] : [],
        },
      });
    }
    if (random.chance(profile.mentoredChance)) {
      events.push({
        type: 'MentoringRecorded',
        data: {
          recipientId,
          disbursementId,
          partner: profile.mentoringPartner,
          topic: 'Pemasaran',
          date: `${year}-11-20`,
        },
      });
    }
    if (random.chance(profile.exhibitedChance)) {
      events.push({
        type: 'ExhibitionParticipationRecorded',
        data: { recipientId, disbursementId, name: profile.exhibitionName, date: `${year}-12-01` },
      });
    }
    if (random.chance(0.03)) {
      events.push({
        type: 'DisbursementReversed',
        data: { ...aid, valueRupiah, reason: 'Data ganda', reversedOn: `${year}-12-15` },
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
