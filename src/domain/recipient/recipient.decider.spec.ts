import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError, type DomainErrorKind } from '../domain-error';
import type {
  AidItem,
  DisburseAid,
  KubeMemberInput,
  KubeRegistration,
  RecipientCommand,
  RecordExhibitionParticipation,
  RecordMentoring,
  RecordMonitoring,
  RegisterRecipient,
  RseRegistration,
} from './recipient.commands';
import { recipientDecider } from './recipient.decider';
import { aidValue, nextDisbursementId, recipientIdOf } from './recipient.disbursement';
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
  dataKeyId: 'key-rse',
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
    dataKeyId: 'key-rse',
    ...overrides,
  },
});

/** Five members of a fish-farming KUBe in Kutai Barat: men and women alike. */
const MEMBERS: readonly KubeMemberInput[] = [
  ['Rahmat Hidayat', 'CHAIR', '6407031505850011'],
  ['Nur Aisyah', 'SECRETARY', '6407034708880012'],
  ['Budi Santoso', 'TREASURER', '6407030102790013'],
  ['Dewi Lestari', 'MEMBER', '6407036110920014'],
  ['Agus Salim', 'MEMBER', '6407032012800015'],
].map(([name, role, nik], index) => ({
  name,
  role: role as KubeMemberInput['role'],
  nik,
  nikHash: `hash-m${index + 1}`,
  dataKeyId: `key-m${index + 1}`,
}));

/** A fresh copy, for a spec to change one member. */
const memberInputs = (): KubeMemberInput[] => MEMBERS.map((member) => ({ ...member }));

/** The five members with the one at `index` changed. */
const withMember = (index: number, change: Partial<KubeMemberInput>): KubeMemberInput[] =>
  MEMBERS.map((member, at) => ({ ...member, ...(at === index ? change : {}) }));

/** The members as the event keeps them: NIK hashed and masked. */
const storedMembers = (members: readonly KubeMemberInput[] = MEMBERS): KubeMember[] =>
  members.map(({ name, role, nik, nikHash, dataKeyId }) => ({
    name,
    role,
    nikHash,
    nikMasked: `6407********${nik.slice(12)}`,
    dataKeyId,
  }));

const registerKube = (
  members: KubeMemberInput[] = memberInputs(),
  regencyCode = KUTAI_BARAT,
): RegisterRecipient => ({
  type: 'RegisterRecipient',
  recipientId: KUBE_ID,
  registration: {
    kind: 'KUBE',
    regencyCode,
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    dataKeyId: 'key-kube',
    members,
  },
});

const kubeRegistered = (members: KubeMember[] = storedMembers()): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: KUBE_ID,
    kind: 'KUBE',
    regencyCode: KUTAI_BARAT,
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    dataKeyId: 'key-kube',
    members,
  },
});

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

/** What a first disbursement and its reversal name: the RSE woman's, or the KUBe's. */
const RSE_AID = {
  recipientId: RSE_ID,
  disbursementId: `${RSE_ID}.1`,
  kind: 'RSE',
  regencyCode: SAMARINDA,
} as const;
const KUBE_AID = {
  recipientId: KUBE_ID,
  disbursementId: `${KUBE_ID}.1`,
  kind: 'KUBE',
  regencyCode: KUTAI_BARAT,
} as const;

