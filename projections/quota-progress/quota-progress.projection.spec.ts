import { REGENCIES } from '../../src/domain/programme/regencies';
import {
  aidDisbursed,
  allocationSet,
  defaultProgramme,
  disbursementAbandoned,
  disbursementOf,
  disbursementReversed,
  exhibitionParticipationRecorded,
  kubeRegistered,
  mentoringRecorded,
  monitoringRecorded,
  nikClaimed,
  nikReleased,
  ProjectionSpecification,
  quotaSlotConfirmed,
  quotaSlotReleased,
  quotaSlotReserved,
  registrationAbandoned,
  rseRegistered,
  yearlyQuotaDefined,
  quotaStream,
  storedEvent,
  BALIKPAPAN,
  KUTAI_BARAT,
  ROTAN,
  SAMARINDA,
  SITI,
  WATI,
} from '../../test/helpers/projection-specification';
import { quotaProgressProjection, type QuotaProgressDocument } from './quota-progress.projection';

const spec = ProjectionSpecification.for(quotaProgressProjection);

/** A document with nothing counted yet; the overrides say what the events changed. */
function programme(
  year: number,
  kind: QuotaProgressDocument['kind'],
  overrides: Partial<QuotaProgressDocument> = {},
): QuotaProgressDocument {
  return {
    year,
    kind,
    regencyCode: null,
    target: null,
    allocated: 0,
    disbursed: 0,
    reversed: 0,
    valueDisbursedRupiah: 0,
    ...overrides,
  };
}

function regency(
  year: number,
  kind: QuotaProgressDocument['kind'],
  regencyCode: string,
  overrides: Partial<QuotaProgressDocument> = {},
): QuotaProgressDocument {
  return {
    year,
    kind,
    regencyCode,
    target: null,
    allocated: null,
    disbursed: 0,
    reversed: 0,
    valueDisbursedRupiah: 0,
    ...overrides,
  };
}

/**
 * The programme document of a year and kind and the one of a regency, both counting `counts`;
 * `programmeOnly` is what the programme document holds besides (its target, say).
 */
function programmeAndRegency(
  year: number,
  kind: QuotaProgressDocument['kind'],
  regencyCode: string,
  counts: Partial<QuotaProgressDocument>,
  programmeOnly: Partial<QuotaProgressDocument> = {},
): Record<string, QuotaProgressDocument> {
  return {
    [`${year}:${kind}`]: programme(year, kind, { ...programmeOnly, ...counts }),
    [`${year}:${kind}:${regencyCode}`]: regency(year, kind, regencyCode, counts),
  };
}

/** One RSE aid of its full value counted. */
const oneRse = { disbursed: 1, valueDisbursedRupiah: 5_000_000 };

const kube2025 = defaultProgramme().filter(({ streamName }) => streamName === 'quota-2025-KUBE');

