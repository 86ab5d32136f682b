import { REGENCIES } from '../../src/domain/programme/regencies';
import type { QuotaEvent } from '../../src/domain/quota/quota.events';
import {
  allocationSet,
  defaultProgramme,
  DEFAULT_RECORDED_AT,
  ProjectionSpecification,
  quotaSlotTaken,
  quotaStream,
  SAMARINDA,
  SITI,
  storedEvent,
  withReadModel,
  yearlyQuotaDefined,
} from '../../test/helpers/projection-specification';
import { programmeYearsProjection } from './programme-years.projection';
import { programmeYears } from './programme-years.queries';

const spec = ProjectionSpecification.for(programmeYearsProjection);
const CHANGED_AT = '2027-01-05T01:00:00.000Z';

const kube2027 = (event: QuotaEvent) =>
  storedEvent(quotaStream(2027, 'KUBE'), event, { recordedAt: CHANGED_AT });

describe('programme-years projection', () => {
  it('shows the default programme: each year with each kind’s target, ceiling and allocations', () => {
    const everyRegency = REGENCIES.map(({ code, name }) => ({
      regencyCode: code,
      regencyName: name,
      quota: 20,
    }));
    spec.given(defaultProgramme()).thenDocument('2025', {
      year: 2025,
      kinds: [
        { kind: 'RSE', target: 500, ceilingRupiah: 5_000_000, allocated: 0, allocations: [] },
        {
          kind: 'KUBE',
          target: 200,
          ceilingRupiah: 20_000_000,
          allocated: 200,
          allocations: everyRegency,
        },
      ],
      latestReason: null,
      updatedAt: '2025-01-02T00:00:00.000Z',
    });
    spec.given(defaultProgramme()).thenNoDocument('2027');
  });

  it('follows a year an admin defines and changes, with the latest reason', () => {
    spec
      .given([
        kube2027({
          type: 'YearlyQuotaDefined',
          data: {
            year: 2027,
            kind: 'KUBE',
            target: 100,
            ceilingRupiah: 22_000_000,
            reason: 'APBD 2027',
          },
        }),
        kube2027({
          type: 'AllocationSet',
          data: { regencyCode: SAMARINDA, quota: 12, previousQuota: null },
        }),
        kube2027({
          type: 'AllocationSet',
          data: { regencyCode: '64.71', quota: 8, previousQuota: null },
        }),
        kube2027({
          type: 'AllocationSet',
          data: { regencyCode: SAMARINDA, quota: 15, previousQuota: 12 },
        }),
        kube2027({ type: 'AllocationCleared', data: { regencyCode: '64.71', previousQuota: 8 } }),
        kube2027({
          type: 'YearlyQuotaChanged',
          data: {
            target: 90,
            ceilingRupiah: 21_000_000,
            previousTarget: 100,
            previousCeilingRupiah: 22_000_000,
            reason: 'APBD-P 2027',
          },
        }),
      ])
      .thenDocuments({
        '2027': {
          year: 2027,
          kinds: [
            {
              kind: 'KUBE',
              target: 90,
              ceilingRupiah: 21_000_000,
              allocated: 15,
              allocations: [{ regencyCode: SAMARINDA, regencyName: 'Kota Samarinda', quota: 15 }],
            },
          ],
          latestReason: 'APBD-P 2027',
          updatedAt: CHANGED_AT,
        },
      });
  });

  it('ignores slots, and changes nothing when any prefix of the events is applied again', () => {
    const events = [
      yearlyQuotaDefined(2025, 'RSE'),
      allocationSet(2025, 'RSE', { regencyCode: SAMARINDA, quota: 30, previousQuota: null }),
      quotaSlotTaken(SITI),
      storedEvent(quotaStream(2025, 'RSE'), {
        type: 'AllocationCleared',
        data: { regencyCode: SAMARINDA, previousQuota: 30 },
      }),
    ];
    spec.given(events).thenDocument('2025', {
      year: 2025,
      kinds: [
        { kind: 'RSE', target: 500, ceilingRupiah: 5_000_000, allocated: 0, allocations: [] },
      ],
      latestReason: null,
      updatedAt: DEFAULT_RECORDED_AT,
    });
    spec.given(events).thenReplayingAnyPrefixChangesNothing();
  });

  it('answers the years oldest first from the read store', async () => {
    const answer = await withReadModel(
      programmeYearsProjection,
      [...defaultProgramme()].reverse(),
      ({ readStore, collection }) => programmeYears(readStore, collection),
    );
    expect(answer.years.map((year) => year.year)).toEqual([2024, 2025, 2026]);
  });
});
