import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError, type DomainErrorKind } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import { REGENCIES } from '../programme/regencies';
import type {
  DefineYearlyQuota,
  QuotaCommand,
  ReleaseSlot,
  SetAllocation,
  SetYearlyQuota,
  SlotReleaseReason,
  TakeSlot,
} from './quota.commands';
import { quotaDecider, slotsHeldIn } from './quota.decider';
import type { QuotaEvent } from './quota.events';

const spec = DeciderSpecification.for(quotaDecider);

const SAMARINDA = '64.72';
const BALIKPAPAN = '64.71';
const KUTAI_BARAT = '64.07';
const BONTANG = '64.74';

const KUBE_CEILING = 20_000_000;
const RSE_CEILING = 5_000_000;
const rseSlot = { valueRupiah: RSE_CEILING };
const RESERVED_AT = '2025-03-15T02:00:00.000Z';

const defined = ({
  kind = 'KUBE',
  target = 200,
  ceilingRupiah = KUBE_CEILING,
}: { kind?: AidKind; target?: number; ceilingRupiah?: number } = {}): QuotaEvent => ({
  type: 'YearlyQuotaDefined',
  data: { year: 2025, kind, target, ceilingRupiah },
});

const allocated = (
  regencyCode: string,
  quota: number,
  previousQuota: number | null = null,
): QuotaEvent => ({ type: 'AllocationSet', data: { regencyCode, quota, previousQuota } });

/** The slot of the first disbursement of `recipientId`, taken in `regencyCode`. */
const taken = (
  recipientId: string,
  regencyCode = SAMARINDA,
  { valueRupiah = KUBE_CEILING } = {},
): QuotaEvent => ({
  type: 'QuotaSlotTaken',
  data: { disbursementId: `${recipientId}.1`, recipientId, regencyCode, valueRupiah },
});

const released = (recipientId: string, reason: SlotReleaseReason = 'REVERSED'): QuotaEvent => ({
  type: 'QuotaSlotReleased',
  data: { disbursementId: `${recipientId}.1`, reason },
});

/**
 * Older logs only: the slot of the first disbursement of `recipientId`, reserved before its aid
 * was recorded in an append of its own. No longer written.
 */
const reserved = (
  recipientId: string,
  regencyCode = SAMARINDA,
  { valueRupiah = KUBE_CEILING } = {},
): QuotaEvent => ({
  type: 'QuotaSlotReserved',
  data: {
    disbursementId: `${recipientId}.1`,
    recipientId,
    regencyCode,
    valueRupiah,
    reservedAt: RESERVED_AT,
  },
});

/** Older logs only: the aid a reserved slot was held for was recorded. No longer written. */
const confirmed = (recipientId: string): QuotaEvent => ({
  type: 'QuotaSlotConfirmed',
  data: { disbursementId: `${recipientId}.1` },
});

const take = (
  recipientId: string,
  regencyCode = SAMARINDA,
  valueRupiah = KUBE_CEILING,
): TakeSlot => ({
  type: 'TakeSlot',
  disbursementId: `${recipientId}.1`,
  recipientId,
  regencyCode,
  valueRupiah,
});

const release = (recipientId: string): ReleaseSlot => ({
  type: 'ReleaseSlot',
  disbursementId: `${recipientId}.1`,
});

/** The KUBe programme of 2025 as first defined, with no allocation unless given. */
const define = (overrides: Partial<DefineYearlyQuota> = {}): DefineYearlyQuota => ({
  type: 'DefineYearlyQuota',
  year: 2025,
  kind: 'KUBE',
  target: 200,
  ceilingRupiah: KUBE_CEILING,
  allocations: {},
  ...overrides,
});

const setAllocation = (quota: number, regencyCode = SAMARINDA): SetAllocation => ({
  type: 'SetAllocation',
  regencyCode,
  quota,
});

/** A refusal as `thenThrows` checks it: kind, code and, where the refusal names one, the field. */
const refusal = (kind: DomainErrorKind, code: string, field?: string) =>
  field === undefined ? { kind, code } : { kind, code, field };

const exhausted = refusal('rule', 'QUOTA_EXHAUSTED');
const idTaken = refusal('rule', 'DISBURSEMENT_ID_TAKEN');
const aboveCeiling = refusal('rule', 'VALUE_ABOVE_CEILING', 'items');