describe('quota-progress projection', () => {
  describe('quotas and allocations', () => {
    it('sets the yearly target on the programme document only', () => {
      spec.given([yearlyQuotaDefined(2025, 'RSE')]).thenDocuments({
        '2025:RSE': programme(2025, 'RSE', { target: 500 }),
      });
    });

    it('records the default KUBe allocations: 20 in each of the ten regencies, 200 in all', () => {
      spec.given(kube2025).thenDocuments({
        '2025:KUBE': programme(2025, 'KUBE', { target: 200, allocated: 200 }),
        ...Object.fromEntries(
          REGENCIES.map(({ code }) => [
            `2025:KUBE:${code}`,
            regency(2025, 'KUBE', code, { allocated: 20 }),
          ]),
        ),
      });
    });

    it('follows a changed target, and a cleared allocation leaves the regency bound by the target alone', () => {
      spec
        .given([
          yearlyQuotaDefined(2027, 'KUBE'),
          allocationSet(2027, 'KUBE', { regencyCode: SAMARINDA, quota: 20, previousQuota: null }),
          allocationSet(2027, 'KUBE', { regencyCode: BALIKPAPAN, quota: 10, previousQuota: null }),
          storedEvent(quotaStream(2027, 'KUBE'), {
            type: 'YearlyQuotaChanged',
            data: {
              target: 150,
              ceilingRupiah: 22_000_000,
              previousTarget: 200,
              previousCeilingRupiah: 20_000_000,
              reason: 'APBD-P',
            },
          }),
          storedEvent(quotaStream(2027, 'KUBE'), {
            type: 'AllocationCleared',
            data: { regencyCode: SAMARINDA, previousQuota: 20 },
          }),
        ])
        .thenDocuments({
          '2027:KUBE': programme(2027, 'KUBE', { target: 150, allocated: 10 }),
          [`2027:KUBE:${SAMARINDA}`]: regency(2027, 'KUBE', SAMARINDA, { allocated: null }),
          [`2027:KUBE:${BALIKPAPAN}`]: regency(2027, 'KUBE', BALIKPAPAN, { allocated: 10 }),
        });
    });

    it('takes year and kind of an allocation from its quota stream', () => {
      spec
        .given([
          allocationSet(2026, 'KUBE', { regencyCode: SAMARINDA, quota: 20, previousQuota: null }),
        ])
        .thenDocuments(programmeAndRegency(2026, 'KUBE', SAMARINDA, { allocated: 20 }));
    });

    it('replaces a changed allocation and moves the programme total by the difference', () => {
      spec
        .given([
          ...kube2025,
          allocationSet(2025, 'KUBE', { regencyCode: '64.74', quota: 15, previousQuota: 20 }),
          allocationSet(2025, 'KUBE', { regencyCode: SAMARINDA, quota: 25, previousQuota: 20 }),
          allocationSet(2025, 'KUBE', { regencyCode: KUTAI_BARAT, quota: 12, previousQuota: 20 }),
        ])
        .thenDocuments({
          '2025:KUBE': programme(2025, 'KUBE', { target: 200, allocated: 192 }),
          ...Object.fromEntries(
            REGENCIES.map(({ code }) => [
              `2025:KUBE:${code}`,
              regency(2025, 'KUBE', code, {
                allocated: { '64.74': 15, '64.72': 25, '64.07': 12 }[code] ?? 20,
              }),
            ]),
          ),
        });
    });

    it('adds a first RSE allocation (no previous quota) to the programme total', () => {
      spec
        .given([
          yearlyQuotaDefined(2025, 'RSE'),
          allocationSet(2025, 'RSE', { regencyCode: SAMARINDA, quota: 60, previousQuota: null }),
          allocationSet(2025, 'RSE', { regencyCode: SAMARINDA, quota: 55, previousQuota: 60 }),
        ])
        .thenDocuments(
          programmeAndRegency(2025, 'RSE', SAMARINDA, { allocated: 55 }, { target: 500 }),
        );
    });

    it('keeps an allocation set to zero as zero, not as "no allocation"', () => {
      spec
        .given([
          ...kube2025,
          allocationSet(2025, 'KUBE', { regencyCode: '64.11', quota: 0, previousQuota: 20 }),
        ])
        .thenDocument('2025:KUBE:64.11', regency(2025, 'KUBE', '64.11', { allocated: 0 }));
    });
  });

  describe('disbursements', () => {
    it('counts an RSE disbursement of Rp5,000,000 on the programme and the regency', () => {
      spec
        .given([yearlyQuotaDefined(2025, 'RSE'), aidDisbursed(SITI)])
        .thenDocuments(programmeAndRegency(2025, 'RSE', SAMARINDA, oneRse, { target: 500 }));
    });

    it('counts a KUBe disbursement of Rp20,000,000 against its regency allocation', () => {
      spec.given([...kube2025, kubeRegistered(ROTAN), aidDisbursed(ROTAN)]).thenDocument(
        '2025:KUBE:64.07',
        regency(2025, 'KUBE', KUTAI_BARAT, {
          allocated: 20,
          disbursed: 1,
          valueDisbursedRupiah: 20_000_000,
        }),
      );
    });

    it('adds up disbursements in several regencies on the programme document', () => {
      spec
        .given([aidDisbursed(SITI), aidDisbursed(WATI, { valueRupiah: 4_750_000 })])
        .thenDocuments({
          '2025:RSE': programme(2025, 'RSE', { disbursed: 2, valueDisbursedRupiah: 9_750_000 }),
          '2025:RSE:64.72': regency(2025, 'RSE', SAMARINDA, oneRse),
          '2025:RSE:64.71': regency(2025, 'RSE', BALIKPAPAN, {
            disbursed: 1,
            valueDisbursedRupiah: 4_750_000,
          }),
        });
    });

    it('counts a disbursement in the programme year it names', () => {
      spec
        .given([aidDisbursed(SITI, { year: 2024, disbursedOn: '2024-11-20' })])
        .thenDocuments(programmeAndRegency(2024, 'RSE', SAMARINDA, oneRse));
    });
  });

  describe('reversals', () => {
    it('takes a reversed disbursement back out: counts and rupiah subtract, reversals count', () => {
      spec
        .given([yearlyQuotaDefined(2025, 'RSE'), aidDisbursed(SITI), disbursementReversed(SITI)])
        .thenDocuments(
          programmeAndRegency(2025, 'RSE', SAMARINDA, { reversed: 1 }, { target: 500 }),
        );
    });

    it('counts a new disbursement to the same recipient after a reversal', () => {
      spec
        .given([
          aidDisbursed(SITI),
          disbursementReversed(SITI),
          aidDisbursed(SITI, {
            disbursementId: disbursementOf(SITI, 2),
            valueRupiah: 4_800_000,
            disbursedOn: '2025-04-15',
          }),
        ])
        .thenDocuments(
          programmeAndRegency(2025, 'RSE', SAMARINDA, {
            disbursed: 1,
            reversed: 1,
            valueDisbursedRupiah: 4_800_000,
          }),
        );
    });

    it('takes a reversal out of the year of the aid, not the year it was reversed in', () => {
      spec
        .given([
          aidDisbursed(ROTAN, { year: 2024, disbursedOn: '2024-10-01' }),
          disbursementReversed(ROTAN, { year: 2024, reversedOn: '2025-02-03' }),
        ])
        .thenDocuments(programmeAndRegency(2024, 'KUBE', KUTAI_BARAT, { reversed: 1 }));
    });

    it('leaves other regencies alone', () => {
      spec
        .given([aidDisbursed(SITI), aidDisbursed(WATI), disbursementReversed(WATI)])
        .thenDocument('2025:RSE:64.72', regency(2025, 'RSE', SAMARINDA, oneRse));
    });
  });

  describe('events it does not read', () => {
    it('makes no document from registrations, follow-up, slots or NIK claims', () => {
      spec
        .given([
          nikClaimed(SITI),
          rseRegistered(SITI),
          quotaSlotReserved(SITI),
          quotaSlotConfirmed(SITI),
          monitoringRecorded(SITI),
          mentoringRecorded(SITI),
          exhibitionParticipationRecorded(SITI),
          quotaSlotReleased(SITI, 'REVERSED'),
          nikClaimed(WATI),
          nikReleased(WATI, 'REGISTRATION_FAILED'),
          registrationAbandoned(WATI),
          disbursementAbandoned(ROTAN, disbursementOf(ROTAN)),
        ])
        .thenDocuments({});
    });

    it('counts no slot as a disbursement: only AidDisbursed does', () => {
      spec
        .given([yearlyQuotaDefined(2025, 'RSE'), quotaSlotReserved(SITI)])
        .thenNoDocument('2025:RSE:64.72');
    });
  });

  describe('replay', () => {
    const history = [
      ...kube2025,
      yearlyQuotaDefined(2025, 'RSE'),
      aidDisbursed(SITI),
      aidDisbursed(ROTAN),
      disbursementReversed(SITI),
      allocationSet(2025, 'KUBE', { regencyCode: SAMARINDA, quota: 10, previousQuota: 20 }),
      aidDisbursed(SITI, { disbursementId: disbursementOf(SITI, 2) }),
    ];

    it('changes nothing when any prefix of the events is applied again', () => {
      spec.given(history).thenReplayingAnyPrefixChangesNothing();
    });

    it('counts nothing twice when the whole history is applied twice', () => {
      spec.givenTwice(history).thenDocument(
        '2025:KUBE',
        programme(2025, 'KUBE', {
          target: 200,
          allocated: 190,
          disbursed: 1,
          valueDisbursedRupiah: 20_000_000,
        }),
      );
      spec.givenTwice(history).thenDocument(
        '2025:RSE',
        programme(2025, 'RSE', {
          target: 500,
          disbursed: 1,
          reversed: 1,
          valueDisbursedRupiah: 5_000_000,
        }),
      );
    });
  });
});
