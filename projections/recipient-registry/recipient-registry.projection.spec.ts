import { replay } from '../../src/platform/projection-engine/apply-events';
import {
  aidDisbursed,
  allocationSet,
  disbursementAbandoned,
  disbursementOf,
  disbursementReversed,
  eventLog,
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
  JUNE_VISIT,
  ROTAN,
  SITI,
} from '../../test/helpers/projection-specification';
import {
  recipientRegistryProjection,
  type RecipientDocument,
} from './recipient-registry.projection';

const spec = ProjectionSpecification.for(recipientRegistryProjection);

const REGISTERED_AT = '2025-03-12T01:30:00.000Z';

/** Siti Aminah as the registry shows her right after registration in Samarinda. */
const siti: RecipientDocument = {
  recipientId: SITI.recipientId,
  kind: 'RSE',
  regencyCode: '64.72',
  regencyName: 'Kota Samarinda',
  name: 'Siti Aminah',
  businessType: 'Kue basah',
  maskedNiks: ['6472********0001'],
  members: null,
  status: 'registered',
  registeredAt: REGISTERED_AT,
  registeredPosition: 1,
  disbursement: null,
  latestMonitoring: null,
  mentoringCount: 0,
  exhibitionCount: 0,
};

const sitiDisbursement: NonNullable<RecipientDocument['disbursement']> = {
  disbursementId: `${SITI.recipientId}.1`,
  year: 2025,
  form: 'MATERIALS',
  valueRupiah: 5_000_000,
  disbursedOn: '2025-03-10',
  reversedOn: null,
  reversalReason: null,
};

/** Siti after her aid, and after its reversal on 2 April 2025. */
const sitiAided: RecipientDocument = { ...siti, status: 'aided', disbursement: sitiDisbursement };
const sitiReversed: RecipientDocument = {
  ...siti,
  status: 'reversed',
  disbursement: {
    ...sitiDisbursement,
    reversedOn: '2025-04-02',
    reversalReason: 'Penerima pindah domisili ke luar provinsi',
  },
};

const registered = rseRegistered(
  SITI,
  { phone: '081254321987', address: 'Jl. Pangeran Antasari No. 12, Samarinda Ulu' },
  { recordedAt: REGISTERED_AT },
);

/** The KUBe of Kutai Barat right after registration, under its group name with five members. */
const rotan: RecipientDocument = {
  recipientId: ROTAN.recipientId,
  kind: 'KUBE',
  regencyCode: '64.07',
  regencyName: 'Kabupaten Kutai Barat',
  name: 'KUBe Anyaman Rotan Lestari',
  businessType: 'Kerajinan anyaman rotan',
  maskedNiks: [
    '6407********0011',
    '6407********0012',
    '6407********0013',
    '6407********0014',
    '6407********0015',
  ],
  members: [
    { name: 'Rahmat Hidayat', role: 'CHAIR', nikMasked: '6407********0011' },
    { name: 'Nur Aisyah', role: 'SECRETARY', nikMasked: '6407********0012' },
    { name: 'Budi Santoso', role: 'TREASURER', nikMasked: '6407********0013' },
    { name: 'Dewi Lestari', role: 'MEMBER', nikMasked: '6407********0014' },
    { name: 'Yohanes Lawing', role: 'MEMBER', nikMasked: '6407********0015' },
  ],
  status: 'registered',
  registeredAt: '2025-03-14T02:00:00.000Z',
  registeredPosition: 1,
  disbursement: null,
  latestMonitoring: null,
  mentoringCount: 0,
  exhibitionCount: 0,
};

