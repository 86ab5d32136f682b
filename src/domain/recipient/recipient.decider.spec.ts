import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError } from '../domain-error';
import type {
  AidItem,
  DisburseAid,
  KubeMemberInput,
  RecipientCommand,
  RecordExhibitionParticipation,
  RecordMentoring,
  RecordMonitoring,
  RegisterRecipient,
  RseRegistration,
} from './recipient.commands';
import { aidValue, nextDisbursementId, recipientDecider, recipientIdOf } from './recipient.decider';
import type {
  AidDisbursed,
  DisbursementReversed,
  KubeMember,
  RecipientEvent,
  RseRegistered,
} from './recipient.events';

const spec = DeciderSpecification.for(recipientDecider);

const SAMARINDA = '64.72';
const KUTAI_BARAT = '64.07';

const RSE_ID = 'rse-001';
const KUBE_ID = 'kube-001';

/** Day 52 = 12 + 40: a woman born 12 March 1990, first registered in Samarinda. */
const FEMALE_NIK = '6472055203900001';
/** A man born 12 March 1990. */
const MALE_NIK = '6472051203900002';

const DISBURSED_ON = '2025-03-10';
const TODAY = '2025-03-15';
/** The "today" of follow-up visits, some months after the aid. */
const LATER = '2025-06-20';

/** The RSE woman as the operator registers her. */
const rseRegistration = (overrides: Partial<RseRegistration> = {}): RseRegistration => ({
  kind: 'RSE',
  regencyCode: SAMARINDA,
  name: 'Siti Aminah',
  businessType: 'Kue basah',
  nik: FEMALE_NIK,
  nikHash: 'hash-1',
  ...overrides,
});

const registerRse = (overrides: Partial<RseRegistration> = {}): RegisterRecipient => ({
  type: 'RegisterRecipient',
  recipientId: RSE_ID,
  registration: rseRegistration(overrides),
});

const rseRegistered = (overrides: Partial<RseRegistered> = {}): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: RSE_ID,
    kind: 'RSE',
    regencyCode: SAMARINDA,
    name: 'Siti Aminah',
    businessType: 'Kue basah',
    nikHash: 'hash-1',
    nikMasked: '6472********0001',
    ...overrides,
  },
});

/** Five members of a fish-farming KUBe in Kutai Barat: men and women alike. */
const MEMBERS: readonly KubeMemberInput[] = [
  { name: 'Rahmat Hidayat', role: 'CHAIR', nik: '6407031505850011', nikHash: 'hash-m1' },
  { name: 'Nur Aisyah', role: 'SECRETARY', nik: '6407034708880012', nikHash: 'hash-m2' },
  { name: 'Budi Santoso', role: 'TREASURER', nik: '6407030102790013', nikHash: 'hash-m3' },
  { name: 'Dewi Lestari', role: 'MEMBER', nik: '6407036110920014', nikHash: 'hash-m4' },
  { name: 'Agus Salim', role: 'MEMBER', nik: '6407032012800015', nikHash: 'hash-m5' },
];

/** A fresh copy, for a spec to change one member. */
const memberInputs = (): KubeMemberInput[] => MEMBERS.map((member) => ({ ...member }));

const storedMembers = (): KubeMember[] =>
  MEMBERS.map(({ name, role, nik, nikHash }) => ({
    name,
    role,
    nikHash,
    nikMasked: `6407********${nik.slice(12)}`,
  }));

const registerKube = (members: KubeMemberInput[] = memberInputs()): RegisterRecipient => ({
  type: 'RegisterRecipient',
  recipientId: KUBE_ID,
  registration: {
    kind: 'KUBE',
    regencyCode: KUTAI_BARAT,
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    members,
  },
});

const kubeRegistered: RecipientEvent = {
  type: 'RecipientRegistered',
  data: {
    recipientId: KUBE_ID,
    kind: 'KUBE',
    regencyCode: KUTAI_BARAT,
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    members: storedMembers(),
  },
};

/** Older logs only: the fence that closed a registration whose request died half-way. */
const registrationAbandoned = (recipientId = RSE_ID): RecipientEvent => ({
  type: 'RegistrationAbandoned',
  data: { recipientId },
});

