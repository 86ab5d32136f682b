import { DeciderSpecification } from '../../../test/helpers/decider-specification';
import { fold } from '../decider';
import { DomainError, type DomainErrorKind } from '../domain-error';
import type {
  CorrectDetails,
  CorrectNik,
  DisburseAid,
  RecipientCommand,
  RecordDeath,
  RecordMove,
  RecordWithdrawal,
  ReplaceMember,
} from './recipient.commands';
import { recipientDecider } from './recipient.decider';
import type { KubeMember, RecipientEvent } from './recipient.events';
import type { RegisteredRecipient } from './recipient.state';

/**
 * Corrections and life events: details, a mistyped NIK, a KUBe member replaced, a move, a death
 * and a withdrawal, and what they change for later aid.
 */
const spec = DeciderSpecification.for(recipientDecider);

const SAMARINDA = '64.72';
const BALIKPAPAN = '64.71';
const KUTAI_BARAT = '64.07';

const RSE_ID = 'rse-001';
const KUBE_ID = 'kube-001';
const TODAY = '2025-09-15';
const REASON = 'Salah ketik saat pendaftaran';

/** A woman born 12 March 1990 (day 52 = 12 + 40), and the NIK she really has (born the 13th). */
const SITI_NIK = { nik: '6472055203900001', nikHash: 'hash-1', nikMasked: '6472********0001' };
const SITI_REAL_NIK = { nik: '6472055303900001', nikHash: 'hash-9' };
const MALE_NIK = { nik: '6472051203900002', nikHash: 'hash-male' };

const rseRegistered = (extra: { phone?: string; address?: string } = {}): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: RSE_ID,
    kind: 'RSE',
    regencyCode: SAMARINDA,
    name: 'Siti Aminah',
    businessType: 'Kue basah',
    nikHash: SITI_NIK.nikHash,
    nikMasked: SITI_NIK.nikMasked,
    ...extra,
  },
});

const MEMBERS: KubeMember[] = [
  ['Rahmat Hidayat', 'CHAIR'],
  ['Nur Aisah', 'SECRETARY'],
  ['Budi Santoso', 'TREASURER'],
  ['Dewi Lestari', 'MEMBER'],
  ['Agus Salim', 'MEMBER'],
].map(([name, role], index) => ({
  name,
  role: role as KubeMember['role'],
  nikHash: `hash-m${index + 1}`,
  nikMasked: `6407********001${index + 1}`,
}));

const kubeRegistered = (): RecipientEvent => ({
  type: 'RecipientRegistered',
  data: {
    recipientId: KUBE_ID,
    kind: 'KUBE',
    regencyCode: KUTAI_BARAT,
    groupName: 'KUBe Mandiri Sejahtera',
    businessType: 'Perikanan air tawar',
    members: MEMBERS,
  },
});

const disbursed = (
  recipientId = RSE_ID,
  regencyCode = SAMARINDA,
  attempt = 1,
  disbursedOn = '2025-03-10',
): RecipientEvent => ({
  type: 'AidDisbursed',
  data: {
    recipientId,
    disbursementId: `${recipientId}.${attempt}`,
    kind: recipientId === RSE_ID ? 'RSE' : 'KUBE',
    regencyCode,
    year: 2025,
    form: 'EQUIPMENT',
    items: [{ description: 'Oven gas', quantity: 1, unitPriceRupiah: 5_000_000 }],
    valueRupiah: 5_000_000,
    disbursedOn,
  },
});

const moved = (movedOn = '2025-06-01', recipientId = RSE_ID): RecipientEvent => ({
  type: 'RecipientMoved',
  data: {
    recipientId,
    fromRegencyCode: recipientId === RSE_ID ? SAMARINDA : KUTAI_BARAT,
    toRegencyCode: BALIKPAPAN,
    movedOn,
    reason: 'Ikut suami pindah kerja',
  },
});

const died = (diedOn = '2025-08-01'): RecipientEvent => ({
  type: 'RecipientDied',
  data: { recipientId: RSE_ID, diedOn, reason: 'Surat kematian kelurahan' },
});

