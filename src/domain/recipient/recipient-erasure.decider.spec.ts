import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError } from '../domain-error';
import type {
  CorrectDetails,
  EraseRecipientPersonalData,
  RecipientCommand,
  RecordMonitoring,
  ReplaceMember,
} from './recipient.commands';
import { recipientDecider } from './recipient.decider';
import { erasureKeys } from './recipient.erasure';
import {
  ERASED_TEXT,
  type KubeMember,
  type PersonalDataErased,
  type RecipientEvent,
} from './recipient.events';
import type { RegisteredRecipient } from './recipient.state';

/**
 * Personal data keys and erasure: each person's key copied into the events that carry her
 * personal data, the erasure of a woman, a KUBe or one member, and what may still be done after.
 */
const spec = DeciderSpecification.for(recipientDecider);

const RSE_ID = 'rse-001';
const KUBE_ID = 'kube-001';
const TODAY = '2025-09-15';
const REASON = 'Permintaan penghapusan oleh subjek data (UU 27/2022 Pasal 8)';
const REFERENCE = 'Surat No. 470/123/DPPPA/2025';

/** `null`: registered before data keys, her personal data in clear. */
const rseRegistered = (dataKeyId: string | null = 'key-rse'): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: RSE_ID,
    kind: 'RSE',
    regencyCode: '64.72',
    name: 'Siti Aminah',
    businessType: 'Kue basah',
    phone: '0812-5555-0101',
    nikHash: 'hash-1',
    nikMasked: '6472********0001',
    ...(dataKeyId === null ? {} : { dataKeyId }),
  },
});

const member = (index: number, role: KubeMember['role'], keyed = true): KubeMember => ({
  name: `Anggota ${index}`,
  role,
  nikHash: `hash-m${index}`,
  nikMasked: `6407********001${index}`,
  ...(keyed ? { dataKeyId: `key-m${index}` } : {}),
});

const ROLES: KubeMember['role'][] = ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'];

const kubeRegistered = (keyed = true): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: KUBE_ID,
    kind: 'KUBE',
    regencyCode: '64.07',
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    members: ROLES.map((role, index) => member(index + 1, role, keyed)),
    ...(keyed ? { dataKeyId: 'key-kube' } : {}),
  },
});

const disbursed = (recipientId = RSE_ID): RecipientEvent => ({
  type: 'AidDisbursed',
  data: {
    recipientId,
    disbursementId: `${recipientId}.1`,
    kind: recipientId === RSE_ID ? 'RSE' : 'KUBE',
    regencyCode: recipientId === RSE_ID ? '64.72' : '64.07',
    year: 2025,
    form: 'EQUIPMENT',
    items: [{ description: 'Oven gas', quantity: 1, unitPriceRupiah: 5_000_000 }],
    valueRupiah: 5_000_000,
    disbursedOn: '2025-03-10',
  },
});

/** The secretary (member 2) died; a newcomer with her own key takes her place. */
const replaceSecretary = (overrides: Partial<ReplaceMember> = {}): ReplaceMember => ({
  type: 'ReplaceMember',
  departure: 'DIED',
  effectiveOn: '2025-07-02',
  leavingNikHash: 'hash-m2',
  newMember: {
    nik: '6407034708880021',
    nikHash: 'hash-new',
    name: 'Maria Ulfah',
    dataKeyId: 'key-new',
  },
  reason: 'Meninggal dunia',
  today: TODAY,
  ...overrides,
});

const joined: KubeMember = {
  name: 'Maria Ulfah',
  role: 'SECRETARY',
  nikHash: 'hash-new',
  nikMasked: '6407********0021',
  dataKeyId: 'key-new',
};

const secretaryReplaced = (left: KubeMember = member(2, 'SECRETARY')): RecipientEvent => ({
  type: 'MemberReplaced',
  data: {
    recipientId: KUBE_ID,
    departure: 'DIED',
    left,
    joined,
    effectiveOn: '2025-07-02',
    reason: 'Meninggal dunia',
  },
});