/** Baking equipment worth Rp3,250,000 + Rp750,000 + Rp1,000,000 = Rp5,000,000. */
const ITEMS: AidItem[] = [
  { description: 'Oven gas 2 rak', quantity: 1, unitPriceRupiah: 3_250_000 },
  { description: 'Loyang kue', quantity: 10, unitPriceRupiah: 75_000 },
  { description: 'Mixer', quantity: 2, unitPriceRupiah: 500_000 },
];

const disburse = (overrides: Partial<DisburseAid> = {}): DisburseAid => ({
  type: 'DisburseAid',
  disbursementId: `${RSE_ID}.1`,
  year: 2025,
  form: 'EQUIPMENT',
  items: ITEMS,
  disbursedOn: DISBURSED_ON,
  today: TODAY,
  ...overrides,
});

const disbursed = (overrides: Partial<AidDisbursed['data']> = {}): RecipientEvent => ({
  type: 'AidDisbursed',
  data: {
    recipientId: RSE_ID,
    disbursementId: `${RSE_ID}.1`,
    kind: 'RSE',
    regencyCode: SAMARINDA,
    year: 2025,
    form: 'EQUIPMENT',
    items: ITEMS,
    valueRupiah: 5_000_000,
    disbursedOn: DISBURSED_ON,
    ...overrides,
  },
});

const reversed = (overrides: Partial<DisbursementReversed['data']> = {}): RecipientEvent => ({
  type: 'DisbursementReversed',
  data: {
    recipientId: RSE_ID,
    disbursementId: `${RSE_ID}.1`,
    kind: 'RSE',
    regencyCode: SAMARINDA,
    year: 2025,
    valueRupiah: 5_000_000,
    reason: 'Penerima ganda',
    reversedOn: TODAY,
    ...overrides,
  },
});

/** Older logs only: the fence that closed a disbursement whose request died after its slot. */
const disbursementAbandoned = (disbursementId: string): RecipientEvent => ({
  type: 'DisbursementAbandoned',
  data: { recipientId: recipientIdOf(disbursementId), disbursementId },
});

/** An RSE woman who received her aid on DISBURSED_ON. */
const aided = (): RecipientEvent[] => [rseRegistered(), disbursed()];

/** She received aid, it was reversed, and she received it again (disbursement .2) in April. */
const aidedAgain = (): RecipientEvent[] => [
  rseRegistered(),
  disbursed(),
  reversed(),
  disbursed({ disbursementId: `${RSE_ID}.2`, disbursedOn: '2025-04-07' }),
];

const monitoring = (overrides: Partial<RecordMonitoring> = {}): RecordMonitoring => ({
  type: 'RecordMonitoring',
  visitDate: '2025-06-12',
  businessStatus: 'GROWING',
  monthlyTurnoverRupiah: 3_500_000,
  workers: 2,
  workersFromPoorHouseholds: 1,
  challenges: ['MARKET_COMPETITION'],
  today: LATER,
  ...overrides,
});

const mentoring = (overrides: Partial<RecordMentoring> = {}): RecordMentoring => ({
  type: 'RecordMentoring',
  partner: 'Disperindagkop Kalimantan Timur',
  topic: 'Pembukuan usaha sederhana',
  date: '2025-05-20',
  today: LATER,
  ...overrides,
});

const exhibition = (
  overrides: Partial<RecordExhibitionParticipation> = {},
): RecordExhibitionParticipation => ({
  type: 'RecordExhibitionParticipation',
  name: 'Pameran UMKM Samarinda Fair 2025',
  date: '2025-06-01',
  today: LATER,
  ...overrides,
});

/** The events a command causes after `events`, for checks beyond equality. */
const decide = (events: RecipientEvent[], command: RecipientCommand): RecipientEvent[] =>
  recipientDecider.decide(command, fold(recipientDecider, events));

