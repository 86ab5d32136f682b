import type { Test } from 'supertest';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import {
  disburse,
  disbursementBody,
  errorBody,
  exhibitionBody,
  itemsWorth,
  kubeBody,
  kubeMembers,
  mentoringBody,
  monitoringBody,
  nextNik,
  NIK_HMAC_SECRET,
  register,
  rseBody,
  setAllocation,
  startApi,
  type Api,
  type KubeMember,
  type TokenName,
} from '../helpers/api-client';
import {
  aided,
  aidReversed,
  allocation,
  disbursement,
  disbursing,
  expectRefusal,
  followUp,
  kubeWithMember,
  recording,
  registered,
  registration,
  reversal,
  send,
  toRecipient,
  writesNothing,
  type Refusal,
  type RefusalCase,
} from '../helpers/write-scenarios';

interface Answer {
  position: string;
}

interface RegistrationAnswer extends Answer {
  recipientId: string;
}

interface DisbursementAnswer extends Answer {
  disbursementId: string;
  valueRupiah: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const POSITION = /^[1-9]\d*$/;

describe('write API (/api/v1)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  const post = (path: string, role: TokenName, body: object): Test =>
    send(api, { method: 'POST', path, role, body });

  const put = (path: string, body: object): Test =>
    send(api, { method: 'PUT', path, role: 'admin', body });

  /** The head position now: a command's answered position is the head right after it. */
  async function expectPositionIsHead(answer: Answer, previous: bigint): Promise<bigint> {
    expect(answer.position).toMatch(POSITION);
    const position = BigInt(answer.position);
    expect(position).toBeGreaterThan(previous);
    expect(position).toBe(await api.headPosition());
    return position;
  }

  describe('happy paths', () => {
    /** What a PUT of a 2026 KUBE allocation answers. */
    const kubeAllocation2026 = (regencyCode: string, quota: number, position: unknown) => ({
      year: 2026,
      kind: 'KUBE',
      regencyCode,
      quota,
      position,
    });

    it('PUT /programme/allocations answers 200 with the allocation and the position of its event', async () => {
      const before = await api.headPosition();
      const response = await put('/programme/allocations/2026/KUBE/64.09', { quota: 12 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual(
        kubeAllocation2026('64.09', 12, expect.stringMatching(POSITION)),
      );
      await expectPositionIsHead(response.body as Answer, before);
      const [event] = await api.eventsAfter(before);
      expect(event).toMatchObject({
        streamName: 'quota-2026-KUBE',
        type: 'AllocationSet',
        data: { regencyCode: '64.09', quota: 12, previousQuota: 20 },
        metadata: { actor: 'e2e-admin' },
      });
    });

    it('accepts ids written in upper case: a UUID names the same recipient either way', async () => {
      const recipientId = await register(api, rseBody());
      const disbursementId = await disburse(api, recipientId.toUpperCase());
      expect(disbursementId).toBe(`${recipientId}.1`);
      const reversal = await post(
        `/disbursements/${disbursementId.toUpperCase()}/reversal`,
        'operator',
        {
          reason: 'Data ganda',
        },
      );
      expect(reversal.status).toBe(200);
    });

    it('PUT of the allocation already in force writes nothing and answers position "0"', async () => {
      const response = await writesNothing(api, () =>
        put('/programme/allocations/2026/KUBE/64.08', { quota: 20 }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual(kubeAllocation2026('64.08', 20, '0'));
    });

    it('takes an RSE woman through registration, aid, follow-up and reversal, positions increasing', async () => {
      let head = await api.headPosition();

      const registered = await post(
        '/recipients',
        'operator',
        rseBody({ phone: '0812-5555-1234' }),
      );
      expect(registered.status).toBe(201);
      expect(registered.body).toEqual({
        recipientId: expect.stringMatching(UUID),
        position: expect.stringMatching(POSITION),
      });
      head = await expectPositionIsHead(registered.body as Answer, head);
      const { recipientId } = registered.body as RegistrationAnswer;

      const disbursed = await post(
        `/recipients/${recipientId}/disbursements`,
        'operator',
        disbursementBody(),
      );
      expect(disbursed.status).toBe(201);
      expect(disbursed.body).toEqual({
        disbursementId: `${recipientId}.1`,
        valueRupiah: 5_000_000,
        position: expect.stringMatching(POSITION),
      });
      head = await expectPositionIsHead(disbursed.body as Answer, head);

      for (const [path, body] of [
        ['monitoring', monitoringBody({ notes: 'Omzet naik setelah etalase baru' })],
        ['mentoring', mentoringBody()],
        ['exhibitions', exhibitionBody()],
      ] as const) {
        const followUp = await post(`/recipients/${recipientId}/${path}`, 'monitor', body);
        expect({ path, status: followUp.status }).toEqual({ path, status: 201 });
        expect(followUp.body).toEqual({ position: expect.stringMatching(POSITION) });
        head = await expectPositionIsHead(followUp.body as Answer, head);
      }

      const reversed = await post(`/disbursements/${recipientId}.1/reversal`, 'operator', {
        reason: 'Salah sasaran: penerima pindah domisili',
      });
      expect(reversed.status).toBe(200);
      expect(reversed.body).toEqual({ position: expect.stringMatching(POSITION) });
      await expectPositionIsHead(reversed.body as Answer, head);

      const types = (await api.eventsAfter(0n))
        .filter((event) => event.streamName === `recipient-${recipientId}`)
        .map((event) => event.type);
      expect(types).toEqual([
        'RecipientRegistered',
        'AidDisbursed',
        'MonitoringRecorded',
        'MentoringRecorded',
        'ExhibitionParticipationRecorded',
        'DisbursementReversed',
      ]);
    });

    it('registers a KUBE of five and disburses it up to the KUBE ceiling of Rp20,000,000', async () => {
      const head = await api.headPosition();
      const registered = await post('/recipients', 'operator', kubeBody());
      expect(registered.status).toBe(201);
      expect(registered.body).toEqual({
        recipientId: expect.stringMatching(UUID),
        position: expect.stringMatching(POSITION),
      });
      const afterRegistration = await expectPositionIsHead(registered.body as Answer, head);
      const { recipientId } = registered.body as RegistrationAnswer;

      const disbursed = await post(
        `/recipients/${recipientId}/disbursements`,
        'operator',
        disbursementBody({ form: 'MATERIALS', items: itemsWorth(20_000_000) }),
      );
      expect(disbursed.status).toBe(201);
      expect(disbursed.body).toEqual({
        disbursementId: `${recipientId}.1`,
        valueRupiah: 20_000_000,
        position: expect.stringMatching(POSITION),
      });
      await expectPositionIsHead(disbursed.body as Answer, afterRegistration);
    });
  });

  const refused = async (refusal: Refusal) => {
    await expectRefusal(api, refusal);
  };

  describe('400 invalid input names each field and rule, and writes nothing', () => {
    const INVALID = { status: 400, code: 'INVALID_INPUT' } as const;

    const unknownFieldRows: [string, Refusal['when'], string][] = [
      ['POST /recipients (RSE)', () => registration({ ...rseBody(), extra: 1 }), 'extra'],
      [
        'POST /recipients (KUBE member)',
        () => registration(kubeWithMember(0, () => ({ age: 40 }) as Partial<KubeMember>)),
        'members.0.age',
      ],
      [
        'POST disbursements',
        ({ recipientId }) => disbursement(recipientId, { ...disbursementBody(), currency: 'IDR' }),
        'currency',
      ],
      [
        'POST disbursements (item)',
        ({ recipientId }) =>
          disbursement(recipientId, {
            ...disbursementBody(),
            items: [{ ...itemsWorth(1_000)[0], brand: 'X' }],
          }),
        'items.0.brand',
      ],
      [
        'POST reversal',
        ({ disbursementId }) =>
          reversal(disbursementId, { reason: 'salah', approvedBy: 'kepala dinas' }),
        'approvedBy',
      ],
      [
        'POST monitoring',
        ({ recipientId }) =>
          followUp(recipientId, 'monitoring', { ...monitoringBody(), turnover: 1 }),
        'turnover',
      ],
      [
        'POST mentoring',
        ({ recipientId }) => followUp(recipientId, 'mentoring', { ...mentoringBody(), hours: 2 }),
        'hours',
      ],
      [
        'POST exhibitions',
        ({ recipientId }) =>
          followUp(recipientId, 'exhibitions', { ...exhibitionBody(), city: 'Samarinda' }),
        'city',
      ],
      [
        'PUT /programme/allocations',
        () => allocation('2026/KUBE/64.09', { quota: 3, note: 'x' }),
        'note',
      ],
    ];
    const unknownFields = unknownFieldRows.map(([label, when, field]): RefusalCase => ({
      name: `${label} refuses an unknown field`,
      when,
      ...INVALID,
      broken: [{ field, rule: 'whitelistValidation' }],
    }));

    const prototypeFields = ['constructor', '__proto__', 'hasOwnProperty'].map(
      (field): RefusalCase => ({
        name: `refuses an unknown field named like an Object.prototype member (${field})`,
        when: () =>
          registration(JSON.stringify(rseBody()).replace(/}$/, `,"${field}":{"role":"admin"}}`)),
        ...INVALID,
        broken: [{ field, rule: 'whitelistValidation' }],
      }),
    );

    const niksNot16Digits = ['647205520390001', '64720552039000012', '64720552039O0001', ''].map(
      (nik): RefusalCase => ({
        name: `refuses a NIK that is not 16 digits (${JSON.stringify(nik)})`,
        when: () => registration(rseBody({ nik })),
        ...INVALID,
        broken: [{ field: 'nik', rule: 'matches' }],
      }),
    );

    const niksThatCannotExist = [
      ['month 13', '6472055213900001'],
      ['day 72 (31 + 40 is the last)', '6472057201900001'],
      ['31 April', '6472057104900001'],
      ['district 00', '6472005203900001'],
      ['serial 0000', '6472055203900000'],
    ].map(([what, nik]): RefusalCase => ({
      name: `refuses a NIK of 16 digits that cannot exist: ${what}`,
      when: () => registration(rseBody({ nik })),
      status: 400,
      code: 'INVALID_NIK',
      broken: [{ field: 'nik', rule: 'INVALID_NIK' }],
    }));

    const unknownRegencies = (['RSE', 'KUBE'] as const).map((kind): RefusalCase => ({
      name: `refuses the unknown regency 64.99 (${kind})`,
      when: () => registration((kind === 'RSE' ? rseBody : kubeBody)({ regencyCode: '64.99' })),
      status: 400,
      code: 'UNKNOWN_REGENCY',
      field: 'regencyCode',
    }));

    const badAllocations = [
      ['year not a number', 'tahun/KUBE/64.72', { quota: 1 }, 'year'],
      ['unknown kind', '2025/PKH/64.72', { quota: 1 }, 'kind'],
      ['regency code of another province', '2025/KUBE/63.72', { quota: 1 }, 'regencyCode'],
      ['negative quota', '2025/KUBE/64.72', { quota: -1 }, 'quota'],
      ['fractional quota', '2025/KUBE/64.72', { quota: 1.5 }, 'quota'],
      ['quota as text', '2025/KUBE/64.72', { quota: '5' }, 'quota'],
    ] as const;

    const idsNotUuids = (['disbursements', 'monitoring', 'mentoring', 'exhibitions'] as const).map(
      (action): RefusalCase => ({
        name: `refuses a recipient id that is not a UUID (${action})`,
        when: () => toRecipient('123', action),
        ...INVALID,
        broken: [{ field: 'id', rule: 'isUuid' }],
      }),
    );

    const badFollowUpFields = [
      [
        'a mentoring record with an empty partner',
        'mentoring',
        { partner: '', topic: 'x', date: '2025-09-01' },
        'partner',
      ],
      [
        'an exhibitions record with a name of 201 characters',
        'exhibitions',
        { name: 'x'.repeat(201), date: '2025-09-01' },
        'name',
      ],
      [
        'an exhibitions record with a date that is a number',
        'exhibitions',
        { name: 'Pameran', date: 20250901 },
        'date',
      ],
    ] as const;

    it.each<RefusalCase>([
      ...unknownFields,
      ...prototypeFields,
      {
        name: 'refuses a registration without kind',
        // JSON leaves out a key whose value is undefined.
        when: () => registration({ ...rseBody(), kind: undefined }),
        ...INVALID,
        broken: [{ field: 'kind', rule: 'isIn' }],
      },
      {
        name: 'refuses an unknown kind',
        when: () => registration({ ...rseBody(), kind: 'PKH' }),
        ...INVALID,
        broken: [{ field: 'kind', rule: 'isIn' }],
      },
      {
        name: 'names every missing field of an RSE registration',
        when: () => registration({ kind: 'RSE' }),
        ...INVALID,
        broken: [
          { field: 'regencyCode', rule: 'matches' },
          { field: 'name', rule: 'isString' },
          { field: 'nik', rule: 'matches' },
          { field: 'businessType', rule: 'isString' },
        ],
      },
      ...niksNot16Digits,
      ...niksThatCannotExist,
      {
        name: 'refuses a male NIK for an RSE woman (NIK_NOT_FEMALE)',
        when: () => registration(rseBody({ nik: nextNik('male') })),
        status: 400,
        code: 'NIK_NOT_FEMALE',
        field: 'nik',
        errors: [{ field: 'nik', rule: 'NIK_NOT_FEMALE', message: expect.any(String) }],
      },
      {
        name: 'refuses a KUBE of four members',
        when: () => registration(kubeBody({ members: kubeMembers(4) })),
        ...INVALID,
        broken: [{ field: 'members', rule: 'arrayMinSize' }],
      },
      {
        name: 'refuses a KUBE of six members',
        when: () =>
          registration(
            kubeBody({
              members: kubeMembers(6).map((member, index) =>
                index === 0 ? member : { ...member, role: 'MEMBER' as const },
              ),
            }),
          ),
        ...INVALID,
        broken: [{ field: 'members', rule: 'arrayMaxSize' }],
      },
      {
        name: 'refuses a KUBE whose members share a NIK',
        when: () => registration(kubeWithMember(3, (members) => ({ nik: members[1].nik }))),
        status: 400,
        code: 'DUPLICATE_MEMBER_NIK',
        field: 'members.3.nik',
      },
      {
        name: 'refuses a KUBE with two chairs',
        when: () => registration(kubeWithMember(4, () => ({ role: 'CHAIR' }))),
        status: 400,
        code: 'ONE_CHAIR_REQUIRED',
        field: 'members',
      },
      {
        name: 'refuses a KUBE without a chair',
        when: () =>
          registration(
            kubeBody({
              members: kubeMembers().map((member) => ({ ...member, role: 'MEMBER' as const })),
            }),
          ),
        status: 400,
        code: 'ONE_CHAIR_REQUIRED',
        field: 'members',
      },
      {
        name: 'refuses a KUBE member with an invalid NIK, naming the member',
        when: () => registration(kubeWithMember(2, () => ({ nik: '6472051313900001' }))),
        status: 400,
        code: 'INVALID_NIK',
        field: 'members.2.nik',
      },
      {
        name: 'refuses an unknown member role',
        when: () => registration(kubeWithMember(1, () => ({ role: 'KETUA' as 'CHAIR' }))),
        ...INVALID,
        broken: [{ field: 'members.1.role', rule: 'isIn' }],
      },
      ...unknownRegencies,
      {
        name: 'refuses an allocation for the unknown regency 64.99',
        when: () => allocation('2025/KUBE/64.99', { quota: 1 }),
        status: 400,
        code: 'UNKNOWN_REGENCY',
        field: 'regencyCode',
      },
      ...badAllocations.map(([what, at, body, field]): RefusalCase => ({
        name: `refuses an allocation with ${what}`,
        when: () => allocation(at, body),
        ...INVALID,
        brokenFields: [field],
      })),
      {
        name: 'refuses a disbursement whose year is a string',
        given: registered(),
        when: ({ recipientId }) =>
          disbursement(recipientId, { ...disbursementBody(), year: '2025' }),
        ...INVALID,
        broken: [{ field: 'year', rule: 'isInt' }],
      },
      {
        name: 'names every broken field of a disbursement',
        given: registered(),
        when: ({ recipientId }) =>
          disbursement(recipientId, {
            year: 2025.5,
            form: 'CASH',
            items: [{ description: ' ', quantity: 0, unitPriceRupiah: -1 }],
            disbursedOn: '01-08-2025',
          }),
        ...INVALID,
        broken: [
          { field: 'year', rule: 'isInt' },
          { field: 'form', rule: 'isIn' },
          { field: 'items.0.description', rule: 'matches' },
          { field: 'items.0.quantity', rule: 'min' },
          { field: 'items.0.unitPriceRupiah', rule: 'min' },
          { field: 'disbursedOn', rule: 'matches' },
        ],
      },
      {
        name: 'refuses a disbursement without items',
        given: registered(),
        when: disbursing({ items: [] }),
        ...INVALID,
        broken: [{ field: 'items', rule: 'arrayMinSize' }],
      },
      {
        name: 'refuses a disbursement dated outside its year (DATE_NOT_IN_YEAR)',
        given: registered(),
        when: disbursing({ year: 2025, disbursedOn: '2024-12-31' }),
        status: 400,
        code: 'DATE_NOT_IN_YEAR',
        field: 'disbursedOn',
      },
      {
        name: 'refuses a disbursement dated on a day that does not exist',
        given: registered(),
        when: disbursing({ disbursedOn: '2025-02-29' }),
        status: 400,
        code: 'INVALID_DATE',
        field: 'disbursedOn',
      },
      {
        name: 'refuses aid worth Rp0 (VALUE_ZERO)',
        given: registered(),
        when: disbursing({
          items: [
            { description: 'Bibit gratis', quantity: 3, unitPriceRupiah: 0 },
            { description: 'Brosur', quantity: 1, unitPriceRupiah: 0 },
          ],
        }),
        status: 400,
        code: 'VALUE_ZERO',
        field: 'items',
      },
      ...idsNotUuids,
      {
        name: 'refuses a disbursement id that is not one',
        given: registered(),
        when: ({ recipientId }) => reversal(recipientId, { reason: 'salah' }),
        ...INVALID,
        broken: [{ field: 'id', rule: 'matches' }],
      },
      {
        name: 'refuses a reversal without a reason',
        given: registered(),
        when: ({ disbursementId }) => reversal(disbursementId, { reason: '   ' }),
        ...INVALID,
        broken: [{ field: 'reason', rule: 'matches' }],
      },
      {
        name: 'names every broken field of a monitoring visit',
        given: registered(),
        when: recording('monitoring', {
          visitDate: '2025/09/01',
          businessStatus: 'BOOMING',
          monthlyTurnoverRupiah: -5,
          workers: 1.5,
          workersFromPoorHouseholds: 0,
          challenges: ['WEATHER', 'WEATHER'],
        }),
        ...INVALID,
        broken: [
          { field: 'visitDate', rule: 'matches' },
          { field: 'businessStatus', rule: 'isIn' },
          { field: 'monthlyTurnoverRupiah', rule: 'min' },
          { field: 'workers', rule: 'isInt' },
          { field: 'challenges', rule: 'arrayUnique' },
          { field: 'challenges', rule: 'isIn' },
        ],
      },
      {
        name: 'refuses more workers from poor households than workers',
        given: aided(),
        when: recording('monitoring', monitoringBody({ workers: 1, workersFromPoorHouseholds: 2 })),
        status: 400,
        code: 'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
        field: 'workersFromPoorHouseholds',
      },
      ...badFollowUpFields.map(([what, action, body, field]): RefusalCase => ({
        name: `refuses ${what}`,
        given: registered(),
        when: recording(action, body),
        ...INVALID,
        brokenFields: [field],
      })),
    ])('$name', refused);
  });

  describe('404 unknown ids', () => {
    it.each<RefusalCase>([
      ...(['disbursements', 'monitoring', 'mentoring', 'exhibitions'] as const).map(
        (action): RefusalCase => ({
          name: `POST ${action} for an unknown recipient: RECIPIENT_NOT_FOUND`,
          when: ({ recipientId }) => toRecipient(recipientId, action),
          status: 404,
          code: 'RECIPIENT_NOT_FOUND',
        }),
      ),
      {
        name: 'reversal of an unknown disbursement: DISBURSEMENT_NOT_FOUND',
        when: ({ disbursementId }) => reversal(disbursementId, { reason: 'salah' }),
        status: 404,
        code: 'DISBURSEMENT_NOT_FOUND',
      },
      {
        name: 'reversal of a disbursement a registered recipient never had: DISBURSEMENT_NOT_FOUND',
        given: registered(),
        when: ({ disbursementId }) => reversal(disbursementId, { reason: 'salah' }),
        status: 404,
        code: 'DISBURSEMENT_NOT_FOUND',
      },
    ])('$name', refused);
  });

  describe('409 rules refused', () => {
    // What a refused registration reuses of the one its steps made, made as the table is built.
    const twiceRegistered = nextNik('female');
    const firstKube = kubeBody();
    const womansKube = kubeBody();

    // NIKs are claimed in the order of their keyed hashes, so where the reused NIK falls in that
    // order decides how far a refused registration gets; it must write nothing either way.
    const hasher = new NikHasher(NIK_HMAC_SECRET);
    /** Five members, the third holding `reused`, the others' NIKs hashed after it or before it. */
    function membersClaimed(order: 'first' | 'last', reused: string): KubeMember[] {
      const reusedHash = hasher.hash(reused);
      const others: string[] = [];
      while (others.length < 4) {
        const candidate = nextNik('male');
        const after = hasher.hash(candidate).localeCompare(reusedHash) > 0;
        if (after === (order === 'first')) others.push(candidate);
      }
      return kubeMembers().map((member, index) => ({
        ...member,
        nik: index === 2 ? reused : others[index < 2 ? index : index - 1],
      }));
    }

    /** Two items worth `rupiah` together. */
    const twoItemsWorth = (rupiah: number) => [
      { description: 'Mesin jahit', quantity: 1, unitPriceRupiah: rupiah - 1 },
      { description: 'Benang', quantity: 1, unitPriceRupiah: 1 },
    ];

    const followUpsDatedBeforeAid = [
      ['monitoring', monitoringBody({ visitDate: '2025-07-31' }), 'visitDate'],
      ['mentoring', mentoringBody({ date: '2025-07-31' }), 'date'],
      ['exhibitions', exhibitionBody({ date: '2025-01-15' }), 'date'],
    ] as const;

    it.each<RefusalCase>([
      {
        name: 'NIK_ALREADY_REGISTERED: the same NIK registered twice as an RSE woman',
        given: registered(() => rseBody({ nik: twiceRegistered })),
        when: () =>
          registration(rseBody({ nik: twiceRegistered, name: 'Siti Aminah binti Ahmad' })),
        status: 409,
        code: 'NIK_ALREADY_REGISTERED',
        field: 'nik',
      },
      {
        name: 'NIK_ALREADY_REGISTERED: a KUBE member already registered in another KUBE',
        given: registered(() => firstKube),
        when: () =>
          registration(kubeWithMember(4, () => ({ ...firstKube.members[2], role: 'MEMBER' }))),
        status: 409,
        code: 'NIK_ALREADY_REGISTERED',
        field: 'members.4.nik',
      },
      {
        name: 'NIK_ALREADY_REGISTERED: a woman of a KUBE registered as an RSE woman',
        given: registered(() => womansKube),
        when: () => {
          const woman = womansKube.members[1];
          return registration(rseBody({ nik: woman.nik, name: woman.name }));
        },
        status: 409,
        code: 'NIK_ALREADY_REGISTERED',
        field: 'nik',
      },
      ...(['first', 'last'] as const).map((order): RefusalCase => {
        const reused = nextNik('female');
        return {
          name: `NIK_ALREADY_REGISTERED: an RSE NIK reused as a KUBE member (claimed ${order})`,
          given: registered(() => rseBody({ nik: reused })),
          when: () => registration(kubeBody({ members: membersClaimed(order, reused) })),
          status: 409,
          code: 'NIK_ALREADY_REGISTERED',
          field: 'members.2.nik',
        };
      }),
      {
        name: 'ALREADY_DISBURSED: a second disbursement while the first stands',
        given: aided(),
        when: disbursing({ disbursedOn: '2025-08-20' }),
        status: 409,
        code: 'ALREADY_DISBURSED',
      },
      ...(
        [
          ['RSE', rseBody, 5_000_001],
          ['KUBE', kubeBody, 20_000_001],
        ] as const
      ).map(([kind, body, rupiah]): RefusalCase => ({
        name: `VALUE_ABOVE_CEILING: ${kind} aid one rupiah above its ceiling`,
        given: registered(body),
        when: disbursing({ items: twoItemsWorth(rupiah) }),
        status: 409,
        code: 'VALUE_ABOVE_CEILING',
        field: 'items',
      })),
      {
        name: 'YEAR_OUTSIDE_PROGRAMME: aid in 2023',
        given: registered(),
        when: disbursing({ year: 2023, disbursedOn: '2023-11-01' }),
        status: 409,
        code: 'YEAR_OUTSIDE_PROGRAMME',
        field: 'year',
      },
      {
        name: 'YEAR_OUTSIDE_PROGRAMME: an allocation for 2023',
        when: () => allocation('2023/KUBE/64.72', { quota: 5 }),
        status: 409,
        code: 'YEAR_OUTSIDE_PROGRAMME',
        field: 'year',
      },
      {
        name: 'DATE_IN_FUTURE: aid handed over tomorrow',
        given: registered(),
        when: disbursing({ disbursedOn: '2025-09-16' }),
        status: 409,
        code: 'DATE_IN_FUTURE',
        field: 'disbursedOn',
      },
      {
        name: 'DATE_IN_FUTURE: a monitoring visit tomorrow',
        given: aided(),
        when: recording('monitoring', monitoringBody({ visitDate: '2025-09-16' })),
        status: 409,
        code: 'DATE_IN_FUTURE',
        field: 'visitDate',
      },
      {
        name: 'ALREADY_REVERSED: the same disbursement reversed twice',
        given: aidReversed('Barang tidak sesuai'),
        when: ({ disbursementId }) => reversal(disbursementId, { reason: 'Barang tidak sesuai' }),
        status: 409,
        code: 'ALREADY_REVERSED',
      },
      ...(['monitoring', 'mentoring', 'exhibitions'] as const).map((action): RefusalCase => ({
        name: `NOT_DISBURSED: ${action} of a recipient never aided`,
        given: registered(),
        when: recording(action),
        status: 409,
        code: 'NOT_DISBURSED',
      })),
      {
        name: 'NOT_DISBURSED: monitoring after the only disbursement was reversed',
        given: aidReversed('Data ganda'),
        when: recording('monitoring'),
        status: 409,
        code: 'NOT_DISBURSED',
      },
      ...followUpsDatedBeforeAid.map(([action, body, field]): RefusalCase => ({
        name: `DATE_BEFORE_DISBURSEMENT: ${action} dated before the aid`,
        given: aided({ disbursedOn: '2025-08-01' }),
        when: recording(action, body),
        status: 409,
        code: 'DATE_BEFORE_DISBURSEMENT',
        field,
      })),
      {
        // Ten regencies × 20 already make 200.
        name: 'ALLOCATION_ABOVE_TARGET: KUBE allocations summing above the yearly target of 200',
        when: () => allocation('2024/KUBE/64.01', { quota: 21 }),
        status: 409,
        code: 'ALLOCATION_ABOVE_TARGET',
        field: 'quota',
      },
      {
        name: 'ALLOCATION_ABOVE_TARGET: an RSE allocation above the yearly target of 500',
        when: () => allocation('2024/RSE/64.72', { quota: 501 }),
        status: 409,
        code: 'ALLOCATION_ABOVE_TARGET',
        field: 'quota',
      },
    ])('$name', refused);

    // After the table: with 64.02 lowered, 21 for 64.01 would no longer sum above 2024's target.
    it('ALLOCATION_BELOW_DISBURSED: an allocation lowered below the aid already given', async () => {
      await refused({
        given: aided({ year: 2024, disbursedOn: '2024-06-10', items: itemsWorth(18_500_000) }, () =>
          kubeBody({ regencyCode: '64.02' }),
        ),
        when: () => allocation('2024/KUBE/64.02', { quota: 0 }),
        status: 409,
        code: 'ALLOCATION_BELOW_DISBURSED',
        field: 'quota',
      });
      const lowered = await send(api, allocation('2024/KUBE/64.02', { quota: 1 }));
      expect(lowered.status).toBe(200);
    });

    it('QUOTA_EXHAUSTED: a second KUBE aided in a regency whose allocation is 1', async () => {
      await setAllocation(api, 2025, 'KUBE', '64.11', 1);
      const first = await register(api, kubeBody({ regencyCode: '64.11' }));
      const second = await register(api, kubeBody({ regencyCode: '64.11' }));
      await disburse(api, first, disbursementBody({ items: itemsWorth(15_000_000) }));
      await refused({
        when: () => disbursement(second, disbursementBody({ items: itemsWorth(15_000_000) })),
        status: 409,
        code: 'QUOTA_EXHAUSTED',
      });
    });

    it('a reversal frees the quota slot and lets the same recipient be aided again', async () => {
      await setAllocation(api, 2025, 'KUBE', '64.74', 1);
      const aidedKube = await register(api, kubeBody({ regencyCode: '64.74' }));
      const waiting = await register(api, kubeBody({ regencyCode: '64.74' }));
      const firstId = await disburse(
        api,
        aidedKube,
        disbursementBody({ disbursedOn: '2025-03-03' }),
      );
      const quotaExhausted: Refusal = {
        when: () => disbursement(waiting),
        status: 409,
        code: 'QUOTA_EXHAUSTED',
      };
      await refused(quotaExhausted);

      const reversed = await post(`/disbursements/${firstId}/reversal`, 'operator', {
        reason: 'Kelompok belum siap',
      });
      expect(reversed.status).toBe(200);

      const again = await post(
        `/recipients/${aidedKube}/disbursements`,
        'operator',
        disbursementBody({ disbursedOn: '2025-09-10' }),
      );
      expect(again.status).toBe(201);
      expect((again.body as DisbursementAnswer).disbursementId).toBe(`${aidedKube}.2`);
      await refused(quotaExhausted);
    });
  });

  describe('bodies the parser refuses', () => {
    it('413 for a body over 1 MiB', async () => {
      await refused({
        when: () => registration(rseBody({ address: 'Jl. Juanda '.repeat(100_000) })),
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
      });
    });

    it('accepts a body just under 1 MiB into validation (400, not 413)', async () => {
      const response = await expectRefusal(api, {
        when: () => registration(rseBody({ address: 'x'.repeat(1_000_000) })),
        status: 400,
        code: 'INVALID_INPUT',
      });
      expect(errorBody(response).errors?.map((error) => error.field)).toEqual(['address']);
    });

    const sendJson = (json: string): Test => send(api, registration(json));

    const MALFORMED = [
      ['a trailing comma', '{"kind":"RSE","nik":"6472055203900001","name":"Siti Aminah",}'],
      ['a bare NIK string (strict mode)', '"6472055203900001"'],
      ['leading garbage', 'x{"kind":"RSE","nik":"6472055203900001"}'],
    ];

    it.each(MALFORMED)('400 for malformed JSON with %s, writing nothing', async (_case, json) => {
      const response = await writesNothing(api, () => sendJson(json));
      expect(response.status).toBe(400);
    });

    it.each(MALFORMED)(
      'answers malformed JSON with %s as INVALID_BODY, quoting nothing of the body',
      async (_case, json) => {
        const response = await sendJson(json);
        expect(response.body).toEqual({
          statusCode: 400,
          code: 'INVALID_BODY',
          message: 'The request body is not valid JSON',
        });
      },
    );

    it.each([
      ['a JSON array', '[]'],
      ['JSON null', 'null'],
      ['a JSON string', '"Siti Aminah"'],
      ['a JSON number', '42'],
      ['nested nulls', '{"kind":"KUBE","members":[null,null,null,null,null]}'],
      ['a deeply nested object', `{"kind":"RSE","name":${'['.repeat(500)}${']'.repeat(500)}}`],
      [
        'a body nested 200,000 deep',
        `{"kind":"RSE","name":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
      ],
    ])('never 500: %s answers 400', async (_case, json) => {
      const response = await writesNothing(api, () => sendJson(json));
      expect(response.status).toBe(400);
    });
  });

  describe('Idempotency-Key', () => {
    let key = 0;
    const nextKey = () => `e2e-write-${++key}`;

    /** Same key + same body → first answer again; same key + other body → 422; neither writes. */
    async function expectIdempotent(
      path: string,
      role: TokenName,
      body: object,
      otherBody: object,
      status: number,
    ): Promise<void> {
      const idempotencyKey = nextKey();
      const keyed = { 'Idempotency-Key': idempotencyKey };
      const sendKeyed = (sent: object) => post(path, role, sent).set(keyed);
      const first = await sendKeyed(body);
      expect(first.status).toBe(status);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const repeat = await writesNothing(api, () => sendKeyed(body));
      expect(repeat.status).toBe(status);
      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');

      await refused({
        when: () => ({ method: 'POST', path, role, body: otherBody, headers: keyed }),
        status: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
    }

    it('POST /recipients', async () => {
      await expectIdempotent('/recipients', 'operator', rseBody(), rseBody(), 201);
    });

    it('POST /recipients/{id}/disbursements', async () => {
      const recipientId = await register(api, rseBody());
      await expectIdempotent(
        `/recipients/${recipientId}/disbursements`,
        'operator',
        disbursementBody(),
        disbursementBody({ disbursedOn: '2025-08-02' }),
        201,
      );
    });

    it('POST /disbursements/{id}/reversal (replays 200)', async () => {
      const disbursementId = await disburse(api, await register(api, rseBody()));
      await expectIdempotent(
        `/disbursements/${disbursementId}/reversal`,
        'operator',
        { reason: 'Salah input' },
        { reason: 'Salah input lagi' },
        200,
      );
    });

    it.each([
      ['monitoring', monitoringBody(), monitoringBody({ workers: 3 })],
      ['mentoring', mentoringBody(), mentoringBody({ topic: 'Pemasaran daring' })],
      ['exhibitions', exhibitionBody(), exhibitionBody({ name: 'Pameran Pesona Kaltim' })],
    ] as const)('POST /recipients/{id}/%s', async (path, body, otherBody) => {
      const recipientId = await register(api, rseBody());
      await disburse(api, recipientId);
      await expectIdempotent(`/recipients/${recipientId}/${path}`, 'monitor', body, otherBody, 201);
    });

    it('treats the same body with its keys in another order as the same request', async () => {
      const idempotencyKey = nextKey();
      const body = rseBody();
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const first = await post('/recipients', 'operator', body).set(
        'Idempotency-Key',
        idempotencyKey,
      );
      expect(first.status).toBe(201);
      const repeat = await writesNothing(api, () =>
        post('/recipients', 'operator', reordered).set('Idempotency-Key', idempotencyKey),
      );
      expect(repeat.status).toBe(201);
      expect(repeat.body).toEqual(first.body);
    });

    it('refuses a key that is not visible ASCII', async () => {
      await refused({
        when: () => ({
          ...registration(rseBody()),
          headers: { 'Idempotency-Key': 'kunci rahasia' },
        }),
        status: 400,
        code: 'INVALID_IDEMPOTENCY_KEY',
      });
    });

    it('a refused request carrying an Idempotency-Key writes no event either', async () => {
      await refused({
        when: () => ({
          ...registration(rseBody({ nik: nextNik('male') })),
          headers: { 'Idempotency-Key': nextKey() },
        }),
        status: 400,
        code: 'NIK_NOT_FEMALE',
      });
    });
  });
});