/** Cases that differ only in data: a title, then given, when and the expected events or refusal. */
type Case<Expected> = [title: string, given: QuotaEvent[], when: QuotaCommand, Expected];

const itDecides = (cases: Case<QuotaEvent[]>[]) =>
  it.each(cases)('%s', (_title, given, command, events) => {
    spec.given(given).when(command).then(events);
  });

const itRefuses = (cases: Case<ReturnType<typeof refusal>>[]) =>
  it.each(cases)('%s', (_title, given, command, error) => {
    spec.given(given).when(command).thenThrows(DomainError, error);
  });

/** Commands accepted without an event: a title, then given and when. */
const itChangesNothing = (cases: [title: string, given: QuotaEvent[], when: QuotaCommand][]) =>
  it.each(cases)('%s', (_title, given, command) => {
    spec.given(given).when(command).thenNothingHappens();
  });

describe('quotaDecider', () => {
  describe('DefineYearlyQuota', () => {
    itDecides([
      [
        'defines the year and sets one allocation per regency given',
        [],
        define({ allocations: { [KUTAI_BARAT]: 20, [SAMARINDA]: 20, [BALIKPAPAN]: 20 } }),
        [
          defined(),
          allocated(KUTAI_BARAT, 20),
          allocated(SAMARINDA, 20),
          allocated(BALIKPAPAN, 20),
        ],
      ],
      [
        'defines a year with no allocations, where only the target applies',
        [],
        define({ kind: 'RSE', target: 500, ceilingRupiah: RSE_CEILING }),
        [defined({ kind: 'RSE', target: 500, ceilingRupiah: RSE_CEILING })],
      ],
    ]);

    it.each([
      ['an unknown regency', { '64.05': 1 }],
      ['a negative allocation', { [SAMARINDA]: -1 }],
      ['a fractional allocation', { [SAMARINDA]: 1.5 }],
      ['allocations above the target', { [SAMARINDA]: 150, [BALIKPAPAN]: 51 }],
    ])('refuses a definition with %s', (_case, allocations) => {
      spec
        .given([])
        .when(define({ allocations }))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_PROGRAMME'));
    });

    it('does nothing when the year is already defined, whatever the figures', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when(define({ target: 300, ceilingRupiah: 25_000_000, allocations: { [SAMARINDA]: 30 } }))
        .thenNothingHappens();
    });
  });

  describe('SetYearlyQuota', () => {
    const setYear = (overrides: Partial<SetYearlyQuota> = {}): SetYearlyQuota => ({
      type: 'SetYearlyQuota',
      year: 2025,
      kind: 'KUBE',
      target: 200,
      ceilingRupiah: KUBE_CEILING,
      reason: 'APBD 2025',
      ...overrides,
    });
    const everyRegency = (quota: number, previousQuota: number | null = null) =>
      REGENCIES.map(({ code }) => allocated(code, quota, previousQuota));
    /** Two KUBe slots taken in Samarinda, one worth Rp18,000,000, under 20 per regency. */
    const twoTaken = [
      defined(),
      ...everyRegency(20),
      taken('kube-01'),
      taken('kube-02', SAMARINDA, { valueRupiah: 18_000_000 }),
    ];

    itDecides([
      [
        'defines a new year with its reason and the same allocation in every regency',
        [],
        setYear({ year: 2025, allocationPerRegency: 20 }),
        [
          {
            type: 'YearlyQuotaDefined',
            data: {
              year: 2025,
              kind: 'KUBE',
              target: 200,
              ceilingRupiah: KUBE_CEILING,
              reason: 'APBD 2025',
            },
          },
          ...everyRegency(20),
        ],
      ],
      [
        'defines a new year with no allocation when none is given',
        [],
        setYear({
          kind: 'RSE',
          target: 500,
          ceilingRupiah: RSE_CEILING,
          allocationPerRegency: null,
        }),
        [
          {
            type: 'YearlyQuotaDefined',
            data: {
              year: 2025,
              kind: 'RSE',
              target: 500,
              ceilingRupiah: RSE_CEILING,
              reason: 'APBD 2025',
            },
          },
        ],
      ],
      [
        'changes target and ceiling, keeping the allocations when none is given',
        twoTaken,
        setYear({ target: 250, ceilingRupiah: 25_000_000, reason: 'APBD-P' }),
        [
          {
            type: 'YearlyQuotaChanged',
            data: {
              target: 250,
              ceilingRupiah: 25_000_000,
              previousTarget: 200,
              previousCeilingRupiah: KUBE_CEILING,
              reason: 'APBD-P',
            },
          },
        ],
      ],
      [
        'may lower the target and the ceiling to exactly what is held',
        twoTaken,
        setYear({ target: 2, ceilingRupiah: 20_000_000, allocationPerRegency: null }),
        [
          {
            type: 'YearlyQuotaChanged',
            data: {
              target: 2,
              ceilingRupiah: 20_000_000,
              previousTarget: 200,
              previousCeilingRupiah: KUBE_CEILING,
              reason: 'APBD 2025',
            },
          },
          ...REGENCIES.map(({ code }): QuotaEvent => ({
            type: 'AllocationCleared',
            data: { regencyCode: code, previousQuota: 20 },
          })),
        ],
      ],
      [
        'sets only the allocations that differ, recording the previous quota',
        [defined(), allocated(SAMARINDA, 20), allocated(BALIKPAPAN, 10)],
        setYear({ allocationPerRegency: 10 }),
        REGENCIES.filter(({ code }) => code !== BALIKPAPAN).map(({ code }) =>
          allocated(code, 10, code === SAMARINDA ? 20 : null),
        ),
      ],
    ]);
    itChangesNothing([
      [
        'does nothing when the year already has these figures',
        twoTaken,
        setYear({ allocationPerRegency: 20 }),
      ],
    ]);
    itRefuses([
      [
        'refuses a target below the disbursements the year holds, naming both',
        twoTaken,
        setYear({ target: 1, allocationPerRegency: null }),
        refusal('rule', 'TARGET_BELOW_DISBURSED', 'targets.KUBE'),
      ],
      [
        'refuses a ceiling below the largest disbursement',
        twoTaken,
        setYear({ ceilingRupiah: 17_999_999 }),
        refusal('rule', 'CEILING_BELOW_DISBURSED', 'ceilingsRupiah.KUBE'),
      ],
      [
        'refuses an allocation below the slots a regency holds',
        twoTaken,
        setYear({ allocationPerRegency: 1 }),
        refusal('rule', 'ALLOCATION_BELOW_DISBURSED', 'allocationPerRegency.KUBE'),
      ],
      [
        'refuses allocations adding up past the target',
        [],
        setYear({ target: 50, allocationPerRegency: 6 }),
        refusal('rule', 'ALLOCATION_ABOVE_TARGET', 'allocationPerRegency.KUBE'),
      ],
      [
        'refuses a target kept but allocations raised past it on a defined year',
        twoTaken,
        setYear({ allocationPerRegency: 21 }),
        refusal('rule', 'ALLOCATION_ABOVE_TARGET', 'allocationPerRegency.KUBE'),
      ],
      [
        'refuses a fractional target',
        [],
        setYear({ target: 2.5 }),
        refusal('invalid', 'INVALID_TARGET', 'targets.KUBE'),
      ],
      [
        'refuses a zero ceiling',
        [],
        setYear({ ceilingRupiah: 0 }),
        refusal('invalid', 'INVALID_CEILING', 'ceilingsRupiah.KUBE'),
      ],
      [
        'refuses a negative allocation',
        [],
        setYear({ allocationPerRegency: -1 }),
        refusal('invalid', 'INVALID_QUOTA', 'allocationPerRegency.KUBE'),
      ],
      [
        'refuses an empty reason',
        [],
        setYear({ reason: ' ' }),
        refusal('invalid', 'INVALID_TEXT', 'reason'),
      ],
    ]);

    it('names the figures in a refusal', () => {
      expect(() =>
        quotaDecider.decide(setYear({ target: 1 }), fold(quotaDecider, twoTaken)),
      ).toThrow('2025 KUBE already holds 2 disbursements; the target cannot drop to 1');
      expect(() =>
        quotaDecider.decide(setYear({ ceilingRupiah: 10_000_000 }), fold(quotaDecider, twoTaken)),
      ).toThrow(
        'A 2025 KUBE disbursement is worth Rp20000000; the ceiling cannot drop to Rp10000000',
      );
    });

    it('lets a slot taken after a change obey the new ceiling and target', () => {
      const changed = [
        ...twoTaken,
        {
          type: 'YearlyQuotaChanged',
          data: {
            target: 3,
            ceilingRupiah: 21_000_000,
            previousTarget: 200,
            previousCeilingRupiah: KUBE_CEILING,
            reason: 'x',
          },
        } as QuotaEvent,
      ];
      spec
        .given(changed)
        .when(take('kube-03', BALIKPAPAN, 21_000_000))
        .then([taken('kube-03', BALIKPAPAN, { valueRupiah: 21_000_000 })]);
      spec
        .given([...changed, taken('kube-03', BALIKPAPAN)])
        .when(take('kube-04', BALIKPAPAN))
        .thenThrows(DomainError, exhausted);
    });

    it('lifts a cleared regency limit, leaving only the target', () => {
      const cleared: QuotaEvent = {
        type: 'AllocationCleared',
        data: { regencyCode: SAMARINDA, previousQuota: 1 },
      };
      spec
        .given([defined(), allocated(SAMARINDA, 1), taken('kube-01'), cleared])
        .when(take('kube-02'))
        .then([taken('kube-02')]);
    });
  });

  describe('SetAllocation', () => {
    /** Two slots taken in Samarinda, whose allocation is 3. */
    const twoOfThreeTaken = [
      defined(),
      allocated(SAMARINDA, 3),
      taken('kube-01'),
      taken('kube-02'),
    ];
    /** A target of 40, and allocations of 20 in Samarinda and Balikpapan. */
    const targetAllocated = [
      defined({ target: 40 }),
      allocated(SAMARINDA, 20),
      allocated(BALIKPAPAN, 20),
    ];

    itDecides([
      [
        'sets a first allocation, with no previous quota',
        [defined()],
        setAllocation(20),
        [allocated(SAMARINDA, 20, null)],
      ],
      [
        'records the previous quota when it changes an allocation',
        [defined(), allocated(SAMARINDA, 20)],
        setAllocation(15),
        [allocated(SAMARINDA, 15, 20)],
      ],
      [
        'records the latest quota as the previous one after several changes',
        [defined(), allocated(SAMARINDA, 20), allocated(SAMARINDA, 15, 20)],
        setAllocation(25),
        [allocated(SAMARINDA, 25, 15)],
      ],
      [
        'accepts a quota of zero when the regency holds no slot',
        [defined(), allocated(SAMARINDA, 20)],
        setAllocation(0),
        [allocated(SAMARINDA, 0, 20)],
      ],
      [
        'may drop to exactly the slots the regency holds',
        twoOfThreeTaken,
        setAllocation(2),
        [allocated(SAMARINDA, 2, 3)],
      ],
      [
        'does not count released slots, nor slots of other regencies',
        [...twoOfThreeTaken, released('kube-02'), taken('kube-03', BALIKPAPAN)],
        setAllocation(1),
        [allocated(SAMARINDA, 1, 3)],
      ],
      [
        'accepts allocations that add up to exactly the target, counting the regency once',
        [defined({ target: 40 }), allocated(SAMARINDA, 20), allocated(BALIKPAPAN, 10)],
        setAllocation(30),
        [allocated(SAMARINDA, 30, 20)],
      ],
    ]);

    itChangesNothing([
      [
        'does nothing when the quota is unchanged',
        [defined(), allocated(SAMARINDA, 20)],
        setAllocation(20),
      ],
    ]);

    itRefuses([
      [
        'refuses a year that was never defined: it is outside the programme',
        [],
        setAllocation(20),
        refusal('rule', 'YEAR_OUTSIDE_PROGRAMME', 'year'),
      ],
      [
        'refuses to drop below the slots the regency holds',
        twoOfThreeTaken,
        setAllocation(1),
        refusal('rule', 'ALLOCATION_BELOW_DISBURSED', 'quota'),
      ],
      [
        'counts an older log’s slots as held, reserved then confirmed or never confirmed',
        [
          defined(),
          allocated(SAMARINDA, 3),
          reserved('kube-01'),
          confirmed('kube-01'),
          reserved('kube-02'),
        ],
        setAllocation(1),
        refusal('rule', 'ALLOCATION_BELOW_DISBURSED'),
      ],
      [
        'refuses allocations that would add up to more than the target',
        targetAllocated,
        setAllocation(21),
        refusal('rule', 'ALLOCATION_ABOVE_TARGET', 'quota'),
      ],
      [
        'refuses a new allocation that does not fit in the target',
        targetAllocated,
        setAllocation(1, BONTANG),
        refusal('rule', 'ALLOCATION_ABOVE_TARGET', 'quota'),
      ],
    ]);

    it.each([
      ['a regency of another province', '65.01'],
      ['a code that no regency has', '64.05'],
      ['the BPS code of Samarinda', '6472'],
      ['the BPS code of Kutai Timur written like a Kemendagri code', '64.04'],
    ])('refuses %s as UNKNOWN_REGENCY', (_label, regencyCode) => {
      spec
        .given([defined()])
        .when(setAllocation(20, regencyCode))
        .thenThrows(DomainError, refusal('invalid', 'UNKNOWN_REGENCY', 'regencyCode'));
    });

    it.each([
      ['negative', -1],
      ['fractional', 2.5],
      ['not a number', Number.NaN],
      ['infinite', Number.POSITIVE_INFINITY],
    ])('refuses a %s quota as INVALID_QUOTA', (_label, quota) => {
      spec
        .given([defined()])
        .when(setAllocation(quota))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_QUOTA', 'quota'));
    });
  });

  describe('TakeSlot', () => {
    /** Samarinda's allocation of 2 is reached; Balikpapan has room. */
    const samarindaFull = [
      defined(),
      allocated(SAMARINDA, 2),
      allocated(BALIKPAPAN, 20),
      taken('kube-01'),
      taken('kube-02'),
    ];
    const rseYear = (target: number) =>
      defined({ kind: 'RSE', target, ceilingRupiah: RSE_CEILING });

    itDecides([
      [
        'takes a slot for the disbursement, with its value',
        [defined(), allocated(SAMARINDA, 20)],
        take('kube-01', SAMARINDA, 19_750_000),
        [taken('kube-01', SAMARINDA, { valueRupiah: 19_750_000 })],
      ],
      [
        'accepts aid worth exactly the ceiling',
        [defined()],
        take('kube-01', SAMARINDA, KUBE_CEILING),
        [taken('kube-01')],
      ],
      [
        'accepts the last slot before the target',
        [defined({ target: 2 }), taken('kube-01')],
        take('kube-02', BALIKPAPAN),
        [taken('kube-02', BALIKPAPAN)],
      ],
      [
        'still takes a slot in a regency with room while another’s allocation is reached',
        samarindaFull,
        take('kube-03', BALIKPAPAN),
        [taken('kube-03', BALIKPAPAN)],
      ],
      [
        'limits a regency without allocation by the target only',
        [
          rseYear(3),
          allocated(SAMARINDA, 1),
          taken('rse-01', SAMARINDA, rseSlot),
          taken('rse-02', BONTANG, rseSlot),
        ],
        take('rse-03', BONTANG, RSE_CEILING),
        [taken('rse-03', BONTANG, rseSlot)],
      ],
      [
        'frees room in the target when a slot is released',
        [defined({ target: 1 }), taken('kube-01'), released('kube-01')],
        take('kube-02'),
        [taken('kube-02')],
      ],
      [
        'frees room in the allocation when a slot is released',
        [defined(), allocated(SAMARINDA, 1), taken('kube-01'), released('kube-01')],
        take('kube-02'),
        [taken('kube-02')],
      ],
    ]);

    itRefuses([
      [
        'refuses a year that was never defined: it is outside the programme',
        [],
        take('kube-01'),
        refusal('rule', 'YEAR_OUTSIDE_PROGRAMME', 'year'),
      ],
      [
        'refuses aid worth more than the ceiling',
        [defined()],
        take('kube-01', SAMARINDA, KUBE_CEILING + 1),
        aboveCeiling,
      ],
      [
        'refuses once the target of the year is reached',
        [defined({ target: 2 }), taken('kube-01'), taken('kube-02', BALIKPAPAN)],
        take('kube-03', BONTANG),
        exhausted,
      ],
      [
        'refuses once the regency’s allocation is reached, though others still have room',
        samarindaFull,
        take('kube-03', SAMARINDA),
        exhausted,
      ],
      [
        'refuses every slot in a regency allocated zero',
        [defined(), allocated(BONTANG, 0)],
        take('kube-01', BONTANG),
        exhausted,
      ],
      [
        'stops a regency without allocation at the target',
        [rseYear(2), taken('rse-01', BONTANG, rseSlot), taken('rse-02', BONTANG, rseSlot)],
        take('rse-03', BONTANG, RSE_CEILING),
        exhausted,
      ],
      [
        'refuses a second slot for a disbursement id that already holds one',
        [defined(), taken('kube-01')],
        take('kube-01'),
        idTaken,
      ],
    ]);
  });

  describe('TakeSlot after an older log of reserved and confirmed slots', () => {
    itDecides([
      [
        'lets the same disbursement take over a slot reserved and never confirmed',
        [defined(), reserved('kube-01')],
        take('kube-01', SAMARINDA, 19_750_000),
        [taken('kube-01', SAMARINDA, { valueRupiah: 19_750_000 })],
      ],
      [
        'does not count the slot it takes over twice, against the target or the allocation',
        [defined({ target: 1 }), allocated(SAMARINDA, 1), reserved('kube-01')],
        take('kube-01'),
        [taken('kube-01')],
      ],
    ]);

    itRefuses([
      [
        'counts a slot reserved then confirmed against the target',
        [
          defined({ target: 2 }),
          reserved('kube-01'),
          confirmed('kube-01'),
          taken('kube-02', BALIKPAPAN),
        ],
        take('kube-03', BONTANG),
        exhausted,
      ],
      [
        'counts a slot reserved then confirmed against the regency’s allocation',
        [defined(), allocated(SAMARINDA, 1), reserved('kube-01'), confirmed('kube-01')],
        take('kube-02'),
        exhausted,
      ],
      [
        'still checks the ceiling when it takes over a slot',
        [defined(), reserved('kube-01')],
        take('kube-01', SAMARINDA, KUBE_CEILING + 1),
        aboveCeiling,
      ],
      [
        'refuses the id of a slot another recipient reserved',
        [defined(), reserved('kube-01')],
        { ...take('kube-01'), recipientId: 'kube-02' },
        idTaken,
      ],
      [
        'refuses the id of a slot reserved then confirmed: its aid was recorded',
        [defined(), reserved('kube-01'), confirmed('kube-01')],
        take('kube-01'),
        idTaken,
      ],
    ]);

    it('counts a slot reserved and never confirmed against the target and the allocation', () => {
      spec
        .given([defined({ target: 1 }), reserved('kube-01')])
        .when(take('kube-02', BALIKPAPAN))
        .thenThrows(DomainError, exhausted);
      spec
        .given([defined(), allocated(SAMARINDA, 1), reserved('kube-01')])
        .when(take('kube-02'))
        .thenThrows(DomainError, exhausted);
    });

    it('holds one slot, no longer pending, once it is taken over', () => {
      const events = [defined(), allocated(SAMARINDA, 2), reserved('kube-01'), taken('kube-01')];
      const state = fold(quotaDecider, events);
      expect(slotsHeldIn(state, SAMARINDA)).toBe(1);
      expect(state.slots.get('kube-01.1')).toEqual({
        recipientId: 'kube-01',
        regencyCode: SAMARINDA,
        valueRupiah: KUBE_CEILING,
        pending: false,
      });
      spec.given(events).when(take('kube-01')).thenThrows(DomainError, idTaken);
    });

    it.each<SlotReleaseReason>(['REFUSED', 'ABANDONED'])(
      'frees room in the target and the allocation when a reserved slot was released (%s)',
      (reason) => {
        spec
          .given([
            defined({ target: 1 }),
            allocated(SAMARINDA, 1),
            reserved('kube-01'),
            released('kube-01', reason),
          ])
          .when(take('kube-02'))
          .then([taken('kube-02')]);
      },
    );
  });

  describe('ReleaseSlot', () => {
    itDecides([
      [
        'releases a taken slot, as reversed',
        [defined(), taken('kube-01')],
        release('kube-01'),
        [released('kube-01', 'REVERSED')],
      ],
      [
        'releases a slot of an older log, reserved then confirmed, as reversed',
        [defined(), reserved('kube-01'), confirmed('kube-01')],
        release('kube-01'),
        [released('kube-01', 'REVERSED')],
      ],
      [
        'releases a slot of an older log reserved and never confirmed, as reversed',
        [defined(), reserved('kube-01')],
        release('kube-01'),
        [released('kube-01', 'REVERSED')],
      ],
    ]);

    itChangesNothing([
      [
        'does nothing for an unknown disbursement',
        [defined(), taken('kube-01')],
        release('kube-99'),
      ],
      [
        'does nothing for a slot already released',
        [defined(), taken('kube-01'), released('kube-01')],
        release('kube-01'),
      ],
    ]);

    it.each<SlotReleaseReason>(['REFUSED', 'ABANDONED'])(
      'does nothing for a slot an older log released (%s)',
      (reason) => {
        spec
          .given([defined(), reserved('kube-01'), released('kube-01', reason)])
          .when(release('kube-01'))
          .thenNothingHappens();
      },
    );
  });
});