const erase = (memberNikHash?: string): EraseRecipientPersonalData => ({
  type: 'EraseRecipientPersonalData',
  reason: REASON,
  reference: REFERENCE,
  ...(memberNikHash === undefined ? {} : { memberNikHash }),
});

const erased = (
  recipientId: string,
  dataKeyIds: string[],
  memberNikHash?: string,
): PersonalDataErased => ({
  type: 'PersonalDataErased',
  data: {
    recipientId,
    dataKeyIds,
    ...(memberNikHash === undefined ? {} : { memberNikHash }),
    reason: REASON,
    reference: REFERENCE,
  },
});

const ALL_KUBE_KEYS = ['key-kube', 'key-m1', 'key-m2', 'key-m3', 'key-m4', 'key-m5'];

const correct = (fields: Omit<CorrectDetails, 'type' | 'reason'>): CorrectDetails => ({
  type: 'CorrectDetails',
  reason: 'Salah ketik',
  ...fields,
});

const monitoring = (notes?: string): RecordMonitoring => ({
  type: 'RecordMonitoring',
  visitDate: '2025-06-12',
  businessStatus: 'GROWING',
  monthlyTurnoverRupiah: 3_500_000,
  workers: 2,
  workersFromPoorHouseholds: 1,
  challenges: [],
  ...(notes === undefined ? {} : { notes }),
  today: TODAY,
});

const monitored = (extra: { notes?: string; dataKeyId?: string } = {}): RecipientEvent => ({
  type: 'MonitoringRecorded',
  data: {
    recipientId: RSE_ID,
    disbursementId: `${RSE_ID}.1`,
    visitDate: '2025-06-12',
    businessStatus: 'GROWING',
    monthlyTurnoverRupiah: 3_500_000,
    workers: 2,
    workersFromPoorHouseholds: 1,
    challenges: [],
    ...extra,
  },
});

const stateAfter = (events: RecipientEvent[]) =>
  fold(recipientDecider, events) as RegisteredRecipient;

const refusedWith = (
  given: RecipientEvent[],
  command: RecipientCommand,
  code: string,
  field?: string,
) =>
  spec
    .given(given)
    .when(command)
    .thenThrows(DomainError, { code, ...(field === undefined ? {} : { field }) });