const withdrew = (withdrawnOn = '2025-08-01', recipientId = RSE_ID): RecipientEvent => ({
  type: 'RecipientWithdrew',
  data: { recipientId, withdrawnOn, reason: 'Tidak melanjutkan usaha' },
});

const correctDetails = (fields: Omit<CorrectDetails, 'type' | 'reason'>): CorrectDetails => ({
  type: 'CorrectDetails',
  reason: REASON,
  ...fields,
});

const correctNik = (overrides: Partial<CorrectNik> = {}): CorrectNik => ({
  type: 'CorrectNik',
  newNik: { nik: SITI_REAL_NIK.nik, nikHash: SITI_REAL_NIK.nikHash },
  reason: 'NIK sesuai KTP elektronik',
  ...overrides,
});

/** A woman born 7 August 1988 replaces the secretary, Nur Aisah, who died on 2 July. */
const NEWCOMER = {
  nik: '6407034708880021',
  nikHash: 'hash-new',
  name: 'Maria Ulfah',
  dataKeyId: 'key-new',
};

const replaceMember = (
  overrides: Partial<Omit<ReplaceMember, 'newMember'>> & {
    newMember?: Partial<ReplaceMember['newMember']>;
  } = {},
): ReplaceMember => {
  const { newMember, ...rest } = overrides;
  return {
    type: 'ReplaceMember',
    departure: 'DIED',
    effectiveOn: '2025-07-02',
    leavingNikHash: 'hash-m2',
    reason: 'Meninggal dunia',
    today: TODAY,
    ...rest,
    newMember: { ...NEWCOMER, ...newMember },
  };
};

const memberReplaced = (
  overrides: { effectiveOn?: string; role?: KubeMember['role'] } = {},
): RecipientEvent => ({
  type: 'MemberReplaced',
  data: {
    recipientId: KUBE_ID,
    departure: 'DIED',
    left: MEMBERS[1],
    joined: {
      name: NEWCOMER.name,
      role: overrides.role ?? 'SECRETARY',
      nikHash: NEWCOMER.nikHash,
      nikMasked: '6407********0021',
      dataKeyId: NEWCOMER.dataKeyId,
    },
    effectiveOn: overrides.effectiveOn ?? '2025-07-02',
    reason: 'Meninggal dunia',
  },
});

const move = (overrides: Partial<RecordMove> = {}): RecordMove => ({
  type: 'RecordMove',
  toRegencyCode: BALIKPAPAN,
  movedOn: '2025-06-01',
  reason: 'Ikut suami pindah kerja',
  today: TODAY,
  ...overrides,
});

const death = (overrides: Partial<RecordDeath> = {}): RecordDeath => ({
  type: 'RecordDeath',
  diedOn: '2025-08-01',
  reason: 'Surat kematian kelurahan',
  today: TODAY,
  ...overrides,
});

const withdrawal = (overrides: Partial<RecordWithdrawal> = {}): RecordWithdrawal => ({
  type: 'RecordWithdrawal',
  withdrawnOn: '2025-08-01',
  reason: 'Tidak melanjutkan usaha',
  today: TODAY,
  ...overrides,
});

const disburse = (overrides: Partial<DisburseAid> = {}): DisburseAid => ({
  type: 'DisburseAid',
  disbursementId: `${RSE_ID}.1`,
  year: 2025,
  form: 'EQUIPMENT',
  items: [{ description: 'Oven gas', quantity: 1, unitPriceRupiah: 5_000_000 }],
  disbursedOn: '2025-09-01',
  today: TODAY,
  ...overrides,
});

const refusal = (kind: DomainErrorKind, code: string, field?: string) =>
  field === undefined ? { kind, code } : { kind, code, field };

type Case<Expected> = [title: string, given: RecipientEvent[], when: RecipientCommand, Expected];

const itDecides = (cases: Case<RecipientEvent[]>[]) =>
  it.each(cases)('%s', (_title, given, command, events) => {
    spec.given(given).when(command).then(events);
  });

