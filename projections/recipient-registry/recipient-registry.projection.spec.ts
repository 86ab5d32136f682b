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
  detailsCorrected,
  memberReplaced,
  nikCorrected,
  recipientDied,
  recipientMoved,
  recipientWithdrew,
} from '../../test/helpers/recipient-life-events';
import { liveAndRebuilt, personalDataErased } from '../../test/helpers/personal-data-erasure';
import { ERASED_TEXT } from '../../src/platform/personal-data/personal-data';
import {
  recipientRegistryProjection,
  type RecipientDocument,
} from './recipient-registry.projection';

const spec = ProjectionSpecification.for(recipientRegistryProjection);

const REGISTERED_AT = '2025-03-12T01:30:00.000Z';

const SITI_NIK = { nikHash: `hmac-sha256:${SITI.recipientId}`, nikMasked: '6472********0001' };

/** Siti Aminah as the registry keeps her right after registration in Samarinda. */
const siti: RecipientDocument = {
  recipientId: SITI.recipientId,
  kind: 'RSE',
  regencyCode: '64.72',
  regencyName: 'Kota Samarinda',
  movedFrom: null,
  name: 'Siti Aminah',
  businessType: 'Kue basah',
  maskedNiks: ['6472********0001'],
  members: null,
  formerMembers: [],
  phone: '081254321987',
  standing: 'active',
  standingOn: null,
  searchTokens: ['siti', 'aminah'],
  sortName: 'siti aminah',
  nikHashes: [SITI_NIK.nikHash],
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

const rotanHash = (n: number) => `hmac-sha256:${ROTAN.recipientId}:${n}`;

/** The KUBe's members as registered: the keyed hash of each NIK beside its masked form. */
const ROTAN_MEMBERS: NonNullable<RecipientDocument['members']> = [
  { name: 'Rahmat Hidayat', role: 'CHAIR', nikMasked: '6407********0011', nikHash: rotanHash(1) },
  { name: 'Nur Aisyah', role: 'SECRETARY', nikMasked: '6407********0012', nikHash: rotanHash(2) },
  { name: 'Budi Santoso', role: 'TREASURER', nikMasked: '6407********0013', nikHash: rotanHash(3) },
  { name: 'Dewi Lestari', role: 'MEMBER', nikMasked: '6407********0014', nikHash: rotanHash(4) },
  { name: 'Yohanes Lawing', role: 'MEMBER', nikMasked: '6407********0015', nikHash: rotanHash(5) },
];

/** The KUBe of Kutai Barat right after registration, under its group name with five members. */
const rotan: RecipientDocument = {
  recipientId: ROTAN.recipientId,
  kind: 'KUBE',
  regencyCode: '64.07',
  regencyName: 'Kabupaten Kutai Barat',
  movedFrom: null,
  name: 'KUBe Anyaman Rotan Lestari',
  businessType: 'Kerajinan anyaman rotan',
  maskedNiks: [
    '6407********0011',
    '6407********0012',
    '6407********0013',
    '6407********0014',
    '6407********0015',
  ],
  members: ROTAN_MEMBERS,
  formerMembers: [],
  phone: null,
  standing: 'active',
  standingOn: null,
  // The group's words, then its members'; "lestari" once.
  searchTokens: [
    'kube',
    'anyaman',
    'rotan',
    'lestari',
    'rahmat',
    'hidayat',
    'nur',
    'aisyah',
    'budi',
    'santoso',
    'dewi',
    'yohanes',
    'lawing',
  ],
  sortName: 'kube anyaman rotan lestari',
  nikHashes: [1, 2, 3, 4, 5].map(rotanHash),
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
    it('keeps an RSE woman with her masked NIK, its keyed hash, her phone and no address', () => {
      spec.given([registered]).thenDocuments({ [SITI.recipientId]: siti });
    });

    it('shows a KUBe under its group name with its five members and their masked NIKs', () => {
      spec.given([kubeRegistered(ROTAN)]).thenDocuments({
        [ROTAN.recipientId]: rotan,
      });
    });

    it('keeps no NIK in clear and no address; NIKs only masked and as the keyed hash of the event', () => {
      const documents = JSON.stringify([
        ...replay(recipientRegistryProjection, eventLog([registered, kubeRegistered(ROTAN)])),
      ]);
      expect(documents).toContain('Siti Aminah');
      expect(documents).not.toContain('Pangeran Antasari');
      expect(documents).not.toMatch(/\d{16}/);
      const hashes = [...documents.matchAll(/hmac-sha256:[^"]+/g)].map(([hash]) => hash);
      expect(new Set(hashes)).toEqual(
        new Set([SITI_NIK.nikHash, ...[1, 2, 3, 4, 5].map(rotanHash)]),
      );
    });

    it('folds names into search words: lower case, no accents, apostrophes joined, punctuation a break', () => {
      spec
        .given([
          rseRegistered(
            SITI,
            { name: "Sití Nur'aini-Binti H. ÅSTRØM" },
            { recordedAt: REGISTERED_AT },
          ),
        ])
        .thenDocument(SITI.recipientId, {
          ...siti,
          phone: null,
          name: "Sití Nur'aini-Binti H. ÅSTRØM",
          searchTokens: ['siti', 'nuraini', 'binti', 'h', 'astrom'],
          sortName: 'siti nuraini binti h astrom',
        });
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

  describe('corrections', () => {
    it("follows a woman's corrected name, business and phone: her search words and sort name with them", () => {
      spec
        .given([
          registered,
          detailsCorrected(SITI, [
            { field: 'name', before: 'Siti Aminah', after: 'Sitti Aminah Rahman' },
            { field: 'businessType', before: 'Kue basah', after: 'Kue kering' },
            { field: 'phone', before: '081254321987', after: '085250001111' },
            { field: 'address', before: 'Jl. Pangeran Antasari No. 12', after: 'Jl. Juanda 4' },
          ]),
        ])
        .thenDocuments({
          [SITI.recipientId]: {
            ...siti,
            name: 'Sitti Aminah Rahman',
            businessType: 'Kue kering',
            phone: '085250001111',
            searchTokens: ['sitti', 'aminah', 'rahman'],
            sortName: 'sitti aminah rahman',
          },
        });
    });

    it('drops a phone number corrected to none', () => {
      spec
        .given([
          registered,
          detailsCorrected(SITI, [{ field: 'phone', before: '081254321987', after: null }]),
        ])
        .thenDocument(SITI.recipientId, { ...siti, phone: null });
    });

    it("follows a KUBe's corrected group name and a member's name, found by her NIK hash", () => {
      spec
        .given([
          kubeRegistered(ROTAN),
          detailsCorrected(ROTAN, [
            { field: 'groupName', before: 'KUBe Anyaman Rotan Lestari', after: 'KUBe Rotan Jaya' },
            {
              field: 'memberName',
              memberNikHash: rotanHash(2),
              before: 'Nur Aisyah',
              after: 'Nur Aisah Hamid',
            },
            {
              field: 'memberName',
              memberNikHash: 'hmac-sha256:someone-else',
              before: 'Budi Santoso',
              after: 'Nobody',
            },
          ]),
        ])
        .thenDocuments({
          [ROTAN.recipientId]: {
            ...rotan,
            name: 'KUBe Rotan Jaya',
            members: ROTAN_MEMBERS.map((member, index) =>
              index === 1 ? { ...member, name: 'Nur Aisah Hamid' } : member,
            ),
            searchTokens: [
              'kube',
              'rotan',
              'jaya',
              'rahmat',
              'hidayat',
              'nur',
              'aisah',
              'hamid',
              'budi',
              'santoso',
              'dewi',
              'lestari',
              'yohanes',
              'lawing',
            ],
            sortName: 'kube rotan jaya',
          },
        });
    });

    it("follows a woman's corrected NIK: the old hash no longer finds her", () => {
      const after = { nikHash: 'hmac-sha256:corrected', nikMasked: '6472********0002' };
      spec.given([registered, nikCorrected(SITI, SITI_NIK, after)]).thenDocument(SITI.recipientId, {
        ...siti,
        maskedNiks: [after.nikMasked],
        nikHashes: [after.nikHash],
      });
    });

    it("follows a KUBe member's corrected NIK, in her place among the members", () => {
      const after = { nikHash: 'hmac-sha256:member-corrected', nikMasked: '6407********0099' };
      spec
        .given([
          kubeRegistered(ROTAN),
          nikCorrected(ROTAN, { nikHash: rotanHash(4), nikMasked: '6407********0014' }, after),
        ])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          members: ROTAN_MEMBERS.map((member, index) =>
            index === 3 ? { ...member, ...after } : member,
          ),
          maskedNiks: [
            '6407********0011',
            '6407********0012',
            '6407********0013',
            '6407********0099',
            '6407********0015',
          ],
          nikHashes: [rotanHash(1), rotanHash(2), rotanHash(3), after.nikHash, rotanHash(5)],
        });
    });
  });

  describe('life events', () => {
    it('replaces a KUBe member in her place; she stays findable by NIK as a former member', () => {
      const joined = {
        name: 'Siti Rohana',
        role: 'MEMBER' as const,
        nikMasked: '6407********0021',
        nikHash: 'hmac-sha256:newcomer',
      };
      spec
        .given([
          kubeRegistered(ROTAN),
          memberReplaced(ROTAN, {
            left: ROTAN_MEMBERS[3],
            joined,
            departure: 'DIED',
            effectiveOn: '2026-01-15',
          }),
        ])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          members: ROTAN_MEMBERS.map((member, index) => (index === 3 ? joined : member)),
          formerMembers: [{ ...ROTAN_MEMBERS[3], departure: 'DIED', leftOn: '2026-01-15' }],
          maskedNiks: [
            '6407********0011',
            '6407********0012',
            '6407********0013',
            '6407********0021',
            '6407********0015',
          ],
          searchTokens: [
            'kube',
            'anyaman',
            'rotan',
            'lestari',
            'rahmat',
            'hidayat',
            'nur',
            'aisyah',
            'budi',
            'santoso',
            'siti',
            'rohana',
            'yohanes',
            'lawing',
          ],
          nikHashes: [
            rotanHash(1),
            rotanHash(2),
            rotanHash(3),
            joined.nikHash,
            rotanHash(5),
            rotanHash(4),
          ],
        });
    });

    it('ignores the replacement of someone who is not a member', () => {
      spec
        .given([
          kubeRegistered(ROTAN),
          memberReplaced(ROTAN, {
            left: { ...ROTAN_MEMBERS[0], nikHash: 'hmac-sha256:stranger' },
            joined: { ...ROTAN_MEMBERS[0], nikHash: 'hmac-sha256:other' },
          }),
        ])
        .thenDocument(ROTAN.recipientId, rotan);
    });

    it('shows where she lives now and where she moved from, after each move', () => {
      spec
        .given([
          registered,
          recipientMoved(SITI, { fromRegencyCode: '64.72', toRegencyCode: '64.71' }),
          recipientMoved(SITI, {
            fromRegencyCode: '64.71',
            toRegencyCode: '64.02',
            movedOn: '2026-04-01',
          }),
        ])
        .thenDocument(SITI.recipientId, {
          ...siti,
          regencyCode: '64.02',
          regencyName: 'Kabupaten Kutai Kartanegara',
          movedFrom: {
            regencyCode: '64.71',
            regencyName: 'Kota Balikpapan',
            movedOn: '2026-04-01',
          },
        });
    });

    it('marks a woman deceased with the day she died, keeping her aid and follow-up', () => {
      spec
        .given([registered, aidDisbursed(SITI), recipientDied(SITI, '2026-02-10')])
        .thenDocument(SITI.recipientId, {
          ...sitiAided,
          standing: 'deceased',
          standingOn: '2026-02-10',
        });
    });

    it('marks a recipient withdrawn with the day she withdrew', () => {
      spec
        .given([kubeRegistered(ROTAN), recipientWithdrew(ROTAN, '2026-03-01')])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          standing: 'withdrawn',
          standingOn: '2026-03-01',
        });
    });

    it('makes no document from corrections or life events of a recipient it never saw registered', () => {
      spec
        .given([
          detailsCorrected(SITI, [{ field: 'name', before: 'A', after: 'B' }]),
          nikCorrected(SITI, SITI_NIK, { nikHash: 'x', nikMasked: 'y' }),
          recipientMoved(SITI, { fromRegencyCode: '64.72', toRegencyCode: '64.71' }),
          recipientDied(SITI),
          recipientWithdrew(SITI),
          memberReplaced(ROTAN, { left: ROTAN_MEMBERS[0], joined: ROTAN_MEMBERS[1] }),
        ])
        .thenDocuments({});
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

  describe('personal data erasure', () => {
    const D = ERASED_TEXT;
    /** Siti as the service registers her now: her name and phone under her own data key. */
    const keyedSiti = rseRegistered(
      SITI,
      {
        dataKeyId: 'key-siti',
        phone: '081254321987',
        address: 'Jl. Pangeran Antasari No. 12, Samarinda Ulu',
      },
      { recordedAt: REGISTERED_AT },
    );
    const memberKey = (n: number) => `key-rotan-${n}`;
    /** The KUBe with a key for its group name and one for each member. */
    const keyedRotan = kubeRegistered(ROTAN, {
      dataKeyId: 'key-rotan',
      members: ROTAN_MEMBERS.map(({ name, role, nikMasked, nikHash }, index) => ({
        name,
        role,
        nikMasked,
        nikHash,
        dataKeyId: memberKey(index + 1),
      })),
    });
    const ROTAN_KEYS = ['key-rotan', ...[1, 2, 3, 4, 5, 6].map(memberKey)];
    const newcomer = {
      name: 'Siti Rohana',
      role: 'MEMBER' as const,
      nikMasked: '6407********0021',
      nikHash: 'hmac-sha256:newcomer',
    };
    /** Dewi (member 4) left; Siti Rohana took her place, under a key of her own. */
    const dewiReplaced = memberReplaced(ROTAN, {
      left: { ...ROTAN_MEMBERS[3], dataKeyId: memberKey(4) },
      joined: { ...newcomer, dataKeyId: memberKey(6) },
    });
    const erasedMember = <Member extends { name: string }>(member: Member): Member => ({
      ...member,
      name: D,
    });

    /** Siti aided, visited, with a mentoring, corrected, then erased. */
    const sitiErased = {
      ...sitiAided,
      name: D,
      phone: D,
      latestMonitoring: JUNE_VISIT,
      mentoringCount: 1,
      searchTokens: [],
      sortName: 'dihapus',
    };
    const sitiHistory = [
      keyedSiti,
      aidDisbursed(SITI),
      monitoringRecorded(SITI, { notes: 'Bu Siti membuka lapak kedua', dataKeyId: 'key-siti' }),
      mentoringRecorded(SITI),
      detailsCorrected(SITI, [
        { field: 'phone', dataKeyId: 'key-siti', before: '081254321987', after: '081254321987' },
      ]),
    ];

    it("replaces an erased woman's name and phone; her NIK, aid, visit, counts and standing stay", () => {
      spec
        .given([...sitiHistory, personalDataErased(SITI, { dataKeyIds: ['key-siti'] })])
        .thenDocuments({ [SITI.recipientId]: sitiErased });
    });

    it('leaves a phone she never gave as none', () => {
      spec
        .given([
          rseRegistered(SITI, { dataKeyId: 'key-siti' }, { recordedAt: REGISTERED_AT }),
          personalDataErased(SITI, { dataKeyIds: ['key-siti'] }),
        ])
        .thenDocument(SITI.recipientId, {
          ...siti,
          name: D,
          phone: null,
          searchTokens: [],
          sortName: 'dihapus',
        });
    });

    it('reads the same from events whose fields already read erased (a rebuild after the keys went)', () => {
      spec
        .given([
          rseRegistered(
            SITI,
            { dataKeyId: 'key-siti', name: D, phone: D, address: D },
            { recordedAt: REGISTERED_AT },
          ),
          aidDisbursed(SITI),
          monitoringRecorded(SITI, { notes: D, dataKeyId: 'key-siti' }),
          mentoringRecorded(SITI),
          detailsCorrected(SITI, [{ field: 'phone', dataKeyId: 'key-siti', before: D, after: D }]),
          personalDataErased(SITI, { dataKeyIds: ['key-siti'] }),
        ])
        .thenDocuments({ [SITI.recipientId]: sitiErased });
    });

    it('erases a whole KUBe: its group name, every member and every former member', () => {
      spec
        .given([
          keyedRotan,
          dewiReplaced,
          aidDisbursed(ROTAN),
          personalDataErased(ROTAN, { dataKeyIds: ROTAN_KEYS }),
        ])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          name: D,
          members: ROTAN_MEMBERS.map((member, index) => (index === 3 ? newcomer : member)).map(
            erasedMember,
          ),
          formerMembers: [
            { ...erasedMember(ROTAN_MEMBERS[3]), departure: 'LEFT', leftOn: '2026-01-15' },
          ],
          maskedNiks: [...rotan.maskedNiks.slice(0, 3), newcomer.nikMasked, rotan.maskedNiks[4]],
          nikHashes: [...[1, 2, 3].map(rotanHash), newcomer.nikHash, rotanHash(5), rotanHash(4)],
          searchTokens: [],
          sortName: 'dihapus',
          status: 'aided',
          disbursement: {
            disbursementId: `${ROTAN.recipientId}.1`,
            year: 2025,
            form: 'EQUIPMENT',
            valueRupiah: 20_000_000,
            disbursedOn: '2025-03-10',
            reversedOn: null,
            reversalReason: null,
          },
        });
    });

    it('erases one member, found by the keyed hash of her NIK; the group and the others stay', () => {
      spec
        .given([
          keyedRotan,
          personalDataErased(ROTAN, { dataKeyIds: [memberKey(2)], memberNikHash: rotanHash(2) }),
        ])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          members: ROTAN_MEMBERS.map((member, index) =>
            index === 1 ? erasedMember(member) : member,
          ),
          searchTokens: rotan.searchTokens.filter((word) => word !== 'aisyah' && word !== 'nur'),
        });
    });

    it('erases a former member by her NIK, leaving the member who took her place', () => {
      spec
        .given([
          keyedRotan,
          dewiReplaced,
          personalDataErased(ROTAN, { dataKeyIds: [memberKey(4)], memberNikHash: rotanHash(4) }),
        ])
        .thenDocument(ROTAN.recipientId, {
          ...rotan,
          members: ROTAN_MEMBERS.map((member, index) => (index === 3 ? newcomer : member)),
          formerMembers: [
            { ...erasedMember(ROTAN_MEMBERS[3]), departure: 'LEFT', leftOn: '2026-01-15' },
          ],
          maskedNiks: [...rotan.maskedNiks.slice(0, 3), newcomer.nikMasked, rotan.maskedNiks[4]],
          nikHashes: [...[1, 2, 3].map(rotanHash), newcomer.nikHash, rotanHash(5), rotanHash(4)],
          // Former members give no search words: hers were gone with her departure.
          searchTokens: [
            ...['kube', 'anyaman', 'rotan', 'lestari', 'rahmat', 'hidayat', 'nur', 'aisyah'],
            ...['budi', 'santoso', 'siti', 'rohana', 'yohanes', 'lawing'],
          ],
        });
    });

    const history = [
      ...sitiHistory,
      detailsCorrected(SITI, [
        { field: 'name', dataKeyId: 'key-siti', before: 'Siti Aminah', after: 'Siti Aminah R.' },
      ]),
      keyedRotan,
      dewiReplaced,
      detailsCorrected(ROTAN, [
        {
          field: 'groupName',
          dataKeyId: 'key-rotan',
          before: 'KUBe Anyaman Rotan Lestari',
          after: 'KUBe Rotan Jaya',
        },
        {
          field: 'memberName',
          dataKeyId: memberKey(2),
          memberNikHash: rotanHash(2),
          before: 'Nur Aisyah',
          after: 'Nur Aisah',
        },
      ]),
      nikCorrected(
        ROTAN,
        { nikHash: rotanHash(2), nikMasked: '6407********0012' },
        { nikHash: 'hmac-sha256:nur-corrected', nikMasked: '6407********0032' },
      ),
      personalDataErased(ROTAN, {
        dataKeyIds: [memberKey(2)],
        memberNikHash: 'hmac-sha256:nur-corrected',
      }),
      aidDisbursed(ROTAN),
      personalDataErased(SITI, { dataKeyIds: ['key-siti'] }),
      recipientMoved(SITI, { fromRegencyCode: '64.72', toRegencyCode: '64.74' }),
      personalDataErased(ROTAN, {
        dataKeyIds: ROTAN_KEYS.filter((key) => key !== memberKey(2)),
      }),
      mentoringRecorded(ROTAN),
    ];

    it('gives the same documents live (erasure on clear text) and rebuilt (fields erased in every event)', async () => {
      const { live, rebuilt } = await liveAndRebuilt(recipientRegistryProjection, history);
      expect(live).toStrictEqual(rebuilt);
      const shown = JSON.stringify(live);
      for (const name of ['Siti', 'Aminah', 'Rahmat', 'Nur', 'Aisah', 'Rohana', 'Rotan Jaya']) {
        expect(shown).not.toContain(name);
      }
      expect(shown).not.toContain('081254321987');
      expect(live[SITI.recipientId]).toMatchObject({
        name: D,
        regencyCode: '64.74',
        status: 'aided',
        mentoringCount: 1,
        searchTokens: [],
      });
      expect(live[ROTAN.recipientId]).toMatchObject({
        name: D,
        disbursement: { valueRupiah: 20_000_000 },
        mentoringCount: 1,
        maskedNiks: [
          '6407********0011',
          '6407********0032',
          '6407********0013',
          '6407********0021',
          '6407********0015',
        ],
      });
    });

    it('keeps the names of those not erased, live and rebuilt alike', async () => {
      const { live, rebuilt } = await liveAndRebuilt(recipientRegistryProjection, [
        keyedSiti,
        keyedRotan,
        personalDataErased(ROTAN, { dataKeyIds: [memberKey(3)], memberNikHash: rotanHash(3) }),
      ]);
      expect(live).toStrictEqual(rebuilt);
      expect(live[SITI.recipientId]).toStrictEqual(siti);
      expect(live[ROTAN.recipientId].members?.map((member) => member.name)).toEqual([
        'Rahmat Hidayat',
        'Nur Aisyah',
        D,
        'Dewi Lestari',
        'Yohanes Lawing',
      ]);
    });

    it('changes nothing when any prefix of a history with erasures is applied again', () => {
      spec.given(history).thenReplayingAnyPrefixChangesNothing();
    });
  });

  describe('replay', () => {
    const history = [
      registered,
      kubeRegistered(ROTAN),
      detailsCorrected(SITI, [{ field: 'name', before: 'Siti Aminah', after: 'Siti Aminah R.' }]),
      memberReplaced(ROTAN, {
        left: ROTAN_MEMBERS[4],
        joined: { ...ROTAN_MEMBERS[4], name: 'Maria Lawing', nikHash: 'hmac-sha256:maria' },
      }),
      nikCorrected(
        ROTAN,
        { nikHash: rotanHash(1), nikMasked: '6407********0011' },
        {
          nikHash: 'hmac-sha256:rahmat-corrected',
          nikMasked: '6407********0031',
        },
      ),
      recipientMoved(SITI, { fromRegencyCode: '64.72', toRegencyCode: '64.74' }),
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
      const rahmat = { nikHash: 'hmac-sha256:rahmat-corrected', nikMasked: '6407********0031' };
      const maria = { ...ROTAN_MEMBERS[4], name: 'Maria Lawing', nikHash: 'hmac-sha256:maria' };
      spec.givenTwice(history).thenDocument(ROTAN.recipientId, {
        ...rotan,
        members: [{ ...ROTAN_MEMBERS[0], ...rahmat }, ...ROTAN_MEMBERS.slice(1, 4), maria],
        formerMembers: [{ ...ROTAN_MEMBERS[4], departure: 'LEFT', leftOn: '2026-01-15' }],
        maskedNiks: ['6407********0031', ...rotan.maskedNiks.slice(1)],
        searchTokens: [...rotan.searchTokens.slice(0, -2), 'maria', 'lawing'],
        nikHashes: [rahmat.nikHash, ...[2, 3, 4].map(rotanHash), maria.nikHash, rotanHash(5)],
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