describe('recipientDecider: personal data keys and erasure', () => {
  describe('each person’s key in the events that carry her personal data', () => {
    it('corrects her name, phone and address under her key, the business type under none', () => {
      spec
        .given([rseRegistered()])
        .when(correct({ name: 'Siti Aminah Rahman', phone: null, businessType: 'Katering' }))
        .then([
          {
            type: 'RecipientDetailsCorrected',
            data: {
              recipientId: RSE_ID,
              changes: [
                {
                  field: 'name',
                  before: 'Siti Aminah',
                  after: 'Siti Aminah Rahman',
                  dataKeyId: 'key-rse',
                },
                { field: 'phone', before: '0812-5555-0101', after: null, dataKeyId: 'key-rse' },
                { field: 'businessType', before: 'Kue basah', after: 'Katering' },
              ],
              reason: 'Salah ketik',
            },
          },
        ]);
    });

    it('corrects a group’s name under the group’s key and a member’s under hers', () => {
      spec
        .given([kubeRegistered()])
        .when(
          correct({
            groupName: 'KUBe Mandiri Jaya',
            memberNames: [{ nikHash: 'hash-m3', name: 'Budi Santoso' }],
          }),
        )
        .then([
          {
            type: 'RecipientDetailsCorrected',
            data: {
              recipientId: KUBE_ID,
              changes: [
                {
                  field: 'groupName',
                  before: 'KUBe Mandiri Sejahtera',
                  after: 'KUBe Mandiri Jaya',
                  dataKeyId: 'key-kube',
                },
                {
                  field: 'memberName',
                  memberNikHash: 'hash-m3',
                  before: 'Anggota 3',
                  after: 'Budi Santoso',
                  dataKeyId: 'key-m3',
                },
              ],
              reason: 'Salah ketik',
            },
          },
        ]);
    });

    it('keeps notes under the recipient’s key, and names no key for a visit without notes', () => {
      spec
        .given([rseRegistered(), disbursed()])
        .when(monitoring('Bu Siti menambah satu etalase'))
        .then([monitored({ notes: 'Bu Siti menambah satu etalase', dataKeyId: 'key-rse' })]);
      spec.given([rseRegistered(), disbursed()]).when(monitoring()).then([monitored()]);
    });

    it('names no key for a recipient registered before data keys: her events stay as they were', () => {
      spec
        .given([rseRegistered(null), disbursed()])
        .when(monitoring('Catatan'))
        .then([monitored({ notes: 'Catatan' })]);
      const [corrected] = recipientDecider.decide(
        correct({ name: 'Siti Aminah Rahman' }),
        stateAfter([rseRegistered(null)]),
      );
      expect(corrected).toEqual({
        type: 'RecipientDetailsCorrected',
        data: {
          recipientId: RSE_ID,
          changes: [{ field: 'name', before: 'Siti Aminah', after: 'Siti Aminah Rahman' }],
          reason: 'Salah ketik',
        },
      });
    });

    it('gives the newcomer her own key, and the leaver leaves under hers', () => {
      spec.given([kubeRegistered()]).when(replaceSecretary()).then([secretaryReplaced()]);
    });
  });

  describe('EraseRecipientPersonalData', () => {
    it('erases an RSE woman: her key', () => {
      spec
        .given([rseRegistered(), disbursed()])
        .when(erase())
        .then([erased(RSE_ID, ['key-rse'])]);
    });

    it('erases a KUBe: the group’s key and every member’s, former members too', () => {
      spec
        .given([kubeRegistered()])
        .when(erase())
        .then([erased(KUBE_ID, ALL_KUBE_KEYS)]);
      spec
        .given([kubeRegistered(), secretaryReplaced()])
        .when(erase())
        .then([
          erased(KUBE_ID, [
            'key-kube',
            'key-m1',
            'key-new',
            'key-m3',
            'key-m4',
            'key-m5',
            'key-m2',
          ]),
        ]);
    });

    it('erases one member by her NIK, a former member too', () => {
      spec
        .given([kubeRegistered()])
        .when(erase('hash-m4'))
        .then([erased(KUBE_ID, ['key-m4'], 'hash-m4')]);
      spec
        .given([kubeRegistered(), secretaryReplaced()])
        .when(erase('hash-m2'))
        .then([erased(KUBE_ID, ['key-m2'], 'hash-m2')]);
    });

    it('records nothing more when the erasure was recorded already', () => {
      spec
        .given([rseRegistered(), erased(RSE_ID, ['key-rse'])])
        .when(erase())
        .thenNothingHappens();
      spec
        .given([kubeRegistered(), erased(KUBE_ID, ['key-m4'], 'hash-m4')])
        .when(erase('hash-m4'))
        .thenNothingHappens();
    });

    it('erases the rest of a KUBe after one member was erased, naming only the keys left', () => {
      spec
        .given([kubeRegistered(), erased(KUBE_ID, ['key-m4'], 'hash-m4')])
        .when(erase())
        .then([erased(KUBE_ID, ['key-kube', 'key-m1', 'key-m2', 'key-m3', 'key-m5'])]);
    });

    it('refuses personal data recorded before data keys: only the migration makes it erasable', () => {
      refusedWith([rseRegistered(null)], erase(), 'PERSONAL_DATA_NOT_ENCRYPTED');
      refusedWith([kubeRegistered(false)], erase('hash-m1'), 'PERSONAL_DATA_NOT_ENCRYPTED');
      // An older group whose newcomer joined with a key: she can be erased, the group not yet.
      const olderGroup = [kubeRegistered(false), secretaryReplaced(member(2, 'SECRETARY', false))];
      refusedWith(olderGroup, erase(), 'PERSONAL_DATA_NOT_ENCRYPTED');
      spec
        .given(olderGroup)
        .when(erase('hash-new'))
        .then([erased(KUBE_ID, ['key-new'], 'hash-new')]);
    });

    it.each<[string, RecipientEvent[], EraseRecipientPersonalData, string, string | undefined]>([
      ['an unknown recipient', [], erase(), 'RECIPIENT_NOT_FOUND', undefined],
      [
        'a member NIK for an RSE woman',
        [rseRegistered()],
        erase('hash-1'),
        'NOT_A_KUBE',
        'memberNik',
      ],
      ['a NIK of no member', [kubeRegistered()], erase('hash-x'), 'NOT_A_MEMBER', 'memberNik'],
      [
        'a blank reason',
        [rseRegistered()],
        { ...erase(), reason: ' ' },
        'REASON_REQUIRED',
        'reason',
      ],
      [
        'a blank reference',
        [rseRegistered()],
        { ...erase(), reference: ' ' },
        'REFERENCE_REQUIRED',
        'reference',
      ],
    ])('refuses %s', (_title, given, command, code, field) => {
      refusedWith(given, command, code, field);
    });
  });

  describe('the state after an erasure', () => {
    it('reads her name, phone and address as erased, an absent address stays absent', () => {
      const { details } = stateAfter([rseRegistered(), erased(RSE_ID, ['key-rse'])]);
      expect(details).toMatchObject({
        name: ERASED_TEXT,
        phone: ERASED_TEXT,
        address: null,
        businessType: 'Kue basah',
        nik: { nikHash: 'hash-1', nikMasked: '6472********0001' },
      });
    });

    it('reads an erased member’s name as erased, the others’ as they were', () => {
      const state = stateAfter([
        kubeRegistered(),
        secretaryReplaced(),
        erased(KUBE_ID, ['key-m2'], 'hash-m2'),
        erased(KUBE_ID, ['key-m4'], 'hash-m4'),
      ]);
      expect(state.erasedDataKeyIds).toEqual(['key-m2', 'key-m4']);
      expect(state.details).toMatchObject({
        groupName: 'KUBe Mandiri Sejahtera',
        members: [
          { name: 'Anggota 1' },
          { name: 'Maria Ulfah' },
          { name: 'Anggota 3' },
          { name: ERASED_TEXT, nikHash: 'hash-m4' },
          { name: 'Anggota 5' },
        ],
        formerMembers: [{ name: ERASED_TEXT, nikHash: 'hash-m2', dataKeyId: 'key-m2' }],
      });
    });
  });

  describe('after an erasure', () => {
    const erasedWoman = () => [rseRegistered(), disbursed(), erased(RSE_ID, ['key-rse'])];
    const erasedGroup = () => [
      kubeRegistered(),
      disbursed(KUBE_ID),
      erased(KUBE_ID, ALL_KUBE_KEYS),
    ];
    const erasedMember = () => [kubeRegistered(), erased(KUBE_ID, ['key-m4'], 'hash-m4')];

    it.each<[string, RecipientEvent[], RecipientCommand, string]>([
      ['her name', erasedWoman(), correct({ name: 'Siti' }), 'name'],
      ['her phone, even removed', erasedWoman(), correct({ phone: null }), 'phone'],
      ['her address', erasedWoman(), correct({ address: 'Jl. Baru 1' }), 'address'],
      ['the group’s name', erasedGroup(), correct({ groupName: 'KUBe Baru' }), 'groupName'],
      [
        'an erased member’s name',
        erasedMember(),
        correct({ memberNames: [{ nikHash: 'hash-m4', name: 'Dewi' }] }),
        'members.0.name',
      ],
      [
        'her NIK',
        erasedWoman(),
        {
          type: 'CorrectNik',
          newNik: { nik: '6472055303900001', nikHash: 'hash-9' },
          reason: 'NIK sesuai KTP',
        },
        'newNik',
      ],
      [
        'an erased member’s NIK',
        erasedMember(),
        {
          type: 'CorrectNik',
          nikHash: 'hash-m4',
          newNik: { nik: '6407036110920019', nikHash: 'hash-9' },
          reason: 'NIK sesuai KTP',
        },
        'newNik',
      ],
      ['monitoring notes about her', erasedWoman(), monitoring('Catatan'), 'notes'],
      ['monitoring notes about the group', erasedGroup(), monitoring('Catatan'), 'notes'],
    ])(
      'refuses a correction or note of %s (409 PERSONAL_DATA_ERASED)',
      (_title, given, command, field) => {
        refusedWith(given, command, 'PERSONAL_DATA_ERASED', field);
      },
    );

    it('corrects what is not personal, and another member’s name', () => {
      spec
        .given(erasedWoman())
        .when(correct({ businessType: 'Katering' }))
        .then([
          {
            type: 'RecipientDetailsCorrected',
            data: {
              recipientId: RSE_ID,
              changes: [{ field: 'businessType', before: 'Kue basah', after: 'Katering' }],
              reason: 'Salah ketik',
            },
          },
        ]);
      const [corrected] = recipientDecider.decide(
        correct({ memberNames: [{ nikHash: 'hash-m3', name: 'Budi' }] }),
        stateAfter(erasedMember()),
      );
      expect(corrected).toMatchObject({
        data: { changes: [{ field: 'memberName', after: 'Budi', dataKeyId: 'key-m3' }] },
      });
    });

    it('replaces an erased member: she leaves under the erased name, with no key to name', () => {
      spec
        .given([kubeRegistered(), erased(KUBE_ID, ['key-m2'], 'hash-m2')])
        .when(replaceSecretary())
        .then([
          secretaryReplaced({
            name: ERASED_TEXT,
            role: 'SECRETARY',
            nikHash: 'hash-m2',
            nikMasked: '6407********0012',
          }),
        ]);
    });

    it('keeps an erased leaver’s key among the former members: erasing the group destroys it again', () => {
      const leftErased = secretaryReplaced({
        name: ERASED_TEXT,
        role: 'SECRETARY',
        nikHash: 'hash-m2',
        nikMasked: '6407********0012',
      });
      const given = [kubeRegistered(), erased(KUBE_ID, ['key-m2'], 'hash-m2'), leftErased];
      expect(erasureKeys(stateAfter(given))).toContain('key-m2');
      spec
        .given(given)
        .when(erase())
        .then([erased(KUBE_ID, ['key-kube', 'key-m1', 'key-new', 'key-m3', 'key-m4', 'key-m5'])]);
    });

    it('goes on with aid, its reversal, follow-up without notes and life events', () => {
      const commands: RecipientCommand[] = [
        monitoring(),
        {
          type: 'RecordMentoring',
          partner: 'Disperindagkop',
          topic: 'Pembukuan',
          date: '2025-05-20',
          today: TODAY,
        },
        {
          type: 'RecordExhibitionParticipation',
          name: 'Pameran UMKM',
          date: '2025-06-01',
          today: TODAY,
        },
        {
          type: 'ReverseDisbursement',
          disbursementId: `${RSE_ID}.1`,
          reason: 'Data ganda',
          today: TODAY,
        },
        {
          type: 'RecordMove',
          toRegencyCode: '64.71',
          movedOn: '2025-06-01',
          reason: 'Pindah',
          today: TODAY,
        },
        { type: 'RecordDeath', diedOn: '2025-08-01', reason: 'Surat kematian', today: TODAY },
        { type: 'RecordWithdrawal', withdrawnOn: '2025-08-01', reason: 'Berhenti', today: TODAY },
      ];
      for (const command of commands) {
        expect(recipientDecider.decide(command, stateAfter(erasedWoman()))).toHaveLength(1);
      }
      const reversedWoman = [
        ...erasedWoman(),
        ...recipientDecider.decide(commands[3], stateAfter(erasedWoman())),
      ];
      const aid = recipientDecider.decide(
        {
          type: 'DisburseAid',
          disbursementId: `${RSE_ID}.2`,
          year: 2025,
          form: 'EQUIPMENT',
          items: [{ description: 'Oven gas', quantity: 1, unitPriceRupiah: 5_000_000 }],
          disbursedOn: '2025-09-01',
          today: TODAY,
        },
        stateAfter(reversedWoman),
      );
      expect(aid).toMatchObject([{ type: 'AidDisbursed', data: { valueRupiah: 5_000_000 } }]);
    });
  });
});