const itRefuses = (cases: Case<ReturnType<typeof refusal>>[]) =>
  it.each(cases)('%s', (_title, given, command, error) => {
    spec.given(given).when(command).thenThrows(DomainError, error);
  });

const stateAfter = (events: RecipientEvent[]) =>
  fold(recipientDecider, events) as RegisteredRecipient;

const detailsCorrected = (
  changes: Extract<RecipientEvent, { type: 'RecipientDetailsCorrected' }>['data']['changes'],
  recipientId = RSE_ID,
): RecipientEvent => ({
  type: 'RecipientDetailsCorrected',
  data: { recipientId, changes, reason: REASON },
});

describe('recipientDecider: corrections and life events', () => {
  describe('CorrectDetails', () => {
    itDecides([
      [
        'records each RSE field changed with its value before and after',
        [rseRegistered({ phone: '081254321098' })],
        correctDetails({
          name: 'Siti Aminah Rahman',
          phone: '081254321099',
          address: 'Jl. Juanda 7',
        }),
        [
          detailsCorrected([
            { field: 'name', before: 'Siti Aminah', after: 'Siti Aminah Rahman' },
            { field: 'phone', before: '081254321098', after: '081254321099' },
            { field: 'address', before: null, after: 'Jl. Juanda 7' },
          ]),
        ],
      ],
      [
        'removes a phone number given as null',
        [rseRegistered({ phone: '081254321098' })],
        correctDetails({ phone: null }),
        [detailsCorrected([{ field: 'phone', before: '081254321098', after: null }])],
      ],
      [
        'leaves out a field given with the value already recorded',
        [rseRegistered()],
        correctDetails({ name: 'Siti Aminah', businessType: 'Kue kering' }),
        [detailsCorrected([{ field: 'businessType', before: 'Kue basah', after: 'Kue kering' }])],
      ],
      [
        'corrects a KUBe’s group name and a member’s name, found by her NIK',
        [kubeRegistered()],
        correctDetails({
          groupName: 'KUBe Mandiri Sejahtera Abadi',
          memberNames: [
            { nikHash: 'hash-m2', name: 'Nur Aisyah' },
            { nikHash: 'hash-m1', name: 'Rahmat Hidayat' },
          ],
        }),
        [
          detailsCorrected(
            [
              {
                field: 'groupName',
                before: 'KUBe Mandiri Sejahtera',
                after: 'KUBe Mandiri Sejahtera Abadi',
              },
              {
                field: 'memberName',
                memberNikHash: 'hash-m2',
                before: 'Nur Aisah',
                after: 'Nur Aisyah',
              },
            ],
            KUBE_ID,
          ),
        ],
      ],
      [
        'reads the before value from the last correction',
        [
          rseRegistered(),
          detailsCorrected([{ field: 'name', before: 'Siti Aminah', after: 'Siti Aminah R.' }]),
        ],
        correctDetails({ name: 'Siti Aminah Rahman' }),
        [
          detailsCorrected([
            { field: 'name', before: 'Siti Aminah R.', after: 'Siti Aminah Rahman' },
          ]),
        ],
      ],
      [
        'corrects the details of a woman who died: records must be right',
        [rseRegistered(), died()],
        correctDetails({ businessType: 'Kue kering' }),
        [detailsCorrected([{ field: 'businessType', before: 'Kue basah', after: 'Kue kering' }])],
      ],
    ]);

    itRefuses([
      [
        'refuses a correction that changes nothing, as NOTHING_TO_CORRECT',
        [rseRegistered()],
        correctDetails({ name: 'Siti Aminah', businessType: 'Kue basah' }),
        refusal('invalid', 'NOTHING_TO_CORRECT'),
      ],
      [
        'refuses a correction with no field at all',
        [rseRegistered()],
        correctDetails({}),
        refusal('invalid', 'NOTHING_TO_CORRECT'),
      ],
      [
        'refuses a blank reason',
        [rseRegistered()],
        { ...correctDetails({ name: 'Siti' }), reason: '   ' },
        refusal('invalid', 'REASON_REQUIRED', 'reason'),
      ],
      [
        'refuses a name without a letter',
        [rseRegistered()],
        correctDetails({ name: '1234' }),
        refusal('invalid', 'INVALID_TEXT', 'name'),
      ],
      [
        'refuses a group name for an RSE woman',
        [rseRegistered()],
        correctDetails({ groupName: 'KUBe Baru' }),
        refusal('invalid', 'FIELD_NOT_FOR_KIND', 'groupName'),
      ],
      [
        'refuses a phone number for a KUBe',
        [kubeRegistered()],
        correctDetails({ phone: '081254321098' }),
        refusal('invalid', 'FIELD_NOT_FOR_KIND', 'phone'),
      ],
      [
        'refuses a member name for an RSE woman',
        [rseRegistered()],
        correctDetails({ memberNames: [{ nikHash: 'hash-1', name: 'Siti' }] }),
        refusal('invalid', 'FIELD_NOT_FOR_KIND', 'members'),
      ],
      [
        'refuses a NIK that is no member’s, naming the entry',
        [kubeRegistered()],
        correctDetails({
          memberNames: [
            { nikHash: 'hash-m1', name: 'Rahmat H.' },
            { nikHash: 'hash-x', name: 'Someone' },
          ],
        }),
        refusal('rule', 'NOT_A_MEMBER', 'members.1.nik'),
      ],
      [
        'refuses one member named twice',
        [kubeRegistered()],
        correctDetails({
          memberNames: [
            { nikHash: 'hash-m1', name: 'Rahmat H.' },
            { nikHash: 'hash-m1', name: 'Rahmat Hidayat' },
          ],
        }),
        refusal('invalid', 'DUPLICATE_MEMBER_NIK', 'members.1.nik'),
      ],
      [
        'refuses a recipient not registered',
        [],
        correctDetails({ name: 'Siti' }),
        refusal('not_found', 'RECIPIENT_NOT_FOUND'),
      ],
    ]);
  });

  describe('CorrectNik', () => {
    const siti = { nikHash: SITI_NIK.nikHash, nikMasked: SITI_NIK.nikMasked };
    const nikCorrected = (
      before: { nikHash: string; nikMasked: string },
      after: { nikHash: string; nikMasked: string },
      recipientId = RSE_ID,
    ): RecipientEvent => ({
      type: 'NikCorrected',
      data: { recipientId, before, after, reason: 'NIK sesuai KTP elektronik' },
    });

    itDecides([
      [
        'replaces an RSE woman’s NIK, masked, naming the one before',
        [rseRegistered()],
        correctNik(),
        [nikCorrected(siti, { nikHash: SITI_REAL_NIK.nikHash, nikMasked: '6472********0001' })],
      ],
      [
        'accepts her old NIK when it is given and matches',
        [rseRegistered()],
        correctNik({ nikHash: SITI_NIK.nikHash }),
        [nikCorrected(siti, { nikHash: SITI_REAL_NIK.nikHash, nikMasked: '6472********0001' })],
      ],
      [
        'replaces a KUBe member’s NIK, found by the NIK recorded',
        [kubeRegistered()],
        correctNik({
          nikHash: 'hash-m3',
          newNik: { nik: '6407030102790033', nikHash: 'hash-m3-real' },
        }),
        [
          nikCorrected(
            { nikHash: 'hash-m3', nikMasked: '6407********0013' },
            { nikHash: 'hash-m3-real', nikMasked: '6407********0033' },
            KUBE_ID,
          ),
        ],
      ],
      [
        'corrects again from the NIK the last correction recorded',
        [
          rseRegistered(),
          nikCorrected(siti, { nikHash: 'hash-wrong-again', nikMasked: '6472********0005' }),
        ],
        correctNik({ nikHash: 'hash-wrong-again' }),
        [
          nikCorrected(
            { nikHash: 'hash-wrong-again', nikMasked: '6472********0005' },
            { nikHash: SITI_REAL_NIK.nikHash, nikMasked: '6472********0001' },
          ),
        ],
      ],
    ]);

    it('never stores the new NIK in clear', () => {
      const events = recipientDecider.decide(correctNik(), stateAfter([rseRegistered()]));
      expect(JSON.stringify(events)).not.toContain(SITI_REAL_NIK.nik);
    });

    itRefuses([
      [
        'refuses a NIK not marked female for an RSE woman',
        [rseRegistered()],
        correctNik({ newNik: MALE_NIK }),
        refusal('invalid', 'NIK_NOT_FEMALE', 'newNik'),
      ],
      [
        'refuses an impossible date of birth',
        [rseRegistered()],
        correctNik({ newNik: { nik: '6472057202900001', nikHash: 'hash-bad' } }),
        refusal('invalid', 'INVALID_NIK', 'newNik'),
      ],
      [
        'refuses the NIK already recorded',
        [rseRegistered()],
        correctNik({ newNik: { nik: SITI_NIK.nik, nikHash: SITI_NIK.nikHash } }),
        refusal('invalid', 'NIK_UNCHANGED', 'newNik'),
      ],
      [
        'refuses an old NIK that is not hers',
        [rseRegistered()],
        correctNik({ nikHash: 'hash-other' }),
        refusal('rule', 'NIK_NOT_OF_RECIPIENT', 'nik'),
      ],
      [
        'refuses a KUBe correction that does not say whose NIK',
        [kubeRegistered()],
        correctNik(),
        refusal('invalid', 'NIK_REQUIRED', 'nik'),
      ],
      [
        'refuses a NIK that is no member’s',
        [kubeRegistered()],
        correctNik({ nikHash: 'hash-x' }),
        refusal('rule', 'NOT_A_MEMBER', 'nik'),
      ],
      [
        'refuses another member’s NIK as the new one',
        [kubeRegistered()],
        correctNik({
          nikHash: 'hash-m3',
          newNik: { nik: '6407030102790044', nikHash: 'hash-m4' },
        }),
        refusal('invalid', 'DUPLICATE_MEMBER_NIK', 'newNik'),
      ],
      [
        'refuses a blank reason',
        [rseRegistered()],
        correctNik({ reason: '' }),
        refusal('invalid', 'REASON_REQUIRED', 'reason'),
      ],
    ]);
  });

  describe('ReplaceMember', () => {
    itDecides([
      [
        'replaces the member who died by a newcomer in her role',
        [kubeRegistered()],
        replaceMember(),
        [memberReplaced()],
      ],
      [
        'accepts a man for a KUBe, and the departure LEFT',
        [kubeRegistered()],
        replaceMember({
          departure: 'LEFT',
          newMember: { nik: '6407030702880021', nikHash: 'hash-man' },
        }),
        [
          {
            type: 'MemberReplaced',
            data: {
              ...(memberReplaced() as Extract<RecipientEvent, { type: 'MemberReplaced' }>).data,
              departure: 'LEFT',
              joined: {
                name: NEWCOMER.name,
                role: 'SECRETARY',
                nikHash: 'hash-man',
                nikMasked: '6407********0021',
                dataKeyId: NEWCOMER.dataKeyId,
              },
            },
          },
        ],
      ],
      [
        'gives the newcomer another role when the group keeps one CHAIR',
        [kubeRegistered()],
        replaceMember({ newMember: { role: 'MEMBER' } }),
        [memberReplaced({ role: 'MEMBER' })],
      ],
    ]);

    it('keeps the newcomer, not the leaving member, in the group afterwards', () => {
      const state = stateAfter([kubeRegistered(), memberReplaced()]);
      if (state.details.kind !== 'KUBE') throw new Error('a KUBe');
      expect(state.details.members.map((member) => member.nikHash)).toEqual([
        'hash-m1',
        'hash-new',
        'hash-m3',
        'hash-m4',
        'hash-m5',
      ]);
    });

    itRefuses([
      [
        'refuses an RSE woman: she has no members',
        [rseRegistered()],
        replaceMember(),
        refusal('rule', 'NOT_A_KUBE'),
      ],
      [
        'refuses a leaving NIK that is no member’s',
        [kubeRegistered()],
        replaceMember({ leavingNikHash: 'hash-x' }),
        refusal('rule', 'NOT_A_MEMBER', 'leavingNik'),
      ],
      [
        'refuses the member who already left',
        [kubeRegistered(), memberReplaced()],
        replaceMember({ newMember: { nikHash: 'hash-other' } }),
        refusal('rule', 'NOT_A_MEMBER', 'leavingNik'),
      ],
      [
        'refuses a newcomer who is a member already',
        [kubeRegistered()],
        replaceMember({ newMember: { nikHash: 'hash-m4' } }),
        refusal('invalid', 'DUPLICATE_MEMBER_NIK', 'newMember.nik'),
      ],
      [
        'refuses a newcomer’s NIK with an impossible date',
        [kubeRegistered()],
        replaceMember({ newMember: { nik: '6407033002880021' } }),
        refusal('invalid', 'INVALID_NIK', 'newMember.nik'),
      ],
      [
        'refuses a second CHAIR',
        [kubeRegistered()],
        replaceMember({ newMember: { role: 'CHAIR' } }),
        refusal('invalid', 'ONE_CHAIR_REQUIRED', 'newMember.role'),
      ],
      [
        'refuses a group left without a CHAIR',
        [kubeRegistered()],
        replaceMember({ leavingNikHash: 'hash-m1', newMember: { role: 'MEMBER' } }),
        refusal('invalid', 'ONE_CHAIR_REQUIRED', 'newMember.role'),
      ],
      [
        'refuses a date in the future',
        [kubeRegistered()],
        replaceMember({ effectiveOn: '2025-09-16' }),
        refusal('rule', 'DATE_IN_FUTURE', 'effectiveOn'),
      ],
      [
        'refuses a date that does not exist',
        [kubeRegistered()],
        replaceMember({ effectiveOn: '2025-02-29' }),
        refusal('invalid', 'INVALID_DATE', 'effectiveOn'),
      ],
      [
        'refuses a departure before the leaving member joined',
        [kubeRegistered(), memberReplaced({ effectiveOn: '2025-07-02' })],
        replaceMember({
          leavingNikHash: NEWCOMER.nikHash,
          effectiveOn: '2025-07-01',
          newMember: { nikHash: 'hash-third' },
        }),
        refusal('rule', 'DATE_BEFORE_MEMBER_JOINED', 'effectiveOn'),
      ],
      [
        'refuses a group that withdrew',
        [kubeRegistered(), withdrew('2025-08-01', KUBE_ID)],
        replaceMember(),
        refusal('rule', 'RECIPIENT_WITHDRAWN'),
      ],
      [
        'refuses a newcomer whose name has no letter',
        [kubeRegistered()],
        replaceMember({ newMember: { name: '---' } }),
        refusal('invalid', 'INVALID_TEXT', 'newMember.name'),
      ],
    ]);
  });

  describe('RecordMove', () => {
    itDecides([
      [
        'records the move from where she lived to the new regency/city',
        [rseRegistered()],
        move(),
        [moved()],
      ],
      [
        'records a move of a recipient who withdrew: follow-up goes on where she lives',
        [rseRegistered(), withdrew('2025-05-01')],
        move(),
        [moved()],
      ],
      [
        'records a later move from the regency of the previous one',
        [rseRegistered(), moved('2025-06-01')],
        move({ toRegencyCode: SAMARINDA, movedOn: '2025-06-01' }),
        [
          {
            type: 'RecipientMoved',
            data: {
              recipientId: RSE_ID,
              fromRegencyCode: BALIKPAPAN,
              toRegencyCode: SAMARINDA,
              movedOn: '2025-06-01',
              reason: 'Ikut suami pindah kerja',
            },
          },
        ],
      ],
    ]);

    itRefuses([
      [
        'refuses a regency/city outside Kalimantan Timur',
        [rseRegistered()],
        move({ toRegencyCode: '65.01' }),
        refusal('invalid', 'UNKNOWN_REGENCY', 'toRegencyCode'),
      ],
      [
        'refuses the regency/city she lives in',
        [rseRegistered()],
        move({ toRegencyCode: SAMARINDA }),
        refusal('invalid', 'SAME_REGENCY', 'toRegencyCode'),
      ],
      [
        'refuses a date in the future',
        [rseRegistered()],
        move({ movedOn: '2025-09-16' }),
        refusal('rule', 'DATE_IN_FUTURE', 'movedOn'),
      ],
      [
        'refuses a date that does not exist',
        [rseRegistered()],
        move({ movedOn: '2025-06-31' }),
        refusal('invalid', 'INVALID_DATE', 'movedOn'),
      ],
      [
        'refuses a move dated before the last move',
        [rseRegistered(), moved('2025-06-01')],
        move({ toRegencyCode: SAMARINDA, movedOn: '2025-05-31' }),
        refusal('rule', 'DATE_BEFORE_MOVE', 'movedOn'),
      ],
      [
        'refuses a woman who died',
        [rseRegistered(), died()],
        move(),
        refusal('rule', 'RECIPIENT_DECEASED'),
      ],
      [
        'refuses a blank reason',
        [rseRegistered()],
        move({ reason: ' ' }),
        refusal('invalid', 'REASON_REQUIRED', 'reason'),
      ],
      [
        'refuses a recipient not registered',
        [],
        move(),
        refusal('not_found', 'RECIPIENT_NOT_FOUND'),
      ],
    ]);
  });

  describe('RecordDeath', () => {
    itDecides([
      ['records the death of an RSE woman', [rseRegistered()], death(), [died()]],
      [
        'records the death of a woman who had withdrawn, on or after that day',
        [rseRegistered(), withdrew('2025-08-01')],
        death({ diedOn: '2025-08-01' }),
        [died('2025-08-01')],
      ],
      [
        'records a death after the aid was handed over',
        [rseRegistered(), disbursed()],
        death({ diedOn: '2025-03-10' }),
        [died('2025-03-10')],
      ],
    ]);

    itRefuses([
      [
        'refuses a KUBe: a member’s death is a replacement',
        [kubeRegistered()],
        death(),
        refusal('rule', 'NOT_AN_RSE'),
      ],
      [
        'refuses a death already recorded',
        [rseRegistered(), died()],
        death(),
        refusal('rule', 'ALREADY_DECEASED'),
      ],
      [
        'refuses a date in the future',
        [rseRegistered()],
        death({ diedOn: '2025-09-16' }),
        refusal('rule', 'DATE_IN_FUTURE', 'diedOn'),
      ],
      [
        'refuses a date that is not YYYY-MM-DD',
        [rseRegistered()],
        death({ diedOn: '01-08-2025' }),
        refusal('invalid', 'INVALID_DATE', 'diedOn'),
      ],
      [
        'refuses a death before aid that stands was handed over',
        [rseRegistered(), disbursed()],
        death({ diedOn: '2025-03-09' }),
        refusal('rule', 'DATE_BEFORE_DISBURSEMENT', 'diedOn'),
      ],
      [
        'refuses a death before a move recorded',
        [rseRegistered(), moved('2025-06-01')],
        death({ diedOn: '2025-05-31' }),
        refusal('rule', 'DATE_BEFORE_MOVE', 'diedOn'),
      ],
      [
        'refuses a death before her withdrawal',
        [rseRegistered(), withdrew('2025-08-01')],
        death({ diedOn: '2025-07-31' }),
        refusal('rule', 'DATE_BEFORE_WITHDRAWAL', 'diedOn'),
      ],
    ]);

    it('accepts a death before aid that was reversed', () => {
      const reversed: RecipientEvent = {
        type: 'DisbursementReversed',
        data: {
          recipientId: RSE_ID,
          disbursementId: `${RSE_ID}.1`,
          kind: 'RSE',
          regencyCode: SAMARINDA,
          year: 2025,
          valueRupiah: 5_000_000,
          reason: 'Meninggal sebelum penyerahan',
          reversedOn: TODAY,
        },
      };
      spec
        .given([rseRegistered(), disbursed(), reversed])
        .when(death({ diedOn: '2025-03-01' }))
        .then([died('2025-03-01')]);
    });
  });

  describe('RecordWithdrawal', () => {
    itDecides([
      ['records an RSE woman’s withdrawal', [rseRegistered()], withdrawal(), [withdrew()]],
      [
        'records a KUBe’s withdrawal',
        [kubeRegistered()],
        withdrawal(),
        [withdrew('2025-08-01', KUBE_ID)],
      ],
    ]);

    itRefuses([
      [
        'refuses a withdrawal already recorded',
        [rseRegistered(), withdrew()],
        withdrawal(),
        refusal('rule', 'ALREADY_WITHDRAWN'),
      ],
      [
        'refuses a woman who died',
        [rseRegistered(), died()],
        withdrawal(),
        refusal('rule', 'RECIPIENT_DECEASED'),
      ],
      [
        'refuses a date in the future',
        [rseRegistered()],
        withdrawal({ withdrawnOn: '2025-09-16' }),
        refusal('rule', 'DATE_IN_FUTURE', 'withdrawnOn'),
      ],
      [
        'refuses a withdrawal before aid that stands was handed over',
        [kubeRegistered(), disbursed(KUBE_ID, KUTAI_BARAT)],
        withdrawal({ withdrawnOn: '2025-03-01' }),
        refusal('rule', 'DATE_BEFORE_DISBURSEMENT', 'withdrawnOn'),
      ],
    ]);
  });

  describe('aid after a life event', () => {
    itRefuses([
      [
        'refuses new aid to a woman who died',
        [rseRegistered(), died()],
        disburse(),
        refusal('rule', 'RECIPIENT_DECEASED'),
      ],
      [
        'refuses new aid to a recipient who withdrew',
        [rseRegistered(), withdrew()],
        disburse(),
        refusal('rule', 'RECIPIENT_WITHDRAWN'),
      ],
      [
        'refuses new aid to a KUBe that withdrew',
        [kubeRegistered(), withdrew('2025-08-01', KUBE_ID)],
        disburse({ disbursementId: `${KUBE_ID}.1` }),
        refusal('rule', 'RECIPIENT_WITHDRAWN'),
      ],
    ]);

    it('counts new aid in the regency/city she moved to', () => {
      spec
        .given([rseRegistered(), moved()])
        .when(disburse())
        .then([disbursed(RSE_ID, BALIKPAPAN, 1, '2025-09-01')]);
    });

    it('reverses aid made before a move in the regency/city where it was made', () => {
      const [event] = recipientDecider.decide(
        {
          type: 'ReverseDisbursement',
          disbursementId: `${RSE_ID}.1`,
          reason: 'Data ganda',
          today: TODAY,
        },
        stateAfter([rseRegistered(), disbursed(), moved()]),
      );
      expect(event).toMatchObject({
        type: 'DisbursementReversed',
        data: { regencyCode: SAMARINDA },
      });
    });

    it('lets follow-up go on after a death and after a withdrawal', () => {
      const visit = {
        type: 'RecordMonitoring',
        visitDate: '2025-09-01',
        businessStatus: 'CLOSED',
        monthlyTurnoverRupiah: 0,
        workers: 0,
        workersFromPoorHouseholds: 0,
        challenges: ['MOTIVATION'],
        today: TODAY,
      } as const;
      for (const after of [died(), withdrew()]) {
        const events = recipientDecider.decide(
          { ...visit, challenges: [...visit.challenges] },
          stateAfter([rseRegistered(), disbursed(), after]),
        );
        expect(events.map((event) => event.type)).toEqual(['MonitoringRecorded']);
      }
    });
  });
});