const disbursed = (overrides: Partial<AidDisbursed['data']> = {}): RecipientEvent => ({
  type: 'AidDisbursed',
  data: {
    ...RSE_AID,
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
    ...RSE_AID,
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

/** Her aid was reversed, and she holds none. */
const aidReversed = (): RecipientEvent[] => [...aided(), reversed()];

/** She is registered, and an older log abandoned her first disbursement (.1). */
const aidAbandoned = (): RecipientEvent[] => [
  rseRegistered(),
  disbursementAbandoned(`${RSE_ID}.1`),
];

/** She received aid, it was reversed, and she received it again (disbursement .2) in April. */
const aidedAgain = (): RecipientEvent[] => [
  ...aidReversed(),
  disbursed({ disbursementId: `${RSE_ID}.2`, disbursedOn: '2025-04-07' }),
];

/** A monitoring visit as the operator records it, and as its event keeps it. */
const VISIT: Omit<RecordMonitoring, 'type' | 'today'> = {
  visitDate: '2025-06-12',
  businessStatus: 'GROWING',
  monthlyTurnoverRupiah: 3_500_000,
  workers: 2,
  workersFromPoorHouseholds: 1,
  challenges: ['MARKET_COMPETITION'],
};

const MENTORING: Omit<RecordMentoring, 'type' | 'today'> = {
  partner: 'Disperindagkop Kalimantan Timur',
  topic: 'Pembukuan usaha sederhana',
  date: '2025-05-20',
};

const EXHIBITION: Omit<RecordExhibitionParticipation, 'type' | 'today'> = {
  name: 'Pameran UMKM Samarinda Fair 2025',
  date: '2025-06-01',
};

const monitoring = (overrides: Partial<RecordMonitoring> = {}): RecordMonitoring => ({
  type: 'RecordMonitoring',
  ...VISIT,
  today: LATER,
  ...overrides,
});

const mentoring = (overrides: Partial<RecordMentoring> = {}): RecordMentoring => ({
  type: 'RecordMentoring',
  ...MENTORING,
  today: LATER,
  ...overrides,
});

const exhibition = (
  overrides: Partial<RecordExhibitionParticipation> = {},
): RecordExhibitionParticipation => ({
  type: 'RecordExhibitionParticipation',
  ...EXHIBITION,
  today: LATER,
  ...overrides,
});

type FollowUp = Extract<
  RecipientEvent,
  { type: 'MonitoringRecorded' | 'MentoringRecorded' | 'ExhibitionParticipationRecorded' }
>;

/** A follow-up event of her first disbursement (TypeScript cannot narrow the generic pair). */
const followUp = <Type extends FollowUp['type']>(
  type: Type,
  data: Omit<Extract<FollowUp, { type: Type }>['data'], 'recipientId' | 'disbursementId'>,
): RecipientEvent =>
  ({
    type,
    data: { recipientId: RSE_ID, disbursementId: `${RSE_ID}.1`, ...data },
  }) as unknown as FollowUp;

/** The events a command causes after `events`, for checks beyond equality. */
const decide = (events: RecipientEvent[], command: RecipientCommand): RecipientEvent[] =>
  recipientDecider.decide(command, fold(recipientDecider, events));

/** A refusal as `thenThrows` checks it: kind, code and, where the refusal names one, the field. */
const refusal = (kind: DomainErrorKind, code: string, field?: string) =>
  field === undefined ? { kind, code } : { kind, code, field };

/** Cases that differ only in data: a title, then given, when and the expected events or refusal. */
type Case<Expected> = [title: string, given: RecipientEvent[], when: RecipientCommand, Expected];

const itDecides = (cases: Case<RecipientEvent[]>[]) =>
  it.each(cases)('%s', (_title, given, command, events) => {
    spec.given(given).when(command).then(events);
  });

const itRefuses = (cases: Case<ReturnType<typeof refusal>>[]) =>
  it.each(cases)('%s', (_title, given, command, error) => {
    spec.given(given).when(command).thenThrows(DomainError, error);
  });

describe('recipientDecider', () => {
  describe('RegisterRecipient (RSE)', () => {
    const contact = { phone: '081254321098', address: 'Jl. Juanda No. 7, Samarinda Ulu' };

    itDecides([
      ['registers the woman with her NIK hashed and masked', [], registerRse(), [rseRegistered()]],
      [
        'keeps phone and address when they are given',
        [],
        registerRse(contact),
        [rseRegistered(contact)],
      ],
      [
        'does not require the NIK region to match the domicile',
        [],
        registerRse({ nik: '7371024508870003' }),
        [rseRegistered({ nikMasked: '7371********0003' })],
      ],
    ]);

    it('never stores the NIK in clear', () => {
      const events = decide([], registerRse({ phone: '081254321098', address: 'Jl. Juanda 7' }));
      expect(JSON.stringify(events)).not.toContain(FEMALE_NIK);
    });

    it('leaves phone and address out when they are not given', () => {
      const [event] = decide([], registerRse());
      expect(Object.keys(event.data)).not.toContain('phone');
      expect(Object.keys(event.data)).not.toContain('address');
    });

    itRefuses([
      [
        'refuses a NIK not marked female: RSE aid is for women',
        [],
        registerRse({ nik: MALE_NIK }),
        refusal('invalid', 'NIK_NOT_FEMALE', 'nik'),
      ],
      [
        'refuses a recipient already registered',
        [rseRegistered()],
        registerRse(),
        refusal('rule', 'RECIPIENT_ALREADY_REGISTERED'),
      ],
      [
        'refuses a registration an older log abandoned, as REGISTRATION_ABANDONED',
        [registrationAbandoned()],
        registerRse(),
        refusal('rule', 'REGISTRATION_ABANDONED'),
      ],
    ]);

    it.each([
      ['too short', '647205520390001'],
      ['with a 00 district', '6472005203900001'],
      ['with an impossible date', '6472057202900001'],
      ['with serial 0000', '6472055203900000'],
    ])('refuses a NIK %s as INVALID_NIK', (_label, nik) => {
      spec
        .given([])
        .when(registerRse({ nik }))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_NIK', 'nik'));
    });

    it.each([
      ['a code that no regency has', '64.05'],
      ['a BPS code', '6472'],
      ['a regency of another province', '65.01'],
    ])('refuses %s as UNKNOWN_REGENCY', (_label, regencyCode) => {
      spec
        .given([])
        .when(registerRse({ regencyCode }))
        .thenThrows(DomainError, refusal('invalid', 'UNKNOWN_REGENCY', 'regencyCode'));
    });
  });

  describe('RegisterRecipient (KUBe)', () => {
    /** Five NIKs not marked female. */
    const men = [
      '6407031505850011',
      '6407030102790013',
      '6407032012800015',
      '6407032507900016',
      '6407030911950017',
    ];
    const menOnly = MEMBERS.map((member, index) => ({ ...member, nik: men[index] }));
    const notFive = refusal('invalid', 'KUBE_NOT_FIVE_MEMBERS', 'members');
    const noSingleChair = refusal('invalid', 'ONE_CHAIR_REQUIRED', 'members');

    itDecides([
      [
        'registers a group of five, each NIK hashed and masked',
        [],
        registerKube(),
        [kubeRegistered()],
      ],
      [
        'accepts a group of men only: the female marker is for RSE women',
        [],
        registerKube(menOnly),
        [kubeRegistered(storedMembers(menOnly))],
      ],
    ]);

    it('never stores a member’s NIK in clear', () => {
      const json = JSON.stringify(decide([], registerKube()));
      MEMBERS.forEach(({ nik }) => expect(json).not.toContain(nik));
    });

    itRefuses([
      ['refuses four members', [], registerKube(memberInputs().slice(0, 4)), notFive],
      [
        'refuses six members',
        [],
        registerKube([
          ...memberInputs(),
          {
            name: 'Yusuf Maulana',
            role: 'MEMBER',
            nik: '6407031107830016',
            nikHash: 'hash-m6',
            dataKeyId: 'key-m6',
          },
        ]),
        notFive,
      ],
      ['refuses no members', [], registerKube([]), notFive],
      [
        'refuses a NIK that appears twice, pointing at the repeat',
        [],
        registerKube(withMember(3, { nik: MEMBERS[1].nik })),
        refusal('invalid', 'DUPLICATE_MEMBER_NIK', 'members.3.nik'),
      ],
      [
        'refuses a group without a chair',
        [],
        registerKube(MEMBERS.map((member) => ({ ...member, role: 'MEMBER' }))),
        noSingleChair,
      ],
      [
        'refuses a group with two chairs',
        [],
        registerKube(withMember(4, { role: 'CHAIR' })),
        noSingleChair,
      ],
      [
        'refuses an invalid member NIK, pointing at the member',
        [],
        registerKube(withMember(2, { nik: '6407033502790013' })),
        refusal('invalid', 'INVALID_NIK', 'members.2.nik'),
      ],
      [
        'refuses an unknown regency',
        [],
        registerKube(memberInputs(), '64.04'),
        refusal('invalid', 'UNKNOWN_REGENCY', 'regencyCode'),
      ],
      [
        'refuses a group already registered',
        [kubeRegistered()],
        registerKube(),
        refusal('rule', 'RECIPIENT_ALREADY_REGISTERED'),
      ],
    ]);
  });

  describe('DisburseAid', () => {
    const keramba: AidItem[] = [
      { description: 'Keramba jaring apung', quantity: 4, unitPriceRupiah: 3_500_000 },
      { description: 'Bibit ikan nila (ekor)', quantity: 20_000, unitPriceRupiah: 300 },
    ];
    const withFreeApron = [...ITEMS, { description: 'Celemek', quantity: 2, unitPriceRupiah: 0 }];

    itDecides([
      [
        'records the aid, worth the sum of quantity × unit price, with kind, regency and year',
        [rseRegistered()],
        disburse(),
        [disbursed()],
      ],
      [
        'records aid to a KUBe with its kind and regency',
        [kubeRegistered()],
        disburse({ disbursementId: `${KUBE_ID}.1`, form: 'MATERIALS', items: keramba }),
        [disbursed({ ...KUBE_AID, form: 'MATERIALS', items: keramba, valueRupiah: 20_000_000 })],
      ],
      [
        'allows a new disbursement, under the next id, once the last one is reversed',
        aidReversed(),
        disburse({ disbursementId: `${RSE_ID}.2`, disbursedOn: TODAY }),
        [disbursed({ disbursementId: `${RSE_ID}.2`, disbursedOn: TODAY })],
      ],
      [
        'accepts the next id after one an older log abandoned',
        aidAbandoned(),
        disburse({ disbursementId: `${RSE_ID}.2` }),
        [disbursed({ disbursementId: `${RSE_ID}.2` })],
      ],
      [
        'accepts aid disbursed today',
        [rseRegistered()],
        disburse({ disbursedOn: TODAY, today: TODAY }),
        [disbursed({ disbursedOn: TODAY })],
      ],
      [
        'accepts an item given free among items of value',
        [rseRegistered()],
        disburse({ items: withFreeApron }),
        [disbursed({ items: withFreeApron, valueRupiah: 5_000_000 })],
      ],
    ]);

    itRefuses([
      [
        'refuses a disbursement id that names another recipient',
        [rseRegistered()],
        disburse({ disbursementId: 'rse-999.1' }),
        refusal('invalid', 'FOREIGN_DISBURSEMENT_ID'),
      ],
      ['refuses an unknown recipient', [], disburse(), refusal('not_found', 'RECIPIENT_NOT_FOUND')],
      [
        'refuses a recipient whose registration an older log abandoned',
        [registrationAbandoned()],
        disburse(),
        refusal('not_found', 'RECIPIENT_NOT_FOUND'),
      ],
      [
        'refuses a recipient who holds a disbursement already',
        aided(),
        disburse({ disbursementId: `${RSE_ID}.2` }),
        refusal('rule', 'ALREADY_DISBURSED'),
      ],
      [
        'refuses to reuse the id of a reversed disbursement',
        aidReversed(),
        disburse(),
        refusal('rule', 'DISBURSEMENT_ID_TAKEN'),
      ],
      [
        'refuses the id of a disbursement an older log abandoned',
        aidAbandoned(),
        disburse(),
        refusal('rule', 'DISBURSEMENT_ID_TAKEN'),
      ],
      [
        'refuses a date outside the year of the quota',
        [rseRegistered()],
        disburse({ year: 2025, disbursedOn: '2024-12-31', today: '2025-01-02' }),
        refusal('invalid', 'DATE_NOT_IN_YEAR', 'disbursedOn'),
      ],
      [
        'refuses a date after today',
        [rseRegistered()],
        disburse({ disbursedOn: '2025-03-16', today: TODAY }),
        refusal('rule', 'DATE_IN_FUTURE', 'disbursedOn'),
      ],
      [
        'refuses aid worth nothing',
        [rseRegistered()],
        disburse({ items: [{ description: 'Brosur usaha', quantity: 10, unitPriceRupiah: 0 }] }),
        refusal('invalid', 'VALUE_ZERO', 'items'),
      ],
      [
        'refuses aid with no items',
        [rseRegistered()],
        disburse({ items: [] }),
        refusal('invalid', 'VALUE_ZERO', 'items'),
      ],
    ]);

    it.each([
      ['29 February of a common year', '2025-02-29'],
      ['a date written day first', '10-03-2025'],
      ['an instant', '2025-03-10T09:00:00+08:00'],
      ['nothing', ''],
    ])('refuses %s as INVALID_DATE', (_label, disbursedOn) => {
      spec
        .given([rseRegistered()])
        .when(disburse({ disbursedOn }))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_DATE', 'disbursedOn'));
    });

    it.each([
      ['zero', 0],
      ['fractional', 1.5],
      ['negative', -2],
    ])('refuses a %s quantity, pointing at the item', (_label, quantity) => {
      spec
        .given([rseRegistered()])
        .when(disburse({ items: [ITEMS[0], { ...ITEMS[1], quantity }] }))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_QUANTITY', 'items.1.quantity'));
    });

    it.each([
      ['negative', -75_000],
      ['fractional', 74_999.5],
    ])('refuses a %s unit price, pointing at the item', (_label, unitPriceRupiah) => {
      spec
        .given([rseRegistered()])
        .when(disburse({ items: [{ ...ITEMS[0], unitPriceRupiah }, ITEMS[1]] }))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_PRICE', 'items.0.unitPriceRupiah'));
    });
  });

  describe('ReverseDisbursement', () => {
    const reason = 'Penerima pindah domisili ke luar provinsi';
    const today = '2025-04-02';
    const reverse = (disbursementId = `${RSE_ID}.1`): RecipientCommand => ({
      type: 'ReverseDisbursement',
      disbursementId,
      reason,
      today,
    });
    /** A KUBe aid of 2024, worth less than the ceiling. */
    const kubeAid2024 = { ...KUBE_AID, year: 2024, valueRupiah: 19_800_000 };

    itDecides([
      [
        'reverses the disbursement with its kind, regency, year and value, dated today',
        aided(),
        reverse(),
        [reversed({ reason, reversedOn: today })],
      ],
      [
        'reverses a KUBe disbursement with the KUBe’s kind and regency',
        [kubeRegistered(), disbursed({ ...kubeAid2024, disbursedOn: '2024-11-05' })],
        reverse(`${KUBE_ID}.1`),
        [reversed({ ...kubeAid2024, reason, reversedOn: today })],
      ],
      [
        'reverses the live disbursement after an earlier reversal',
        aidedAgain(),
        reverse(`${RSE_ID}.2`),
        [reversed({ disbursementId: `${RSE_ID}.2`, reason, reversedOn: today })],
      ],
    ]);

    itRefuses([
      [
        'refuses an unknown disbursement',
        aided(),
        reverse(`${RSE_ID}.2`),
        refusal('not_found', 'DISBURSEMENT_NOT_FOUND'),
      ],
      [
        'refuses a disbursement of an unknown recipient',
        [],
        reverse(),
        refusal('not_found', 'DISBURSEMENT_NOT_FOUND'),
      ],
      [
        'refuses a disbursement an older log abandoned: it never happened',
        aidAbandoned(),
        reverse(),
        refusal('not_found', 'DISBURSEMENT_NOT_FOUND'),
      ],
      [
        'refuses a disbursement already reversed',
        aidReversed(),
        reverse(),
        refusal('rule', 'ALREADY_REVERSED'),
      ],
      [
        'refuses an earlier reversed disbursement while a later one is live',
        aidedAgain(),
        reverse(),
        refusal('rule', 'ALREADY_REVERSED'),
      ],
    ]);
  });

  describe('RecordMonitoring', () => {
    const closed: Partial<typeof VISIT> = {
      businessStatus: 'CLOSED',
      monthlyTurnoverRupiah: 0,
      workers: 0,
      workersFromPoorHouseholds: 0,
      challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
    };

    itDecides([
      [
        'records the visit against the live disbursement',
        aided(),
        monitoring(),
        [followUp('MonitoringRecorded', VISIT)],
      ],
      [
        'records a closed business and why it failed',
        aided(),
        monitoring(closed),
        [followUp('MonitoringRecorded', { ...VISIT, ...closed })],
      ],
    ]);

    it('keeps the notes when they are given, and leaves them out otherwise', () => {
      const [withNotes] = decide(aided(), monitoring({ notes: 'Pesanan naik menjelang Lebaran' }));
      expect(withNotes.data).toMatchObject({ notes: 'Pesanan naik menjelang Lebaran' });
      const [withoutNotes] = decide(aided(), monitoring());
      expect(Object.keys(withoutNotes.data)).not.toContain('notes');
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
        .thenThrows(DomainError, refusal('invalid', 'INVALID_NUMBER', field));
    });

    it('refuses more workers from poor households than workers', () => {
      spec
        .given(aided())
        .when(monitoring({ workers: 2, workersFromPoorHouseholds: 3 }))
        .thenThrows(
          DomainError,
          refusal(
            'invalid',
            'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
            'workersFromPoorHouseholds',
          ),
        );
    });
  });

  describe('RecordMentoring', () => {
    it('records the mentoring against the live disbursement', () => {
      spec
        .given(aided())
        .when(mentoring())
        .then([followUp('MentoringRecorded', MENTORING)]);
    });
  });

  describe('RecordExhibitionParticipation', () => {
    it('records the exhibition against the live disbursement', () => {
      spec
        .given(aided())
        .when(exhibition())
        .then([followUp('ExhibitionParticipationRecorded', EXHIBITION)]);
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
    const inJune = on('2025-06-01');

    itRefuses([
      ['refuses an unknown recipient', [], inJune, refusal('not_found', 'RECIPIENT_NOT_FOUND')],
      [
        'refuses a recipient whose registration an older log abandoned',
        [registrationAbandoned()],
        inJune,
        refusal('not_found', 'RECIPIENT_NOT_FOUND'),
      ],
      [
        'refuses a recipient who received no aid',
        [rseRegistered()],
        inJune,
        refusal('rule', 'NOT_DISBURSED'),
      ],
      [
        'refuses a recipient whose only aid was reversed',
        aidReversed(),
        inJune,
        refusal('rule', 'NOT_DISBURSED'),
      ],
      [
        'refuses a recipient whose only disbursement an older log abandoned',
        aidAbandoned(),
        inJune,
        refusal('rule', 'NOT_DISBURSED'),
      ],
      [
        'refuses a date before the aid was disbursed',
        aided(),
        on('2025-03-09'),
        refusal('rule', 'DATE_BEFORE_DISBURSEMENT', field),
      ],
      [
        'refuses a date before the live disbursement, though after a reversed one',
        aidedAgain(),
        on('2025-04-01'),
        refusal('rule', 'DATE_BEFORE_DISBURSEMENT', field),
      ],
      [
        'refuses a date after today',
        aided(),
        on('2025-06-21', LATER),
        refusal('rule', 'DATE_IN_FUTURE', field),
      ],
    ]);

    it.each(['2025-06-31', '01-06-2025', ''])('refuses %j as INVALID_DATE', (date) => {
      spec
        .given(aided())
        .when(on(date))
        .thenThrows(DomainError, refusal('invalid', 'INVALID_DATE', field));
    });

    it('accepts the day of the disbursement and today', () => {
      expect(decide(aided(), on(DISBURSED_ON))).toHaveLength(1);
      expect(decide(aided(), on(LATER, LATER))).toHaveLength(1);
    });

    it('refers to the live disbursement, not to a reversed one', () => {
      const [event] = decide(aidedAgain(), inJune);
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
    expect(nextDisbursementId(RSE_ID, stateAfter(aidReversed()))).toBe('rse-001.2');
  });

  it('skips the id of a disbursement an older log abandoned, so that it is never used', () => {
    expect(nextDisbursementId(RSE_ID, stateAfter(aidAbandoned()))).toBe('rse-001.2');
  });

  it('counts disbursements and the ones an older log abandoned together', () => {
    const events = [
      ...aidAbandoned(),
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

describe('recipientDecider: free text', () => {
  const invalidText = (field: string) => refusal('invalid', 'INVALID_TEXT', field);
  const kubeNamed = (groupName: string): RegisterRecipient => {
    const command = registerKube();
    return { ...command, registration: { ...command.registration, groupName } as KubeRegistration };
  };

  itRefuses([
    [
      'refuses a name that holds an ANSI escape',
      [],
      registerRse({ name: 'Siti \u001b[2JAminah' }),
      invalidText('name'),
    ],
    ['refuses a name without a letter', [], registerRse({ name: '12345' }), invalidText('name')],
    [
      'refuses a business type with a right-to-left override',
      [],
      registerRse({ businessType: 'Kue \u202ebasah' }),
      invalidText('businessType'),
    ],
    [
      'refuses an address with a NUL',
      [],
      registerRse({ address: 'Jl. Juanda\u0000' }),
      invalidText('address'),
    ],
    [
      'refuses a group name of one zero-width space',
      [],
      kubeNamed('\u200b'),
      invalidText('groupName'),
    ],
    [
      'refuses a member name with U+FFFD, pointing at the member',
      [],
      registerKube(withMember(2, { name: 'Budi \ufffd' })),
      invalidText('members.2.name'),
    ],
    [
      'refuses an item description with a bidi isolate',
      [rseRegistered()],
      disburse({ items: [{ description: 'Oven \u2066gas', quantity: 1, unitPriceRupiah: 1 }] }),
      invalidText('items.0.description'),
    ],
    [
      'refuses a reversal reason of one zero-width space',
      aided(),
      {
        type: 'ReverseDisbursement',
        disbursementId: `${RSE_ID}.1`,
        reason: '\u200b',
        today: TODAY,
      },
      invalidText('reason'),
    ],
    [
      'refuses notes with an escape',
      aided(),
      monitoring({ notes: 'Baik\u001b[0m' }),
      invalidText('notes'),
    ],
    [
      'refuses a mentoring partner with a C1 control',
      aided(),
      mentoring({ partner: 'Disperindagkop\u009b' }),
      invalidText('partner'),
    ],
    [
      'refuses a mentoring topic with a lone surrogate',
      aided(),
      mentoring({ topic: 'Pembukuan \ud800' }),
      invalidText('topic'),
    ],
    [
      'refuses an exhibition name with a BOM',
      aided(),
      exhibition({ name: '\ufeffPameran UMKM' }),
      invalidText('name'),
    ],
  ]);

  it('names the field and the rule', () => {
    expect(() => decide([], registerRse({ name: 'Siti\u0000' }))).toThrow(
      'name must not contain control characters',
    );
    expect(() => decide([], registerRse({ name: '-' }))).toThrow('name must contain a letter');
  });

  it('lets notes break lines, and keeps them', () => {
    const [event] = decide(aided(), monitoring({ notes: 'Pesanan naik\nmenjelang Lebaran' }));
    expect(event.data).toMatchObject({ notes: 'Pesanan naik\nmenjelang Lebaran' });
  });

  it('accepts a NIK first registered in Tarakan when it was Kalimantan Timur’s (64.73)', () => {
    const [event] = decide([], registerRse({ nik: '6473015203900001' }));
    expect(event.data).toMatchObject({ nikMasked: '6473********0001' });
  });

  it.each([
    ['a province that does not exist', '2072055203900001'],
    ['a Kalimantan Timur regency that never existed', '6499055203900001'],
  ])('refuses a NIK with %s as INVALID_NIK', (_label, nik) => {
    spec
      .given([])
      .when(registerRse({ nik }))
      .thenThrows(DomainError, refusal('invalid', 'INVALID_NIK', 'nik'));
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
