import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError } from '../domain-error';
import type { AidKind } from '../programme/aid-programme';
import type { ReleaseSlot, SlotReleaseReason, TakeSlot } from './quota.commands';
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

describe('quotaDecider', () => {
  describe('DefineYearlyQuota', () => {
    it('defines the year and sets one allocation per regency given', () => {
      spec
        .given([])
        .when({
          type: 'DefineYearlyQuota',
          year: 2025,
          kind: 'KUBE',
          target: 200,
          ceilingRupiah: KUBE_CEILING,
          allocations: { [KUTAI_BARAT]: 20, [SAMARINDA]: 20, [BALIKPAPAN]: 20 },
        })
        .then([
          defined(),
          allocated(KUTAI_BARAT, 20),
          allocated(SAMARINDA, 20),
          allocated(BALIKPAPAN, 20),
        ]);
    });

    it('defines a year with no allocations, where only the target applies', () => {
      spec
        .given([])
        .when({
          type: 'DefineYearlyQuota',
          year: 2025,
          kind: 'RSE',
          target: 500,
          ceilingRupiah: RSE_CEILING,
          allocations: {},
        })
        .then([defined({ kind: 'RSE', target: 500, ceilingRupiah: RSE_CEILING })]);
    });

    it.each([
      ['an unknown regency', { '64.05': 1 }],
      ['a negative allocation', { [SAMARINDA]: -1 }],
      ['a fractional allocation', { [SAMARINDA]: 1.5 }],
      ['allocations above the target', { [SAMARINDA]: 150, [BALIKPAPAN]: 51 }],
    ])('refuses a definition with %s', (_case, allocations) => {
      spec
        .given([])
        .when({
          type: 'DefineYearlyQuota',
          year: 2025,
          kind: 'KUBE',
          target: 200,
          ceilingRupiah: KUBE_CEILING,
          allocations,
        })
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_PROGRAMME' });
    });

    it('does nothing when the year is already defined, whatever the figures', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when({
          type: 'DefineYearlyQuota',
          year: 2025,
          kind: 'KUBE',
          target: 300,
          ceilingRupiah: 25_000_000,
          allocations: { [SAMARINDA]: 30 },
        })
        .thenNothingHappens();
    });
  });

  describe('SetAllocation', () => {
    it('refuses a year that was never defined: it is outside the programme', () => {
      spec
        .given([])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 20 })
        .thenThrows(DomainError, { kind: 'rule', code: 'YEAR_OUTSIDE_PROGRAMME', field: 'year' });
    });

    it.each([
      ['a regency of another province', '65.01'],
      ['a code that no regency has', '64.05'],
      ['the BPS code of Samarinda', '6472'],
      ['the BPS code of Kutai Timur written like a Kemendagri code', '64.04'],
    ])('refuses %s as UNKNOWN_REGENCY', (_label, regencyCode) => {
      spec
        .given([defined()])
        .when({ type: 'SetAllocation', regencyCode, quota: 20 })
        .thenThrows(DomainError, {
          kind: 'invalid',
          code: 'UNKNOWN_REGENCY',
          field: 'regencyCode',
        });
    });

    it.each([
      ['negative', -1],
      ['fractional', 2.5],
      ['not a number', Number.NaN],
      ['infinite', Number.POSITIVE_INFINITY],
    ])('refuses a %s quota as INVALID_QUOTA', (_label, quota) => {
      spec
        .given([defined()])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota })
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_QUOTA', field: 'quota' });
    });

    it('sets a first allocation, with no previous quota', () => {
      spec
        .given([defined()])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 20 })
        .then([allocated(SAMARINDA, 20, null)]);
    });

    it('records the previous quota when it changes an allocation', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 15 })
        .then([allocated(SAMARINDA, 15, 20)]);
    });

    it('records the latest quota as the previous one after several changes', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20), allocated(SAMARINDA, 15, 20)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 25 })
        .then([allocated(SAMARINDA, 25, 15)]);
    });

    it('accepts a quota of zero when the regency holds no slot', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 0 })
        .then([allocated(SAMARINDA, 0, 20)]);
    });

    it('does nothing when the quota is unchanged', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 20 })
        .thenNothingHappens();
    });

    it('refuses to drop below the slots the regency holds', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 3), taken('kube-01'), taken('kube-02')])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 1 })
        .thenThrows(DomainError, {
          kind: 'rule',
          code: 'ALLOCATION_BELOW_DISBURSED',
          field: 'quota',
        });
    });

    it('counts an older log’s slots as held, reserved then confirmed or never confirmed', () => {
      spec
        .given([
          defined(),
          allocated(SAMARINDA, 3),
          reserved('kube-01'),
          confirmed('kube-01'),
          reserved('kube-02'),
        ])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 1 })
        .thenThrows(DomainError, { kind: 'rule', code: 'ALLOCATION_BELOW_DISBURSED' });
    });

    it('may drop to exactly the slots the regency holds', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 3), taken('kube-01'), taken('kube-02')])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 2 })
        .then([allocated(SAMARINDA, 2, 3)]);
    });

    it('does not count released slots, nor slots of other regencies', () => {
      spec
        .given([
          defined(),
          allocated(SAMARINDA, 3),
          taken('kube-01'),
          taken('kube-02'),
          released('kube-02'),
          taken('kube-03', BALIKPAPAN),
        ])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 1 })
        .then([allocated(SAMARINDA, 1, 3)]);
    });

    it('refuses allocations that would add up to more than the target', () => {
      spec
        .given([defined({ target: 40 }), allocated(SAMARINDA, 20), allocated(BALIKPAPAN, 20)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 21 })
        .thenThrows(DomainError, { kind: 'rule', code: 'ALLOCATION_ABOVE_TARGET', field: 'quota' });
    });

    it('refuses a new allocation that does not fit in the target', () => {
      spec
        .given([defined({ target: 40 }), allocated(SAMARINDA, 20), allocated(BALIKPAPAN, 20)])
        .when({ type: 'SetAllocation', regencyCode: BONTANG, quota: 1 })
        .thenThrows(DomainError, { kind: 'rule', code: 'ALLOCATION_ABOVE_TARGET', field: 'quota' });
    });

    it('accepts allocations that add up to exactly the target, counting the regency once', () => {
      spec
        .given([defined({ target: 40 }), allocated(SAMARINDA, 20), allocated(BALIKPAPAN, 10)])
        .when({ type: 'SetAllocation', regencyCode: SAMARINDA, quota: 30 })
        .then([allocated(SAMARINDA, 30, 20)]);
    });
  });

  describe('TakeSlot', () => {
    it('refuses a year that was never defined: it is outside the programme', () => {
      spec
        .given([])
        .when(take('kube-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'YEAR_OUTSIDE_PROGRAMME', field: 'year' });
    });

    it('takes a slot for the disbursement, with its value', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 20)])
        .when(take('kube-01', SAMARINDA, 19_750_000))
        .then([taken('kube-01', SAMARINDA, { valueRupiah: 19_750_000 })]);
    });

    it('accepts aid worth exactly the ceiling', () => {
      spec
        .given([defined()])
        .when(take('kube-01', SAMARINDA, KUBE_CEILING))
        .then([taken('kube-01')]);
    });

    it('refuses aid worth more than the ceiling', () => {
      spec
        .given([defined()])
        .when(take('kube-01', SAMARINDA, KUBE_CEILING + 1))
        .thenThrows(DomainError, { kind: 'rule', code: 'VALUE_ABOVE_CEILING', field: 'items' });
    });

    it('refuses once the target of the year is reached', () => {
      spec
        .given([defined({ target: 2 }), taken('kube-01'), taken('kube-02', BALIKPAPAN)])
        .when(take('kube-03', BONTANG))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('accepts the last slot before the target', () => {
      spec
        .given([defined({ target: 2 }), taken('kube-01')])
        .when(take('kube-02', BALIKPAPAN))
        .then([taken('kube-02', BALIKPAPAN)]);
    });

    it('refuses once the regency’s allocation is reached, though others still have room', () => {
      spec
        .given([
          defined(),
          allocated(SAMARINDA, 2),
          allocated(BALIKPAPAN, 20),
          taken('kube-01'),
          taken('kube-02'),
        ])
        .when(take('kube-03', SAMARINDA))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('still takes a slot in a regency with room while another’s allocation is reached', () => {
      spec
        .given([
          defined(),
          allocated(SAMARINDA, 2),
          allocated(BALIKPAPAN, 20),
          taken('kube-01'),
          taken('kube-02'),
        ])
        .when(take('kube-03', BALIKPAPAN))
        .then([taken('kube-03', BALIKPAPAN)]);
    });

    it('refuses every slot in a regency allocated zero', () => {
      spec
        .given([defined(), allocated(BONTANG, 0)])
        .when(take('kube-01', BONTANG))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('limits a regency without allocation by the target only', () => {
      spec
        .given([
          defined({ kind: 'RSE', target: 3, ceilingRupiah: RSE_CEILING }),
          allocated(SAMARINDA, 1),
          taken('rse-01', SAMARINDA, rseSlot),
          taken('rse-02', BONTANG, rseSlot),
        ])
        .when(take('rse-03', BONTANG, RSE_CEILING))
        .then([taken('rse-03', BONTANG, rseSlot)]);
    });

    it('stops a regency without allocation at the target', () => {
      spec
        .given([
          defined({ kind: 'RSE', target: 2, ceilingRupiah: RSE_CEILING }),
          taken('rse-01', BONTANG, rseSlot),
          taken('rse-02', BONTANG, rseSlot),
        ])
        .when(take('rse-03', BONTANG, RSE_CEILING))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('refuses a second slot for a disbursement id that already holds one', () => {
      spec
        .given([defined(), taken('kube-01')])
        .when(take('kube-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
    });

    it('frees room in the target when a slot is released', () => {
      spec
        .given([defined({ target: 1 }), taken('kube-01'), released('kube-01')])
        .when(take('kube-02'))
        .then([taken('kube-02')]);
    });

    it('frees room in the allocation when a slot is released', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 1), taken('kube-01'), released('kube-01')])
        .when(take('kube-02'))
        .then([taken('kube-02')]);
    });
  });

  describe('TakeSlot after an older log of reserved and confirmed slots', () => {
    it('counts a slot reserved then confirmed against the target', () => {
      spec
        .given([
          defined({ target: 2 }),
          reserved('kube-01'),
          confirmed('kube-01'),
          taken('kube-02', BALIKPAPAN),
        ])
        .when(take('kube-03', BONTANG))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('counts a slot reserved then confirmed against the regency’s allocation', () => {
      spec
        .given([defined(), allocated(SAMARINDA, 1), reserved('kube-01'), confirmed('kube-01')])
        .when(take('kube-02'))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('counts a slot reserved and never confirmed against the target and the allocation', () => {
      spec
        .given([defined({ target: 1 }), reserved('kube-01')])
        .when(take('kube-02', BALIKPAPAN))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
      spec
        .given([defined(), allocated(SAMARINDA, 1), reserved('kube-01')])
        .when(take('kube-02'))
        .thenThrows(DomainError, { kind: 'rule', code: 'QUOTA_EXHAUSTED' });
    });

    it('lets the same disbursement take over a slot reserved and never confirmed', () => {
      spec
        .given([defined(), reserved('kube-01')])
        .when(take('kube-01', SAMARINDA, 19_750_000))
        .then([taken('kube-01', SAMARINDA, { valueRupiah: 19_750_000 })]);
    });

    it('does not count the slot it takes over twice, against the target or the allocation', () => {
      spec
        .given([defined({ target: 1 }), allocated(SAMARINDA, 1), reserved('kube-01')])
        .when(take('kube-01'))
        .then([taken('kube-01')]);
    });

    it('holds one slot, no longer pending, once it is taken over', () => {
      const events = [defined(), allocated(SAMARINDA, 2), reserved('kube-01'), taken('kube-01')];
      const state = fold(quotaDecider, events);
      expect(slotsHeldIn(state, SAMARINDA)).toBe(1);
      expect(state.slots['kube-01.1']).toEqual({
        recipientId: 'kube-01',
        regencyCode: SAMARINDA,
        pending: false,
      });
      spec
        .given(events)
        .when(take('kube-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
    });

    it('still checks the ceiling when it takes over a slot', () => {
      spec
        .given([defined(), reserved('kube-01')])
        .when(take('kube-01', SAMARINDA, KUBE_CEILING + 1))
        .thenThrows(DomainError, { kind: 'rule', code: 'VALUE_ABOVE_CEILING', field: 'items' });
    });

    it('refuses the id of a slot another recipient reserved', () => {
      spec
        .given([defined(), reserved('kube-01')])
        .when({ ...take('kube-01'), recipientId: 'kube-02' })
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
    });

    it('refuses the id of a slot reserved then confirmed: its aid was recorded', () => {
      spec
        .given([defined(), reserved('kube-01'), confirmed('kube-01')])
        .when(take('kube-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
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
    it('releases a taken slot, as reversed', () => {
      spec
        .given([defined(), taken('kube-01')])
        .when(release('kube-01'))
        .then([released('kube-01', 'REVERSED')]);
    });

    it('releases a slot of an older log, reserved then confirmed, as reversed', () => {
      spec
        .given([defined(), reserved('kube-01'), confirmed('kube-01')])
        .when(release('kube-01'))
        .then([released('kube-01', 'REVERSED')]);
    });

    it('releases a slot of an older log reserved and never confirmed, as reversed', () => {
      spec
        .given([defined(), reserved('kube-01')])
        .when(release('kube-01'))
        .then([released('kube-01', 'REVERSED')]);
    });

    it('does nothing for an unknown disbursement', () => {
      spec
        .given([defined(), taken('kube-01')])
        .when(release('kube-99'))
        .thenNothingHappens();
    });

    it('does nothing for a slot already released', () => {
      spec
        .given([defined(), taken('kube-01'), released('kube-01')])
        .when(release('kube-01'))
        .thenNothingHappens();
    });

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
