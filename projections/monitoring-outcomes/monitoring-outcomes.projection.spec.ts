import {
  aidDisbursed,
  allocationSet,
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
  recipientStream,
  registrationAbandoned,
  rseRegistered,
  storedEvent,
  yearlyQuotaDefined,
  SITI,
  ROTAN,
} from '../../test/helpers/projection-specification';
import {
  monitoringOutcomesProjection,
  type MonitoringOutcomeDocument,
} from './monitoring-outcomes.projection';

const spec = ProjectionSpecification.for(monitoringOutcomesProjection);

/** Siti's business right after the aid: no visit yet. */
const siti: MonitoringOutcomeDocument = {
  recipientId: SITI.recipientId,
  kind: 'RSE',
  regencyCode: '64.72',
  year: 2025,
  businessStatus: null,
  visitDate: null,
  workers: 0,
  workersFromPoorHouseholds: 0,
  challenges: [],
};

/** After the default visit of 20 June 2025. */
const sitiInJune: MonitoringOutcomeDocument = {
  ...siti,
  businessStatus: 'GROWING',
  visitDate: '2025-06-20',
  workers: 2,
  workersFromPoorHouseholds: 1,
  challenges: ['MARKET_COMPETITION'],
};

describe('monitoring-outcomes projection', () => {
  describe('life events', () => {
    const moved = storedEvent(recipientStream(SITI.recipientId), {
      type: 'RecipientMoved',
      data: {
        recipientId: SITI.recipientId,
        fromRegencyCode: '64.72',
        toRegencyCode: '64.71',
        movedOn: '2025-05-01',
        reason: 'Ikut suami pindah kerja',
      },
    });
    const withdrew = storedEvent(recipientStream(SITI.recipientId), {
      type: 'RecipientWithdrew',
      data: { recipientId: SITI.recipientId, withdrawnOn: '2025-07-01', reason: 'Usaha berhenti' },
    });

    // Outcomes are those of the aid as counted: per year and regency where it was disbursed, so
    // that they line up with quota progress, which keeps a disbursement where it was made.
    it('keeps a business’s outcome in the regency/city of its aid after she moves', () => {
      spec
        .given([rseRegistered(SITI), aidDisbursed(SITI), moved, monitoringRecorded(SITI)])
        .thenDocuments({ [SITI.recipientId]: sitiInJune });
    });

    it('keeps following the business of a recipient who withdrew', () => {
      spec
        .given([
          rseRegistered(SITI),
          aidDisbursed(SITI),
          withdrew,
          monitoringRecorded(SITI, {
            businessStatus: 'CLOSED',
            workers: 0,
            workersFromPoorHouseholds: 0,
          }),
        ])
        .thenDocuments({
          [SITI.recipientId]: {
            ...sitiInJune,
            businessStatus: 'CLOSED',
            workers: 0,
            workersFromPoorHouseholds: 0,
          },
        });
    });
  });

  describe('aid', () => {
    it('starts an unmonitored document when aid is disbursed', () => {
      spec.given([rseRegistered(SITI), aidDisbursed(SITI)]).thenDocuments({
        [SITI.recipientId]: siti,
      });
    });

    it('keeps kind, regency and programme year of a KUBe aid', () => {
      spec
        .given([
          kubeRegistered(ROTAN),
          aidDisbursed(ROTAN, { year: 2024, disbursedOn: '2024-09-30' }),
        ])
        .thenDocuments({
          [ROTAN.recipientId]: {
            recipientId: ROTAN.recipientId,
            kind: 'KUBE',
            regencyCode: '64.07',
            year: 2024,
            businessStatus: null,
            visitDate: null,
            workers: 0,
            workersFromPoorHouseholds: 0,
            challenges: [],
          },
        });
    });
  });

  describe('monitoring visits', () => {
    it('takes status, workers and challenges from a visit', () => {
      spec.given([aidDisbursed(SITI), monitoringRecorded(SITI)]).thenDocuments({
        [SITI.recipientId]: sitiInJune,
      });
    });

    it('takes the later of two visits', () => {
      spec
        .given([
          aidDisbursed(SITI),
          monitoringRecorded(SITI, {
            visitDate: '2025-04-20',
            businessStatus: 'STRUGGLING',
            workers: 0,
            workersFromPoorHouseholds: 0,
            challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
          }),
          monitoringRecorded(SITI),
        ])
        .thenDocuments({ [SITI.recipientId]: sitiInJune });
    });

    it('keeps the latest visit when a visit dated earlier is recorded later', () => {
      spec
        .given([
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          monitoringRecorded(
            SITI,
            { visitDate: '2025-05-02', businessStatus: 'CLOSED', workers: 0, challenges: [] },
            { recordedAt: '2025-07-01T03:00:00.000Z' },
          ),
        ])
        .thenDocuments({ [SITI.recipientId]: sitiInJune });
    });

    it('takes the visit recorded last when two visits share a date', () => {
      spec
        .given([
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          monitoringRecorded(SITI, { businessStatus: 'STABLE', workers: 3 }),
        ])
        .thenDocuments({
          [SITI.recipientId]: { ...sitiInJune, businessStatus: 'STABLE', workers: 3 },
        });
    });

    it('makes no document from a visit to a recipient it never saw aided', () => {
      spec.given([rseRegistered(SITI), monitoringRecorded(SITI)]).thenDocuments({});
    });
  });

  describe('reversals', () => {
    it('removes the document of a reversed disbursement', () => {
      spec
        .given([aidDisbursed(SITI), monitoringRecorded(SITI), disbursementReversed(SITI)])
        .thenDocuments({});
    });

    it('does not bring back a reversed recipient when a visit is recorded after the reversal', () => {
      spec
        .given([aidDisbursed(SITI), disbursementReversed(SITI), monitoringRecorded(SITI)])
        .thenNoDocument(SITI.recipientId);
    });

    it('starts afresh, unmonitored, with a new disbursement after a reversal', () => {
      spec
        .given([
          aidDisbursed(SITI, { year: 2024, disbursedOn: '2024-11-04' }),
          monitoringRecorded(SITI, { visitDate: '2025-01-15' }),
          disbursementReversed(SITI, { year: 2024 }),
          aidDisbursed(SITI, {
            disbursementId: disbursementOf(SITI, 2),
            disbursedOn: '2025-04-15',
          }),
        ])
        .thenDocuments({ [SITI.recipientId]: siti });
    });

    it('leaves other recipients alone', () => {
      spec
        .given([aidDisbursed(SITI), aidDisbursed(ROTAN), disbursementReversed(ROTAN)])
        .thenDocuments({ [SITI.recipientId]: siti });
    });
  });

  describe('events it does not read', () => {
    it('makes no document from registrations, mentoring, exhibitions, quotas or NIK claims', () => {
      spec
        .given([
          nikClaimed(SITI),
          rseRegistered(SITI),
          mentoringRecorded(SITI),
          exhibitionParticipationRecorded(SITI),
          yearlyQuotaDefined(2025, 'KUBE'),
          allocationSet(2025, 'KUBE', { regencyCode: '64.07', quota: 20, previousQuota: null }),
          quotaSlotReserved(ROTAN),
          quotaSlotConfirmed(ROTAN),
          quotaSlotReleased(ROTAN, 'REFUSED'),
          disbursementAbandoned(ROTAN, disbursementOf(ROTAN)),
          registrationAbandoned(ROTAN),
          nikReleased(ROTAN, 'ABANDONED'),
        ])
        .thenDocuments({});
    });

    it('changes no aided business with mentoring or exhibitions', () => {
      spec
        .given([
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          mentoringRecorded(SITI),
          exhibitionParticipationRecorded(SITI),
        ])
        .thenDocuments({ [SITI.recipientId]: sitiInJune });
    });
  });

  describe('replay', () => {
    const history = [
      aidDisbursed(SITI),
      aidDisbursed(ROTAN),
      monitoringRecorded(SITI),
      monitoringRecorded(ROTAN, {
        businessStatus: 'STABLE',
        workers: 5,
        workersFromPoorHouseholds: 3,
      }),
      monitoringRecorded(SITI, { visitDate: '2025-05-02', businessStatus: 'CLOSED' }),
    ];

    it('changes nothing when any prefix of the events is applied again', () => {
      spec.given(history).thenReplayingAnyPrefixChangesNothing();
    });

    it('ends the same when a history with a reversal is applied twice', () => {
      spec
        .givenTwice([...history, disbursementReversed(ROTAN)])
        .thenDocuments({ [SITI.recipientId]: sitiInJune });
    });

    it('does not bring back a reversed recipient when a prefix before the reversal is applied again', () => {
      spec.given([...history, disbursementReversed(ROTAN)]).thenReplayingAnyPrefixChangesNothing();
    });
  });
});