describe('recipientDecider', () => {
  describe('RegisterRecipient (RSE)', () => {
    it('registers the woman with her NIK hashed and masked', () => {
      spec.given([]).when(registerRse()).then([rseRegistered()]);
    });

    it('never stores the NIK in clear', () => {
      const events = decide([], registerRse({ phone: '081254321098', address: 'Jl. Juanda 7' }));
      expect(JSON.stringify(events)).not.toContain(FEMALE_NIK);
    });

    it('leaves phone and address out when they are not given', () => {
      const [event] = decide([], registerRse());
      expect(Object.keys(event.data)).not.toContain('phone');
      expect(Object.keys(event.data)).not.toContain('address');
    });

    it('keeps phone and address when they are given', () => {
      spec
        .given([])
        .when(registerRse({ phone: '081254321098', address: 'Jl. Juanda No. 7, Samarinda Ulu' }))
        .then([
          rseRegistered({ phone: '081254321098', address: 'Jl. Juanda No. 7, Samarinda Ulu' }),
        ]);
    });

    it('does not require the NIK region to match the domicile', () => {
      spec
        .given([])
        .when(registerRse({ nik: '7371024508870003' }))
        .then([rseRegistered({ nikMasked: '7371********0003' })]);
    });

    it('refuses a NIK not marked female: RSE aid is for women', () => {
      spec
        .given([])
        .when(registerRse({ nik: MALE_NIK }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'NIK_NOT_FEMALE', field: 'nik' });
    });

    it.each([
      ['too short', '647205520390001'],
      ['with a 00 district', '6472005203900001'],
      ['with an impossible date', '6472057202900001'],
      ['with serial 0000', '6472055203900000'],
    ])('refuses a NIK %s as INVALID_NIK', (_label, nik) => {
      spec
        .given([])
        .when(registerRse({ nik }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_NIK', field: 'nik' });
    });

    it.each([
      ['a code that no regency has', '64.05'],
      ['a BPS code', '6472'],
      ['a regency of another province', '65.01'],
    ])('refuses %s as UNKNOWN_REGENCY', (_label, regencyCode) => {
      spec.given([]).when(registerRse({ regencyCode })).thenThrows(DomainError, {
        kind: 'invalid',
        code: 'UNKNOWN_REGENCY',
        field: 'regencyCode',
      });
    });

    it('refuses a recipient already registered', () => {
      spec
        .given([rseRegistered()])
        .when(registerRse())
        .thenThrows(DomainError, { kind: 'rule', code: 'RECIPIENT_ALREADY_REGISTERED' });
    });

    it('refuses a registration an older log abandoned, as REGISTRATION_ABANDONED', () => {
      spec
        .given([registrationAbandoned()])
        .when(registerRse())
        .thenThrows(DomainError, { kind: 'rule', code: 'REGISTRATION_ABANDONED' });
    });
  });

  describe('RegisterRecipient (KUBe)', () => {
    it('registers a group of five, each NIK hashed and masked', () => {
      spec.given([]).when(registerKube()).then([kubeRegistered]);
    });

    it('never stores a member’s NIK in clear', () => {
      const json = JSON.stringify(decide([], registerKube()));
      MEMBERS.forEach(({ nik }) => expect(json).not.toContain(nik));
    });

    it('accepts a group of men only: the female marker is for RSE women', () => {
      const men = [
        '6407031505850011',
        '6407030102790013',
        '6407032012800015',
        '6407032507900016',
        '6407030911950017',
      ];
      const members = memberInputs().map((member, index) => ({ ...member, nik: men[index] }));
      spec
        .given([])
        .when(registerKube(members))
        .then([
          {
            type: 'RecipientRegistered',
            data: {
              recipientId: KUBE_ID,
              kind: 'KUBE',
              regencyCode: KUTAI_BARAT,
              groupName: 'KUBe Mandiri Sejahtera',
              businessType: 'Perikanan air tawar',
              members: storedMembers().map((member, index) => ({
                ...member,
                nikMasked: `6407********${men[index].slice(12)}`,
              })),
            },
          },
        ]);
    });

    it.each([
      ['four', memberInputs().slice(0, 4)],
      [
        'six',
        [
          ...memberInputs(),
          { name: 'Yusuf Maulana', role: 'MEMBER', nik: '6407031107830016', nikHash: 'hash-m6' },
        ] satisfies KubeMemberInput[],
      ],
      ['no', []],
    ])('refuses %s members', (_count, members) => {
      spec.given([]).when(registerKube(members)).thenThrows(DomainError, {
        kind: 'invalid',
        code: 'KUBE_NOT_FIVE_MEMBERS',
        field: 'members',
      });
    });

    it('refuses a NIK that appears twice, pointing at the repeat', () => {
      const members = memberInputs();
      members[3] = { ...members[3], nik: members[1].nik };
      spec.given([]).when(registerKube(members)).thenThrows(DomainError, {
        kind: 'invalid',
        code: 'DUPLICATE_MEMBER_NIK',
        field: 'members.3.nik',
      });
    });

    it('refuses a group without a chair', () => {
      const members = memberInputs().map((member) => ({ ...member, role: 'MEMBER' as const }));
      spec
        .given([])
        .when(registerKube(members))
        .thenThrows(DomainError, { kind: 'invalid', code: 'ONE_CHAIR_REQUIRED', field: 'members' });
    });

    it('refuses a group with two chairs', () => {
      const members = memberInputs();
      members[4] = { ...members[4], role: 'CHAIR' };
      spec
        .given([])
        .when(registerKube(members))
        .thenThrows(DomainError, { kind: 'invalid', code: 'ONE_CHAIR_REQUIRED', field: 'members' });
    });

    it('refuses an invalid member NIK, pointing at the member', () => {
      const members = memberInputs();
      members[2] = { ...members[2], nik: '6407033502790013' };
      spec
        .given([])
        .when(registerKube(members))
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_NIK', field: 'members.2.nik' });
    });

    it('refuses an unknown regency', () => {
      const command = registerKube();
      spec
        .given([])
        .when({ ...command, registration: { ...command.registration, regencyCode: '64.04' } })
        .thenThrows(DomainError, {
          kind: 'invalid',
          code: 'UNKNOWN_REGENCY',
          field: 'regencyCode',
        });
    });

    it('refuses a group already registered', () => {
      spec
        .given([kubeRegistered])
        .when(registerKube())
        .thenThrows(DomainError, { kind: 'rule', code: 'RECIPIENT_ALREADY_REGISTERED' });
    });
  });

  describe('DisburseAid', () => {
    it('records the aid, worth the sum of quantity × unit price, with kind, regency and year', () => {
      spec.given([rseRegistered()]).when(disburse()).then([disbursed()]);
    });

    it('refuses a disbursement id that names another recipient', () => {
      spec
        .given([rseRegistered()])
        .when(disburse({ disbursementId: 'rse-999.1' }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'FOREIGN_DISBURSEMENT_ID' });
    });

    it('records aid to a KUBe with its kind and regency', () => {
      const items: AidItem[] = [
        { description: 'Keramba jaring apung', quantity: 4, unitPriceRupiah: 3_500_000 },
        { description: 'Bibit ikan nila (ekor)', quantity: 20_000, unitPriceRupiah: 300 },
      ];
      spec
        .given([kubeRegistered])
        .when(disburse({ disbursementId: `${KUBE_ID}.1`, form: 'MATERIALS', items }))
        .then([
          {
            type: 'AidDisbursed',
            data: {
              recipientId: KUBE_ID,
              disbursementId: `${KUBE_ID}.1`,
              kind: 'KUBE',
              regencyCode: KUTAI_BARAT,
              year: 2025,
              form: 'MATERIALS',
              items,
              valueRupiah: 20_000_000,
              disbursedOn: DISBURSED_ON,
            },
          },
        ]);
    });

    it('refuses an unknown recipient', () => {
      spec
        .given([])
        .when(disburse())
        .thenThrows(DomainError, { kind: 'not_found', code: 'RECIPIENT_NOT_FOUND' });
    });

    it('refuses a recipient whose registration an older log abandoned', () => {
      spec
        .given([registrationAbandoned()])
        .when(disburse())
        .thenThrows(DomainError, { kind: 'not_found', code: 'RECIPIENT_NOT_FOUND' });
    });

    it('refuses a recipient who holds a disbursement already', () => {
      spec
        .given(aided())
        .when(disburse({ disbursementId: `${RSE_ID}.2` }))
        .thenThrows(DomainError, { kind: 'rule', code: 'ALREADY_DISBURSED' });
    });

    it('allows a new disbursement, under the next id, once the last one is reversed', () => {
      spec
        .given([...aided(), reversed()])
        .when(disburse({ disbursementId: `${RSE_ID}.2`, disbursedOn: TODAY }))
        .then([disbursed({ disbursementId: `${RSE_ID}.2`, disbursedOn: TODAY })]);
    });

    it('refuses to reuse the id of a reversed disbursement', () => {
      spec
        .given([...aided(), reversed()])
        .when(disburse())
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
    });

    it('refuses the id of a disbursement an older log abandoned', () => {
      spec
        .given([rseRegistered(), disbursementAbandoned(`${RSE_ID}.1`)])
        .when(disburse())
        .thenThrows(DomainError, { kind: 'rule', code: 'DISBURSEMENT_ID_TAKEN' });
    });

    it('accepts the next id after one an older log abandoned', () => {
      spec
        .given([rseRegistered(), disbursementAbandoned(`${RSE_ID}.1`)])
        .when(disburse({ disbursementId: `${RSE_ID}.2` }))
        .then([disbursed({ disbursementId: `${RSE_ID}.2` })]);
    });

    it.each([
      ['29 February of a common year', '2025-02-29'],
      ['a date written day first', '10-03-2025'],
      ['an instant', '2025-03-10T09:00:00+08:00'],
      ['nothing', ''],
    ])('refuses %s as INVALID_DATE', (_label, disbursedOn) => {
      spec
        .given([rseRegistered()])
        .when(disburse({ disbursedOn }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_DATE', field: 'disbursedOn' });
    });

    it('refuses a date outside the year of the quota', () => {
      spec
        .given([rseRegistered()])
        .when(disburse({ year: 2025, disbursedOn: '2024-12-31', today: '2025-01-02' }))
        .thenThrows(DomainError, {
          kind: 'invalid',
          code: 'DATE_NOT_IN_YEAR',
          field: 'disbursedOn',
        });
    });

    it('refuses a date after today', () => {
      spec
        .given([rseRegistered()])
        .when(disburse({ disbursedOn: '2025-03-16', today: TODAY }))
        .thenThrows(DomainError, { kind: 'rule', code: 'DATE_IN_FUTURE', field: 'disbursedOn' });
    });

    it('accepts aid disbursed today', () => {
      spec
        .given([rseRegistered()])
        .when(disburse({ disbursedOn: TODAY, today: TODAY }))
        .then([disbursed({ disbursedOn: TODAY })]);
    });

    it.each([
      ['zero', 0],
      ['fractional', 1.5],
      ['negative', -2],
    ])('refuses a %s quantity, pointing at the item', (_label, quantity) => {
      const items = [ITEMS[0], { ...ITEMS[1], quantity }];
      spec.given([rseRegistered()]).when(disburse({ items })).thenThrows(DomainError, {
        kind: 'invalid',
        code: 'INVALID_QUANTITY',
        field: 'items.1.quantity',
      });
    });

    it.each([
      ['negative', -75_000],
      ['fractional', 74_999.5],
    ])('refuses a %s unit price, pointing at the item', (_label, unitPriceRupiah) => {
      const items = [{ ...ITEMS[0], unitPriceRupiah }, ITEMS[1]];
      spec.given([rseRegistered()]).when(disburse({ items })).thenThrows(DomainError, {
        kind: 'invalid',
        code: 'INVALID_PRICE',
        field: 'items.0.unitPriceRupiah',
      });
    });

    it('accepts an item given free among items of value', () => {
      const items = [...ITEMS, { description: 'Celemek', quantity: 2, unitPriceRupiah: 0 }];
      spec
        .given([rseRegistered()])
        .when(disburse({ items }))
        .then([disbursed({ items, valueRupiah: 5_000_000 })]);
    });

    it('refuses aid worth nothing', () => {
      const items = [{ description: 'Brosur usaha', quantity: 10, unitPriceRupiah: 0 }];
      spec
        .given([rseRegistered()])
        .when(disburse({ items }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'VALUE_ZERO', field: 'items' });
    });

    it('refuses aid with no items', () => {
      spec
        .given([rseRegistered()])
        .when(disburse({ items: [] }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'VALUE_ZERO', field: 'items' });
    });
  });

  describe('ReverseDisbursement', () => {
    const reverse = (disbursementId = `${RSE_ID}.1`): RecipientCommand => ({
      type: 'ReverseDisbursement',
      disbursementId,
      reason: 'Penerima pindah domisili ke luar provinsi',
      today: '2025-04-02',
    });

    it('reverses the disbursement with its kind, regency, year and value, dated today', () => {
      spec
        .given(aided())
        .when(reverse())
        .then([
          reversed({
            reason: 'Penerima pindah domisili ke luar provinsi',
            reversedOn: '2025-04-02',
          }),
        ]);
    });

    it('reverses a KUBe disbursement with the KUBe’s kind and regency', () => {
      spec
        .given([
          kubeRegistered,
          disbursed({
            recipientId: KUBE_ID,
            disbursementId: `${KUBE_ID}.1`,
            kind: 'KUBE',
            regencyCode: KUTAI_BARAT,
            year: 2024,
            valueRupiah: 19_800_000,
            disbursedOn: '2024-11-05',
          }),
        ])
        .when(reverse(`${KUBE_ID}.1`))
        .then([
          reversed({
            recipientId: KUBE_ID,
            disbursementId: `${KUBE_ID}.1`,
            kind: 'KUBE',
            regencyCode: KUTAI_BARAT,
            year: 2024,
            valueRupiah: 19_800_000,
            reason: 'Penerima pindah domisili ke luar provinsi',
            reversedOn: '2025-04-02',
          }),
        ]);
    });

    it('refuses an unknown disbursement', () => {
      spec
        .given(aided())
        .when(reverse(`${RSE_ID}.2`))
        .thenThrows(DomainError, { kind: 'not_found', code: 'DISBURSEMENT_NOT_FOUND' });
    });

    it('refuses a disbursement of an unknown recipient', () => {
      spec
        .given([])
        .when(reverse())
        .thenThrows(DomainError, { kind: 'not_found', code: 'DISBURSEMENT_NOT_FOUND' });
    });

    it('refuses a disbursement an older log abandoned: it never happened', () => {
      spec
        .given([rseRegistered(), disbursementAbandoned(`${RSE_ID}.1`)])
        .when(reverse())
        .thenThrows(DomainError, { kind: 'not_found', code: 'DISBURSEMENT_NOT_FOUND' });
    });

    it('refuses a disbursement already reversed', () => {
      spec
        .given([...aided(), reversed()])
        .when(reverse())
        .thenThrows(DomainError, { kind: 'rule', code: 'ALREADY_REVERSED' });
    });

    it('refuses an earlier reversed disbursement while a later one is live', () => {
      spec
        .given(aidedAgain())
        .when(reverse())
        .thenThrows(DomainError, { kind: 'rule', code: 'ALREADY_REVERSED' });
    });

    it('reverses the live disbursement after an earlier reversal', () => {
      spec
        .given(aidedAgain())
        .when(reverse(`${RSE_ID}.2`))
        .then([
          reversed({
            disbursementId: `${RSE_ID}.2`,
            reason: 'Penerima pindah domisili ke luar provinsi',
            reversedOn: '2025-04-02',
          }),
        ]);
    });
  });

  describe('RecordMonitoring', () => {
    it('records the visit against the live disbursement', () => {
      spec
        .given(aided())
        .when(monitoring())
        .then([
          {
            type: 'MonitoringRecorded',
            data: {
              recipientId: RSE_ID,
              disbursementId: `${RSE_ID}.1`,
              visitDate: '2025-06-12',
              businessStatus: 'GROWING',
              monthlyTurnoverRupiah: 3_500_000,
              workers: 2,
              workersFromPoorHouseholds: 1,
              challenges: ['MARKET_COMPETITION'],
            },
          },
        ]);
    });

    it('keeps the notes when they are given, and leaves them out otherwise', () => {
      const [withNotes] = decide(aided(), monitoring({ notes: 'Pesanan naik menjelang Lebaran' }));
      expect(withNotes.data).toMatchObject({ notes: 'Pesanan naik menjelang Lebaran' });
      const [withoutNotes] = decide(aided(), monitoring());
      expect(Object.keys(withoutNotes.data)).not.toContain('notes');
    });

    it('records a closed business and why it failed', () => {
      spec
        .given(aided())
        .when(
          monitoring({
            businessStatus: 'CLOSED',
            monthlyTurnoverRupiah: 0,
            workers: 0,
            workersFromPoorHouseholds: 0,
            challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
          }),
        )
        .then([
          {
            type: 'MonitoringRecorded',
            data: {
              recipientId: RSE_ID,
              disbursementId: `${RSE_ID}.1`,
              visitDate: '2025-06-12',
              businessStatus: 'CLOSED',
              monthlyTurnoverRupiah: 0,
              workers: 0,
              workersFromPoorHouseholds: 0,
              challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
            },
          },
        ]);
    });

    it('accepts as many workers from poor households as workers', () => {
      expect(
        decide(aided(), monitoring({ workers: 3, workersFromPoorHouseholds: 3 })),
      ).toHaveLength(1);
    });

    it.each([
      ['workers', -1],
      ['workersFromPoorHouseholds', 0.5],
      ['monthlyTurnoverRupiah', -1000],
    ] as const)('refuses %s of %d: counts and rupiah are whole numbers from 0', (field, value) => {
      spec
        .given(aided())
        .when(monitoring({ [field]: value }))
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_NUMBER', field });
    });

    it('refuses more workers from poor households than workers', () => {
      spec
        .given(aided())
        .when(monitoring({ workers: 2, workersFromPoorHouseholds: 3 }))
        .thenThrows(DomainError, {
          kind: 'invalid',
          code: 'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
          field: 'workersFromPoorHouseholds',
        });
    });
  });

  describe('RecordMentoring', () => {
    it('records the mentoring against the live disbursement', () => {
      spec
        .given(aided())
        .when(mentoring())
        .then([
          {
            type: 'MentoringRecorded',
            data: {
              recipientId: RSE_ID,
              disbursementId: `${RSE_ID}.1`,
              partner: 'Disperindagkop Kalimantan Timur',
              topic: 'Pembukuan usaha sederhana',
              date: '2025-05-20',
            },
          },
        ]);
    });
  });

  describe('RecordExhibitionParticipation', () => {
    it('records the exhibition against the live disbursement', () => {
      spec
        .given(aided())
        .when(exhibition())
        .then([
          {
            type: 'ExhibitionParticipationRecorded',
            data: {
              recipientId: RSE_ID,
              disbursementId: `${RSE_ID}.1`,
              name: 'Pameran UMKM Samarinda Fair 2025',
              date: '2025-06-01',
            },
          },
        ]);
    });
  });

  describe.each([
    {
      command: 'RecordMonitoring',
      field: 'visitDate',
      on: (date: string, today = LATER): RecipientCommand => monitoring({ visitDate: date, today }),
    },
    {
      command: 'RecordMentoring',
      field: 'date',
      on: (date: string, today = LATER): RecipientCommand => mentoring({ date, today }),
    },
    {
      command: 'RecordExhibitionParticipation',
      field: 'date',
      on: (date: string, today = LATER): RecipientCommand => exhibition({ date, today }),
    },
  ])('$command follows up aid that stands', ({ field, on }) => {
    it('refuses an unknown recipient', () => {
      spec
        .given([])
        .when(on('2025-06-01'))
        .thenThrows(DomainError, { kind: 'not_found', code: 'RECIPIENT_NOT_FOUND' });
    });

    it('refuses a recipient whose registration an older log abandoned', () => {
      spec
        .given([registrationAbandoned()])
        .when(on('2025-06-01'))
        .thenThrows(DomainError, { kind: 'not_found', code: 'RECIPIENT_NOT_FOUND' });
    });

    it('refuses a recipient who received no aid', () => {
      spec
        .given([rseRegistered()])
        .when(on('2025-06-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'NOT_DISBURSED' });
    });

    it('refuses a recipient whose only aid was reversed', () => {
      spec
        .given([...aided(), reversed()])
        .when(on('2025-06-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'NOT_DISBURSED' });
    });

    it('refuses a recipient whose only disbursement an older log abandoned', () => {
      spec
        .given([rseRegistered(), disbursementAbandoned(`${RSE_ID}.1`)])
        .when(on('2025-06-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'NOT_DISBURSED' });
    });

    it.each(['2025-06-31', '01-06-2025', ''])('refuses %j as INVALID_DATE', (date) => {
      spec
        .given(aided())
        .when(on(date))
        .thenThrows(DomainError, { kind: 'invalid', code: 'INVALID_DATE', field });
    });

    it('refuses a date before the aid was disbursed', () => {
      spec
        .given(aided())
        .when(on('2025-03-09'))
        .thenThrows(DomainError, { kind: 'rule', code: 'DATE_BEFORE_DISBURSEMENT', field });
    });

    it('refuses a date before the live disbursement, though after a reversed one', () => {
      spec
        .given(aidedAgain())
        .when(on('2025-04-01'))
        .thenThrows(DomainError, { kind: 'rule', code: 'DATE_BEFORE_DISBURSEMENT', field });
    });

    it('refuses a date after today', () => {
      spec
        .given(aided())
        .when(on('2025-06-21', LATER))
        .thenThrows(DomainError, { kind: 'rule', code: 'DATE_IN_FUTURE', field });
    });

    it('accepts the day of the disbursement and today', () => {
      expect(decide(aided(), on(DISBURSED_ON))).toHaveLength(1);
      expect(decide(aided(), on(LATER, LATER))).toHaveLength(1);
    });

    it('refers to the live disbursement, not to a reversed one', () => {
      const [event] = decide(aidedAgain(), on('2025-06-01'));
      expect(event.data).toMatchObject({ recipientId: RSE_ID, disbursementId: `${RSE_ID}.2` });
    });
  });
});

describe('nextDisbursementId', () => {
  const stateAfter = (events: RecipientEvent[]) => fold(recipientDecider, events);

  it('numbers the first disbursement 1', () => {
    expect(nextDisbursementId(RSE_ID, stateAfter([rseRegistered()]))).toBe('rse-001.1');
  });

  it('counts a disbursement, reversed or not', () => {
    expect(nextDisbursementId(RSE_ID, stateAfter(aided()))).toBe('rse-001.2');
    expect(nextDisbursementId(RSE_ID, stateAfter([...aided(), reversed()]))).toBe('rse-001.2');
  });

  it('skips the id of a disbursement an older log abandoned, so that it is never used', () => {
    expect(
      nextDisbursementId(
        RSE_ID,
        stateAfter([rseRegistered(), disbursementAbandoned(`${RSE_ID}.1`)]),
      ),
    ).toBe('rse-001.2');
  });

  it('counts disbursements and the ones an older log abandoned together', () => {
    const events = [
      rseRegistered(),
      disbursementAbandoned(`${RSE_ID}.1`),
      disbursed({ disbursementId: `${RSE_ID}.2` }),
      reversed({ disbursementId: `${RSE_ID}.2` }),
    ];
    expect(nextDisbursementId(RSE_ID, stateAfter(events))).toBe('rse-001.3');
  });

  it('gives an id that the recipient accepts', () => {
    const events = [...aidedAgain(), reversed({ disbursementId: `${RSE_ID}.2` })];
    const disbursementId = nextDisbursementId(RSE_ID, stateAfter(events));
    expect(decide(events, disburse({ disbursementId, disbursedOn: TODAY }))).toEqual([
      disbursed({ disbursementId: 'rse-001.3', disbursedOn: TODAY }),
    ]);
  });
});

describe('recipientIdOf', () => {
  it('reads the recipient from a disbursement id', () => {
    expect(recipientIdOf('rse-001.3')).toBe('rse-001');
  });

  it('reads up to the last dot, so a recipient id may hold dots', () => {
    expect(recipientIdOf('kube.2025.samarinda.12')).toBe('kube.2025.samarinda');
  });

  it.each(['rse-001', '.1', ''])('gives an empty id for %j, which is not of that form', (id) => {
    expect(recipientIdOf(id)).toBe('');
  });

  it('reverses nextDisbursementId', () => {
    const state = fold(recipientDecider, aided());
    expect(recipientIdOf(nextDisbursementId(RSE_ID, state))).toBe(RSE_ID);
  });
});

describe('aidValue', () => {
  it('sums quantity × unit price in whole rupiah', () => {
    expect(aidValue(ITEMS)).toBe(5_000_000);
  });

  it('is zero for no items', () => {
    expect(aidValue([])).toBe(0);
  });
});