describe('slotsHeldIn', () => {
  const state = fold(quotaDecider, [
    defined(),
    taken('kube-01', SAMARINDA),
    reserved('kube-02', SAMARINDA),
    confirmed('kube-02'),
    reserved('kube-03', SAMARINDA),
    taken('kube-04', SAMARINDA),
    released('kube-04'),
    reserved('kube-05', SAMARINDA),
    released('kube-05', 'ABANDONED'),
    taken('kube-06', BALIKPAPAN),
  ]);

  it('counts the regency’s slots, taken or reserved by an older log, not released ones', () => {
    expect(slotsHeldIn(state, SAMARINDA)).toBe(3);
  });

  it('counts each regency apart', () => {
    expect(slotsHeldIn(state, BALIKPAPAN)).toBe(1);
  });

  it('gives zero for a regency that holds no slot', () => {
    expect(slotsHeldIn(state, KUTAI_BARAT)).toBe(0);
  });
});

describe('a year holding many slots', () => {
  /** 60,000 slots over Kalimantan Timur's regencies, every tenth released again. */
  const events: QuotaEvent[] = [
    defined({ kind: 'RSE', target: 1_000_000, ceilingRupiah: RSE_CEILING }),
  ];
  for (let n = 0; n < 60_000; n++) {
    const regency = REGENCIES[n % REGENCIES.length].code;
    events.push(taken(`rse-${n}`, regency, rseSlot));
    if (n % 10 === 0) events.push(released(`rse-${n}`));
  }

  it('is read from its first event in time that grows with its length, not its square', () => {
    // Copying the slots for each event, as an earlier state did, takes minutes here; a bound
    // a hundred times what it takes now tells the two apart on any machine.
    const started = performance.now();
    const state = fold(quotaDecider, events);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(state.slots.size).toBe(54_000);
    expect(REGENCIES.map((regency) => slotsHeldIn(state, regency.code))).toEqual(
      REGENCIES.map(
        (_, index) =>
          Array.from({ length: 60_000 }, (__, n) => n).filter(
            (n) => n % REGENCIES.length === index && n % 10 !== 0,
          ).length,
      ),
    );
    expect(quotaDecider.decide(take('rse-0', SAMARINDA, RSE_CEILING), state)).toHaveLength(1);
  });

  it('stays as it was when a later state is evolved from it', () => {
    const before = fold(quotaDecider, events);
    const after = quotaDecider.evolve(before, taken('rse-new', SAMARINDA, rseSlot));
    const emptied = quotaDecider.evolve(before, released('rse-1'));
    expect([before.slots.size, after.slots.size, emptied.slots.size]).toEqual([
      54_000, 54_001, 53_999,
    ]);
    expect(before.slots.has('rse-new.1')).toBe(false);
    expect(before.slots.has('rse-1.1')).toBe(true);
    expect(slotsHeldIn(after, SAMARINDA)).toBe(slotsHeldIn(before, SAMARINDA) + 1);
  });
});