describe('recipient-registry projection', () => {
  describe('registration', () => {
    it('shows an RSE woman with her masked NIK, and neither phone nor address', () => {
      spec.given([registered]).thenDocuments({ [SITI.recipientId]: siti });
    });

    it('shows a KUBe under its group name with its five members and their masked NIKs', () => {
      spec.given([kubeRegistered(ROTAN)]).thenDocuments({
        [ROTAN.recipientId]: rotan,
      });
    });

    it('keeps no NIK hash, phone number or address', () => {
      const documents = JSON.stringify([
        ...replay(recipientRegistryProjection, eventLog([registered, kubeRegistered(ROTAN)])),
      ]);
      expect(documents).toContain('Siti Aminah');
      for (const secret of ['hmac-sha256', '081254321987', 'Pangeran Antasari']) {
        expect(documents).not.toContain(secret);
      }
      expect(documents).not.toMatch(/\d{16}/);
    });
  });

  describe('disbursement and reversal', () => {
    it('marks the recipient aided with the disbursement', () => {
      spec.given([registered, aidDisbursed(SITI)]).thenDocuments({
        [SITI.recipientId]: sitiAided,
      });
    });

    it('marks the recipient reversed, keeping the disbursement with date and reason', () => {
      spec
        .given([
          registered,
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          disbursementReversed(SITI),
        ])
        .thenDocuments({
          [SITI.recipientId]: { ...sitiReversed, latestMonitoring: JUNE_VISIT },
        });
    });

    it('shows a new disbursement after a reversal, with no monitoring yet for it', () => {
      spec
        .given([
          registered,
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          mentoringRecorded(SITI),
          disbursementReversed(SITI),
          aidDisbursed(SITI, {
            disbursementId: disbursementOf(SITI, 2),
            form: 'EQUIPMENT',
            valueRupiah: 4_800_000,
            disbursedOn: '2025-04-15',
          }),
        ])
        .thenDocuments({
          [SITI.recipientId]: {
            ...siti,
            status: 'aided',
            disbursement: {
              disbursementId: `${SITI.recipientId}.2`,
              year: 2025,
              form: 'EQUIPMENT',
              valueRupiah: 4_800_000,
              disbursedOn: '2025-04-15',
              reversedOn: null,
              reversalReason: null,
            },
            latestMonitoring: null,
            mentoringCount: 1,
          },
        });
    });

    it('ignores a reversal of a disbursement other than the one shown', () => {
      spec
        .given([
          registered,
          aidDisbursed(SITI, { disbursementId: disbursementOf(SITI, 2) }),
          disbursementReversed(SITI, { disbursementId: disbursementOf(SITI, 1) }),
        ])
        .thenDocuments({
          [SITI.recipientId]: {
            ...sitiAided,
            disbursement: { ...sitiDisbursement, disbursementId: `${SITI.recipientId}.2` },
          },
        });
    });
  });

  describe('follow-up', () => {
    const aided = [registered, aidDisbursed(SITI)];

    it('shows the latest monitoring visit', () => {
      spec
        .given([
          ...aided,
          monitoringRecorded(SITI, {
            visitDate: '2025-04-20',
            businessStatus: 'STRUGGLING',
            monthlyTurnoverRupiah: 900_000,
            workers: 0,
            workersFromPoorHouseholds: 0,
            challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
          }),
          monitoringRecorded(SITI),
        ])
        .thenDocument(SITI.recipientId, { ...sitiAided, latestMonitoring: JUNE_VISIT });
    });

    it('keeps the latest visit when a visit dated earlier is recorded later', () => {
      spec
        .given([
          ...aided,
          monitoringRecorded(SITI),
          monitoringRecorded(
            SITI,
            { visitDate: '2025-05-02', businessStatus: 'STABLE', workers: 1 },
            { recordedAt: '2025-07-01T03:00:00.000Z' },
          ),
        ])
        .thenDocument(SITI.recipientId, { ...sitiAided, latestMonitoring: JUNE_VISIT });
    });

    it('takes the visit recorded last when two visits share a date', () => {
      spec
        .given([
          ...aided,
          monitoringRecorded(SITI),
          monitoringRecorded(SITI, { businessStatus: 'STABLE', monthlyTurnoverRupiah: 3_000_000 }),
        ])
        .thenDocument(SITI.recipientId, {
          ...sitiAided,
          latestMonitoring: {
            ...JUNE_VISIT,
            businessStatus: 'STABLE',
            monthlyTurnoverRupiah: 3_000_000,
          },
        });
    });

    it('keeps a reversed recipient reversed when a monitoring visit arrives after the reversal', () => {
      spec
        .given([
          ...aided,
          disbursementReversed(SITI),
          monitoringRecorded(SITI, { businessStatus: 'CLOSED', workers: 0, challenges: [] }),
        ])
        .thenDocument(SITI.recipientId, {
          ...sitiReversed,
          latestMonitoring: {
            ...JUNE_VISIT,
            businessStatus: 'CLOSED',
            workers: 0,
            challenges: [],
          },
        });
    });

    it('counts mentoring sessions and exhibitions', () => {
      spec
        .given([
          ...aided,
          mentoringRecorded(SITI),
          mentoringRecorded(SITI, { topic: 'Pemasaran daring', date: '2025-07-03' }),
          exhibitionParticipationRecorded(SITI),
        ])
        .thenDocument(SITI.recipientId, {
          ...sitiAided,
          mentoringCount: 2,
          exhibitionCount: 1,
        });
    });
  });

  describe('events it does not read, or cannot place', () => {
    it('makes no document for a recipient it never saw registered', () => {
      spec
        .given([
          aidDisbursed(SITI),
          monitoringRecorded(SITI),
          mentoringRecorded(SITI),
          exhibitionParticipationRecorded(SITI),
          disbursementReversed(SITI),
        ])
        .thenNoDocument(SITI.recipientId);
    });

    it('ignores abandoned registrations and disbursements, quota slots and NIK claims', () => {
      spec
        .given([
          nikClaimed(SITI),
          nikReleased(SITI, 'ABANDONED'),
          registrationAbandoned(SITI),
          yearlyQuotaDefined(2025, 'KUBE'),
          allocationSet(2025, 'KUBE', { regencyCode: '64.07', quota: 20, previousQuota: null }),
          quotaSlotReserved(ROTAN),
          quotaSlotReleased(ROTAN, 'ABANDONED'),
          disbursementAbandoned(ROTAN, disbursementOf(ROTAN)),
        ])
        .thenDocuments({});
    });

    it('leaves a registered recipient as it is after events it does not read', () => {
      spec
        .given([
          nikClaimed(SITI),
          registered,
          quotaSlotReserved(SITI),
          quotaSlotConfirmed(SITI),
          disbursementAbandoned(SITI, disbursementOf(SITI, 2)),
        ])
        .thenDocuments({ [SITI.recipientId]: { ...siti, registeredPosition: 2 } });
    });
  });

  describe('replay', () => {
    const history = [
      registered,
      kubeRegistered(ROTAN),
      aidDisbursed(SITI),
      aidDisbursed(ROTAN),
      monitoringRecorded(SITI),
      mentoringRecorded(ROTAN),
      exhibitionParticipationRecorded(ROTAN),
      disbursementReversed(SITI),
      aidDisbursed(SITI, { disbursementId: disbursementOf(SITI, 2) }),
      monitoringRecorded(SITI, {
        disbursementId: disbursementOf(SITI, 2),
        visitDate: '2025-08-01',
      }),
    ];

    it('changes nothing when any prefix of the events is applied again', () => {
      spec.given(history).thenReplayingAnyPrefixChangesNothing();
    });

    it('counts no mentoring or exhibition twice when the history is applied twice', () => {
      spec.givenTwice(history).thenDocument(ROTAN.recipientId, {
        ...rotan,
        status: 'aided',
        registeredPosition: 2,
        disbursement: {
          disbursementId: `${ROTAN.recipientId}.1`,
          year: 2025,
          form: 'EQUIPMENT',
          valueRupiah: 20_000_000,
          disbursedOn: '2025-03-10',
          reversedOn: null,
          reversalReason: null,
        },
        mentoringCount: 1,
        exhibitionCount: 1,
      });
    });
  });
});
