import { randomUUID } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import {
  API,
  bearer,
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
  type TokenName,
} from '../helpers/api-client';

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
    api.http.post(`${API}${path}`).set('Authorization', bearer(role)).send(body);

  const put = (path: string, body: object): Test =>
    api.http.put(`${API}${path}`).set('Authorization', bearer('admin')).send(body);

  /** Sends one request and checks that it wrote nothing at all to the event store. */
  async function writesNothing(send: () => Test, check?: (response: Response) => void) {
    const before = await api.headPosition();
    const response = await send();
    const after = await api.headPosition();
    check?.(response);
    expect({ eventsWritten: after - before }).toEqual({ eventsWritten: 0n });
    return response;
  }

  /** A refusal: its status, its code (and field), and no event written. */
  async function expectRefused(
    send: () => Test,
    status: number,
    code: string,
    field?: string,
  ): Promise<Response> {
    return writesNothing(send, (response) => {
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status,
        body: { statusCode: status, code, message: expect.any(String) },
      });
      if (field !== undefined) expect(errorBody(response).field).toBe(field);
    });
  }

  /** A 400 whose `errors` name the field and the rule broken. */
  async function expectInvalid(
    send: () => Test,
    code: string,
    ...broken: { field: string; rule: string }[]
  ): Promise<void> {
    const response = await expectRefused(send, 400, code);
    const errors = errorBody(response).errors ?? [];
    for (const { field, rule } of broken) {
      expect(errors).toContainEqual({ field, rule, message: expect.any(String) });
    }
  }

  /** The head position now: a command's answered position is the head right after it. */
  async function expectPositionIsHead(answer: Answer, previous: bigint): Promise<bigint> {
    expect(answer.position).toMatch(POSITION);
    const position = BigInt(answer.position);
    expect(position).toBeGreaterThan(previous);
    expect(position).toBe(await api.headPosition());
    return position;
  }

  describe('happy paths', () => {
    it('PUT /programme/allocations answers 200 with the allocation and the position of its event', async () => {
      const before = await api.headPosition();
      const response = await put('/programme/allocations/2026/KUBE/64.09', { quota: 12 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        year: 2026,
        kind: 'KUBE',
        regencyCode: '64.09',
        quota: 12,
        position: expect.stringMatching(POSITION),
      });
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
      const response = await writesNothing(() =>
        put('/programme/allocations/2026/KUBE/64.08', { quota: 20 }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        year: 2026,
        kind: 'KUBE',
        regencyCode: '64.08',
        quota: 20,
        position: '0',
      });
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

  describe('400 invalid input names each field and rule, and writes nothing', () => {
    let fresh: string;
    const unknownRecipient = randomUUID();

    beforeAll(async () => {
      fresh = await register(api, rseBody());
    });

    it.each([
      ['POST /recipients (RSE)', '/recipients', () => ({ ...rseBody(), extra: 1 }), 'extra'],
      [
        'POST /recipients (KUBE member)',
        '/recipients',
        () => {
          const body = kubeBody();
          return { ...body, members: [{ ...body.members[0], age: 40 }, ...body.members.slice(1)] };
        },
        'members.0.age',
      ],
      [
        'POST disbursements',
        `/recipients/${unknownRecipient}/disbursements`,
        () => ({ ...disbursementBody(), currency: 'IDR' }),
        'currency',
      ],
      [
        'POST disbursements (item)',
        `/recipients/${unknownRecipient}/disbursements`,
        () => ({ ...disbursementBody(), items: [{ ...itemsWorth(1_000)[0], brand: 'X' }] }),
        'items.0.brand',
      ],
      [
        'POST reversal',
        `/disbursements/${unknownRecipient}.1/reversal`,
        () => ({ reason: 'salah', approvedBy: 'kepala dinas' }),
        'approvedBy',
      ],
      [
        'POST monitoring',
        `/recipients/${unknownRecipient}/monitoring`,
        () => ({ ...monitoringBody(), turnover: 1 }),
        'turnover',
      ],
      [
        'POST mentoring',
        `/recipients/${unknownRecipient}/mentoring`,
        () => ({ ...mentoringBody(), hours: 2 }),
        'hours',
      ],
      [
        'POST exhibitions',
        `/recipients/${unknownRecipient}/exhibitions`,
        () => ({ ...exhibitionBody(), city: 'Samarinda' }),
        'city',
      ],
    ])('%s refuses an unknown field', async (_name, path, body, field) => {
      const role: TokenName = /monitoring|mentoring|exhibitions/.test(path)
        ? 'monitor'
        : 'operator';
      await expectInvalid(() => post(path, role, body()), 'INVALID_INPUT', {
        field,
        rule: 'whitelistValidation',
      });
    });

    it('PUT /programme/allocations refuses an unknown field', async () => {
      await expectInvalid(
        () => put('/programme/allocations/2026/KUBE/64.09', { quota: 3, note: 'x' }),
        'INVALID_INPUT',
        { field: 'note', rule: 'whitelistValidation' },
      );
    });

    it.each(['constructor', '__proto__', 'hasOwnProperty'])(
      'refuses an unknown field named like an Object.prototype member (%s)',
      async (field) => {
        const json = JSON.stringify(rseBody()).replace(/}$/, `,"${field}":{"role":"admin"}}`);
        await expectInvalid(
          () =>
            api.http
              .post(`${API}/recipients`)
              .set('Authorization', bearer('operator'))
              .set('Content-Type', 'application/json')
              .send(json),
          'INVALID_INPUT',
          { field, rule: 'whitelistValidation' },
        );
      },
    );

    it('refuses a registration without kind', async () => {
      const { kind: _kind, ...body } = rseBody();
      await expectInvalid(() => post('/recipients', 'operator', body), 'INVALID_INPUT', {
        field: 'kind',
        rule: 'isIn',
      });
    });

    it('refuses an unknown kind', async () => {
      await expectInvalid(
        () => post('/recipients', 'operator', { ...rseBody(), kind: 'PKH' }),
        'INVALID_INPUT',
        { field: 'kind', rule: 'isIn' },
      );
    });

    it('names every missing field of an RSE registration', async () => {
      await expectInvalid(
        () => post('/recipients', 'operator', { kind: 'RSE' }),
        'INVALID_INPUT',
        { field: 'regencyCode', rule: 'matches' },
        { field: 'name', rule: 'isString' },
        { field: 'nik', rule: 'matches' },
        { field: 'businessType', rule: 'isString' },
      );
    });

    it.each(['647205520390001', '64720552039000012', '64720552039O0001', ''])(
      'refuses a NIK that is not 16 digits (%p)',
      async (nik) => {
        await expectInvalid(
          () => post('/recipients', 'operator', rseBody({ nik })),
          'INVALID_INPUT',
          { field: 'nik', rule: 'matches' },
        );
      },
    );

    it.each([
      ['month 13', '6472055213900001'],
      ['day 72 (31 + 40 is the last)', '6472057201900001'],
      ['31 April', '6472057104900001'],
      ['district 00', '6472005203900001'],
      ['serial 0000', '6472055203900000'],
    ])('refuses a NIK of 16 digits that cannot exist: %s', async (_case, nik) => {
      await expectInvalid(() => post('/recipients', 'operator', rseBody({ nik })), 'INVALID_NIK', {
        field: 'nik',
        rule: 'INVALID_NIK',
      });
    });

    it('refuses a male NIK for an RSE woman (NIK_NOT_FEMALE)', async () => {
      const response = await expectRefused(
        () => post('/recipients', 'operator', rseBody({ nik: nextNik('male') })),
        400,
        'NIK_NOT_FEMALE',
        'nik',
      );
      expect(errorBody(response).errors).toEqual([
        { field: 'nik', rule: 'NIK_NOT_FEMALE', message: expect.any(String) },
      ]);
    });

    it('refuses a KUBE of four members', async () => {
      await expectInvalid(
        () => post('/recipients', 'operator', kubeBody({ members: kubeMembers(4) })),
        'INVALID_INPUT',
        { field: 'members', rule: 'arrayMinSize' },
      );
    });

    it('refuses a KUBE of six members', async () => {
      const members = kubeMembers(6).map((member, index) =>
        index === 0 ? member : { ...member, role: 'MEMBER' as const },
      );
      await expectInvalid(
        () => post('/recipients', 'operator', kubeBody({ members })),
        'INVALID_INPUT',
        { field: 'members', rule: 'arrayMaxSize' },
      );
    });

    it('refuses a KUBE whose members share a NIK', async () => {
      const members = kubeMembers();
      members[3] = { ...members[3], nik: members[1].nik };
      await expectRefused(
        () => post('/recipients', 'operator', kubeBody({ members })),
        400,
        'DUPLICATE_MEMBER_NIK',
        'members.3.nik',
      );
    });

    it('refuses a KUBE with two chairs', async () => {
      const members = kubeMembers();
      members[4] = { ...members[4], role: 'CHAIR' };
      await expectRefused(
        () => post('/recipients', 'operator', kubeBody({ members })),
        400,
        'ONE_CHAIR_REQUIRED',
        'members',
      );
    });

    it('refuses a KUBE without a chair', async () => {
      const members = kubeMembers().map((member) => ({ ...member, role: 'MEMBER' as const }));
      await expectRefused(
        () => post('/recipients', 'operator', kubeBody({ members })),
        400,
        'ONE_CHAIR_REQUIRED',
        'members',
      );
    });

    it('refuses a KUBE member with an invalid NIK, naming the member', async () => {
      const members = kubeMembers();
      members[2] = { ...members[2], nik: '6472051313900001' };
      await expectRefused(
        () => post('/recipients', 'operator', kubeBody({ members })),
        400,
        'INVALID_NIK',
        'members.2.nik',
      );
    });

    it('refuses an unknown member role', async () => {
      const members = kubeMembers();
      members[1] = { ...members[1], role: 'KETUA' as 'CHAIR' };
      await expectInvalid(
        () => post('/recipients', 'operator', kubeBody({ members })),
        'INVALID_INPUT',
        { field: 'members.1.role', rule: 'isIn' },
      );
    });

    it.each(['RSE', 'KUBE'] as const)('refuses the unknown regency 64.99 (%s)', async (kind) => {
      const body =
        kind === 'RSE' ? rseBody({ regencyCode: '64.99' }) : kubeBody({ regencyCode: '64.99' });
      await expectRefused(
        () => post('/recipients', 'operator', body),
        400,
        'UNKNOWN_REGENCY',
        'regencyCode',
      );
    });

    it('refuses an allocation for the unknown regency 64.99', async () => {
      await expectRefused(
        () => put('/programme/allocations/2025/KUBE/64.99', { quota: 1 }),
        400,
        'UNKNOWN_REGENCY',
        'regencyCode',
      );
    });

    it.each([
      ['year not a number', '/programme/allocations/tahun/KUBE/64.72', { quota: 1 }, 'year'],
      ['unknown kind', '/programme/allocations/2025/PKH/64.72', { quota: 1 }, 'kind'],
      [
        'regency code of another province',
        '/programme/allocations/2025/KUBE/63.72',
        { quota: 1 },
        'regencyCode',
      ],
      ['negative quota', '/programme/allocations/2025/KUBE/64.72', { quota: -1 }, 'quota'],
      ['fractional quota', '/programme/allocations/2025/KUBE/64.72', { quota: 1.5 }, 'quota'],
      ['quota as text', '/programme/allocations/2025/KUBE/64.72', { quota: '5' }, 'quota'],
    ])('refuses an allocation with %s', async (_case, path, body, field) => {
      const response = await expectRefused(() => put(path, body), 400, 'INVALID_INPUT');
      expect(errorBody(response).errors?.map((error) => error.field)).toContain(field);
    });

    it('refuses a disbursement whose year is a string', async () => {
      await expectInvalid(
        () =>
          post(`/recipients/${fresh}/disbursements`, 'operator', {
            ...disbursementBody(),
            year: '2025',
          }),
        'INVALID_INPUT',
        { field: 'year', rule: 'isInt' },
      );
    });

    it('names every broken field of a disbursement', async () => {
      await expectInvalid(
        () =>
          post(`/recipients/${fresh}/disbursements`, 'operator', {
            year: 2025.5,
            form: 'CASH',
            items: [{ description: ' ', quantity: 0, unitPriceRupiah: -1 }],
            disbursedOn: '01-08-2025',
          }),
        'INVALID_INPUT',
        { field: 'year', rule: 'isInt' },
        { field: 'form', rule: 'isIn' },
        { field: 'items.0.description', rule: 'matches' },
        { field: 'items.0.quantity', rule: 'min' },
        { field: 'items.0.unitPriceRupiah', rule: 'min' },
        { field: 'disbursedOn', rule: 'matches' },
      );
    });

    it('refuses a disbursement without items', async () => {
      await expectInvalid(
        () =>
          post(`/recipients/${fresh}/disbursements`, 'operator', disbursementBody({ items: [] })),
        'INVALID_INPUT',
        { field: 'items', rule: 'arrayMinSize' },
      );
    });

    it('refuses a disbursement dated outside its year (DATE_NOT_IN_YEAR)', async () => {
      await expectRefused(
        () =>
          post(
            `/recipients/${fresh}/disbursements`,
            'operator',
            disbursementBody({ year: 2025, disbursedOn: '2024-12-31' }),
          ),
        400,
        'DATE_NOT_IN_YEAR',
        'disbursedOn',
      );
    });

    it('refuses a disbursement dated on a day that does not exist', async () => {
      await expectRefused(
        () =>
          post(
            `/recipients/${fresh}/disbursements`,
            'operator',
            disbursementBody({ disbursedOn: '2025-02-29' }),
          ),
        400,
        'INVALID_DATE',
        'disbursedOn',
      );
    });

    it('refuses aid worth Rp0 (VALUE_ZERO)', async () => {
      await expectRefused(
        () =>
          post(
            `/recipients/${fresh}/disbursements`,
            'operator',
            disbursementBody({
              items: [
                { description: 'Bibit gratis', quantity: 3, unitPriceRupiah: 0 },
                { description: 'Brosur', quantity: 1, unitPriceRupiah: 0 },
              ],
            }),
          ),
        400,
        'VALUE_ZERO',
        'items',
      );
    });

    it.each([
      ['disbursements', 'operator', () => disbursementBody()],
      ['monitoring', 'monitor', () => monitoringBody()],
      ['mentoring', 'monitor', () => mentoringBody()],
      ['exhibitions', 'monitor', () => exhibitionBody()],
    ] as const)('refuses a recipient id that is not a UUID (%s)', async (path, role, body) => {
      await expectInvalid(() => post(`/recipients/123/${path}`, role, body()), 'INVALID_INPUT', {
        field: 'id',
        rule: 'isUuid',
      });
    });

    it('refuses a disbursement id that is not one', async () => {
      await expectInvalid(
        () => post(`/disbursements/${fresh}/reversal`, 'operator', { reason: 'salah' }),
        'INVALID_INPUT',
        { field: 'id', rule: 'matches' },
      );
    });

    it('refuses a reversal without a reason', async () => {
      await expectInvalid(
        () => post(`/disbursements/${fresh}.1/reversal`, 'operator', { reason: '   ' }),
        'INVALID_INPUT',
        { field: 'reason', rule: 'matches' },
      );
    });

    it('names every broken field of a monitoring visit', async () => {
      await expectInvalid(
        () =>
          post(`/recipients/${fresh}/monitoring`, 'monitor', {
            visitDate: '2025/09/01',
            businessStatus: 'BOOMING',
            monthlyTurnoverRupiah: -5,
            workers: 1.5,
            workersFromPoorHouseholds: 0,
            challenges: ['WEATHER', 'WEATHER'],
          }),
        'INVALID_INPUT',
        { field: 'visitDate', rule: 'matches' },
        { field: 'businessStatus', rule: 'isIn' },
        { field: 'monthlyTurnoverRupiah', rule: 'min' },
        { field: 'workers', rule: 'isInt' },
        { field: 'challenges', rule: 'arrayUnique' },
        { field: 'challenges', rule: 'isIn' },
      );
    });

    it('refuses more workers from poor households than workers', async () => {
      const aided = await register(api, rseBody());
      await disburse(api, aided);
      await expectRefused(
        () =>
          post(
            `/recipients/${aided}/monitoring`,
            'monitor',
            monitoringBody({ workers: 1, workersFromPoorHouseholds: 2 }),
          ),
        400,
        'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
        'workersFromPoorHouseholds',
      );
    });

    it.each([
      ['mentoring', { partner: '', topic: 'x', date: '2025-09-01' }, 'partner'],
      ['exhibitions', { name: 'x'.repeat(201), date: '2025-09-01' }, 'name'],
      ['exhibitions', { name: 'Pameran', date: 20250901 }, 'date'],
    ] as const)('refuses a %s record with a bad %s', async (path, body, field) => {
      const response = await expectRefused(
        () => post(`/recipients/${fresh}/${path}`, 'monitor', body),
        400,
        'INVALID_INPUT',
      );
      expect(errorBody(response).errors?.map((error) => error.field)).toContain(field);
    });
  });

  describe('404 unknown ids', () => {
    it.each([
      ['disbursements', 'operator', () => disbursementBody()],
      ['monitoring', 'monitor', () => monitoringBody()],
      ['mentoring', 'monitor', () => mentoringBody()],
      ['exhibitions', 'monitor', () => exhibitionBody()],
    ] as const)(
      'POST %s for an unknown recipient: RECIPIENT_NOT_FOUND',
      async (path, role, body) => {
        await expectRefused(
          () => post(`/recipients/${randomUUID()}/${path}`, role, body()),
          404,
          'RECIPIENT_NOT_FOUND',
        );
      },
    );

    it('reversal of an unknown disbursement: DISBURSEMENT_NOT_FOUND', async () => {
      await expectRefused(
        () => post(`/disbursements/${randomUUID()}.1/reversal`, 'operator', { reason: 'salah' }),
        404,
        'DISBURSEMENT_NOT_FOUND',
      );
    });

    it('reversal of a disbursement a registered recipient never had: DISBURSEMENT_NOT_FOUND', async () => {
      const recipientId = await register(api, rseBody());
      await expectRefused(
        () => post(`/disbursements/${recipientId}.1/reversal`, 'operator', { reason: 'salah' }),
        404,
        'DISBURSEMENT_NOT_FOUND',
      );
    });
  });

  describe('409 rules refused', () => {
    it('NIK_ALREADY_REGISTERED: the same NIK registered twice as an RSE woman', async () => {
      const nik = nextNik('female');
      await register(api, rseBody({ nik }));
      await expectRefused(
        () => post('/recipients', 'operator', rseBody({ nik, name: 'Siti Aminah binti Ahmad' })),
        409,
        'NIK_ALREADY_REGISTERED',
        'nik',
      );
    });

    it('NIK_ALREADY_REGISTERED: a KUBE member already registered in another KUBE', async () => {
      const first = kubeBody();
      await register(api, first);
      const members = kubeMembers();
      members[4] = { ...first.members[2], role: 'MEMBER' };
      await expectRefused(
        () => post('/recipients', 'operator', kubeBody({ members })),
        409,
        'NIK_ALREADY_REGISTERED',
        'members.4.nik',
      );
    });

    it('NIK_ALREADY_REGISTERED: a woman of a KUBE registered as an RSE woman', async () => {
      const kube = kubeBody();
      await register(api, kube);
      const woman = kube.members[1];
      await expectRefused(
        () => post('/recipients', 'operator', rseBody({ nik: woman.nik, name: woman.name })),
        409,
        'NIK_ALREADY_REGISTERED',
        'nik',
      );
    });

    // NIKs are claimed in the order of their keyed hashes, so where the reused NIK falls in that
    // order decides how far a refused registration gets; it must write nothing either way.
    const hasher = new NikHasher(NIK_HMAC_SECRET);
    it.each(['first', 'last'] as const)(
      'NIK_ALREADY_REGISTERED: an RSE NIK reused as a KUBE member (claimed %s)',
      async (order) => {
        const reused = nextNik('female');
        await register(api, rseBody({ nik: reused }));
        const reusedHash = hasher.hash(reused);
        const others: string[] = [];
        while (others.length < 4) {
          const candidate = nextNik('male');
          const after = hasher.hash(candidate).localeCompare(reusedHash) > 0;
          if (after === (order === 'first')) others.push(candidate);
        }
        const members = kubeMembers().map((member, index) => ({
          ...member,
          nik: index === 2 ? reused : others[index < 2 ? index : index - 1],
        }));
        await expectRefused(
          () => post('/recipients', 'operator', kubeBody({ members })),
          409,
          'NIK_ALREADY_REGISTERED',
          'members.2.nik',
        );
      },
    );

    it('ALREADY_DISBURSED: a second disbursement while the first stands', async () => {
      const recipientId = await register(api, rseBody());
      await disburse(api, recipientId);
      await expectRefused(
        () =>
          post(
            `/recipients/${recipientId}/disbursements`,
            'operator',
            disbursementBody({ disbursedOn: '2025-08-20' }),
          ),
        409,
        'ALREADY_DISBURSED',
      );
    });

    it.each([
      ['RSE', () => rseBody(), 5_000_001],
      ['KUBE', () => kubeBody(), 20_000_001],
    ] as const)(
      'VALUE_ABOVE_CEILING: %s aid one rupiah above its ceiling',
      async (_kind, body, rupiah) => {
        const recipientId = await register(api, body());
        await expectRefused(
          () =>
            post(
              `/recipients/${recipientId}/disbursements`,
              'operator',
              disbursementBody({
                items: [
                  { description: 'Mesin jahit', quantity: 1, unitPriceRupiah: rupiah - 1 },
                  { description: 'Benang', quantity: 1, unitPriceRupiah: 1 },
                ],
              }),
            ),
          409,
          'VALUE_ABOVE_CEILING',
          'items',
        );
      },
    );

    it('YEAR_OUTSIDE_PROGRAMME: aid in 2023', async () => {
      const recipientId = await register(api, rseBody());
      await expectRefused(
        () =>
          post(
            `/recipients/${recipientId}/disbursements`,
            'operator',
            disbursementBody({ year: 2023, disbursedOn: '2023-11-01' }),
          ),
        409,
        'YEAR_OUTSIDE_PROGRAMME',
        'year',
      );
    });

    it('YEAR_OUTSIDE_PROGRAMME: an allocation for 2023', async () => {
      await expectRefused(
        () => put('/programme/allocations/2023/KUBE/64.72', { quota: 5 }),
        409,
        'YEAR_OUTSIDE_PROGRAMME',
        'year',
      );
    });

    it('DATE_IN_FUTURE: aid handed over tomorrow', async () => {
      const recipientId = await register(api, rseBody());
      await expectRefused(
        () =>
          post(
            `/recipients/${recipientId}/disbursements`,
            'operator',
            disbursementBody({ disbursedOn: '2025-09-16' }),
          ),
        409,
        'DATE_IN_FUTURE',
        'disbursedOn',
      );
    });

    it('DATE_IN_FUTURE: a monitoring visit tomorrow', async () => {
      const recipientId = await register(api, rseBody());
      await disburse(api, recipientId);
      await expectRefused(
        () =>
          post(
            `/recipients/${recipientId}/monitoring`,
            'monitor',
            monitoringBody({ visitDate: '2025-09-16' }),
          ),
        409,
        'DATE_IN_FUTURE',
        'visitDate',
      );
    });

    it('ALREADY_REVERSED: the same disbursement reversed twice', async () => {
      const recipientId = await register(api, rseBody());
      const disbursementId = await disburse(api, recipientId);
      const first = await post(`/disbursements/${disbursementId}/reversal`, 'operator', {
        reason: 'Barang tidak sesuai',
      });
      expect(first.status).toBe(200);
      await expectRefused(
        () =>
          post(`/disbursements/${disbursementId}/reversal`, 'operator', {
            reason: 'Barang tidak sesuai',
          }),
        409,
        'ALREADY_REVERSED',
      );
    });

    it.each(['monitoring', 'mentoring', 'exhibitions'] as const)(
      'NOT_DISBURSED: %s of a recipient never aided',
      async (path) => {
        const recipientId = await register(api, rseBody());
        const body =
          path === 'monitoring'
            ? monitoringBody()
            : path === 'mentoring'
              ? mentoringBody()
              : exhibitionBody();
        await expectRefused(
          () => post(`/recipients/${recipientId}/${path}`, 'monitor', body),
          409,
          'NOT_DISBURSED',
        );
      },
    );

    it('NOT_DISBURSED: monitoring after the only disbursement was reversed', async () => {
      const recipientId = await register(api, rseBody());
      const disbursementId = await disburse(api, recipientId);
      const reversed = await post(`/disbursements/${disbursementId}/reversal`, 'operator', {
        reason: 'Data ganda',
      });
      expect(reversed.status).toBe(200);
      await expectRefused(
        () => post(`/recipients/${recipientId}/monitoring`, 'monitor', monitoringBody()),
        409,
        'NOT_DISBURSED',
      );
    });

    it.each([
      ['monitoring', monitoringBody({ visitDate: '2025-07-31' }), 'visitDate'],
      ['mentoring', mentoringBody({ date: '2025-07-31' }), 'date'],
      ['exhibitions', exhibitionBody({ date: '2025-01-15' }), 'date'],
    ] as const)('DATE_BEFORE_DISBURSEMENT: %s dated before the aid', async (path, body, field) => {
      const recipientId = await register(api, rseBody());
      await disburse(api, recipientId, disbursementBody({ disbursedOn: '2025-08-01' }));
      await expectRefused(
        () => post(`/recipients/${recipientId}/${path}`, 'monitor', body),
        409,
        'DATE_BEFORE_DISBURSEMENT',
        field,
      );
    });

    it('ALLOCATION_ABOVE_TARGET: KUBE allocations summing above the yearly target of 200', async () => {
      // Ten regencies × 20 already make 200.
      await expectRefused(
        () => put('/programme/allocations/2024/KUBE/64.01', { quota: 21 }),
        409,
        'ALLOCATION_ABOVE_TARGET',
        'quota',
      );
    });

    it('ALLOCATION_ABOVE_TARGET: an RSE allocation above the yearly target of 500', async () => {
      await expectRefused(
        () => put('/programme/allocations/2024/RSE/64.72', { quota: 501 }),
        409,
        'ALLOCATION_ABOVE_TARGET',
        'quota',
      );
    });

    it('ALLOCATION_BELOW_DISBURSED: an allocation lowered below the aid already given', async () => {
      const recipientId = await register(api, kubeBody({ regencyCode: '64.02' }));
      await disburse(
        api,
        recipientId,
        disbursementBody({ year: 2024, disbursedOn: '2024-06-10', items: itemsWorth(18_500_000) }),
      );
      await expectRefused(
        () => put('/programme/allocations/2024/KUBE/64.02', { quota: 0 }),
        409,
        'ALLOCATION_BELOW_DISBURSED',
        'quota',
      );
      const lowered = await put('/programme/allocations/2024/KUBE/64.02', { quota: 1 });
      expect(lowered.status).toBe(200);
    });

    it('QUOTA_EXHAUSTED: a second KUBE aided in a regency whose allocation is 1', async () => {
      await setAllocation(api, 2025, 'KUBE', '64.11', 1);
      const first = await register(api, kubeBody({ regencyCode: '64.11' }));
      const second = await register(api, kubeBody({ regencyCode: '64.11' }));
      await disburse(api, first, disbursementBody({ items: itemsWorth(15_000_000) }));
      await expectRefused(
        () =>
          post(
            `/recipients/${second}/disbursements`,
            'operator',
            disbursementBody({ items: itemsWorth(15_000_000) }),
          ),
        409,
        'QUOTA_EXHAUSTED',
      );
    });

    it('a reversal frees the quota slot and lets the same recipient be aided again', async () => {
      await setAllocation(api, 2025, 'KUBE', '64.74', 1);
      const aided = await register(api, kubeBody({ regencyCode: '64.74' }));
      const waiting = await register(api, kubeBody({ regencyCode: '64.74' }));
      const firstId = await disburse(api, aided, disbursementBody({ disbursedOn: '2025-03-03' }));
      await expectRefused(
        () => post(`/recipients/${waiting}/disbursements`, 'operator', disbursementBody()),
        409,
        'QUOTA_EXHAUSTED',
      );

      const reversed = await post(`/disbursements/${firstId}/reversal`, 'operator', {
        reason: 'Kelompok belum siap',
      });
      expect(reversed.status).toBe(200);

      const again = await post(
        `/recipients/${aided}/disbursements`,
        'operator',
        disbursementBody({ disbursedOn: '2025-09-10' }),
      );
      expect(again.status).toBe(201);
      expect((again.body as DisbursementAnswer).disbursementId).toBe(`${aided}.2`);
      await expectRefused(
        () => post(`/recipients/${waiting}/disbursements`, 'operator', disbursementBody()),
        409,
        'QUOTA_EXHAUSTED',
      );
    });
  });

  describe('bodies the parser refuses', () => {
    it('413 for a body over 1 MiB', async () => {
      await expectRefused(
        () => post('/recipients', 'operator', rseBody({ address: 'Jl. Juanda '.repeat(100_000) })),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('accepts a body just under 1 MiB into validation (400, not 413)', async () => {
      const response = await expectRefused(
        () => post('/recipients', 'operator', rseBody({ address: 'x'.repeat(1_000_000) })),
        400,
        'INVALID_INPUT',
      );
      expect(errorBody(response).errors?.map((error) => error.field)).toEqual(['address']);
    });

    const sendJson = (json: string): Test =>
      api.http
        .post(`${API}/recipients`)
        .set('Authorization', bearer('operator'))
        .set('Content-Type', 'application/json')
        .send(json);

    const MALFORMED = [
      ['a trailing comma', '{"kind":"RSE","nik":"6472055203900001","name":"Siti Aminah",}'],
      ['a bare NIK string (strict mode)', '"6472055203900001"'],
      ['leading garbage', 'x{"kind":"RSE","nik":"6472055203900001"}'],
    ];

    it.each(MALFORMED)('400 for malformed JSON with %s, writing nothing', async (_case, json) => {
      await writesNothing(
        () => sendJson(json),
        (response) => expect(response.status).toBe(400),
      );
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
      await writesNothing(
        () => sendJson(json),
        (response) => expect(response.status).toBe(400),
      );
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
      const send = (sent: object) => post(path, role, sent).set('Idempotency-Key', idempotencyKey);
      const first = await send(body);
      expect(first.status).toBe(status);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const repeat = await writesNothing(() => send(body));
      expect(repeat.status).toBe(status);
      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers['idempotent-replayed']).toBe('true');

      await expectRefused(() => send(otherBody), 422, 'IDEMPOTENCY_KEY_REUSED');
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
      const repeat = await writesNothing(() =>
        post('/recipients', 'operator', reordered).set('Idempotency-Key', idempotencyKey),
      );
      expect(repeat.status).toBe(201);
      expect(repeat.body).toEqual(first.body);
    });

    it('refuses a key that is not visible ASCII', async () => {
      await expectRefused(
        () => post('/recipients', 'operator', rseBody()).set('Idempotency-Key', 'kunci rahasia'),
        400,
        'INVALID_IDEMPOTENCY_KEY',
      );
    });

    it('a refused request carrying an Idempotency-Key writes no event either', async () => {
      await expectRefused(
        () =>
          post('/recipients', 'operator', rseBody({ nik: nextNik('male') })).set(
            'Idempotency-Key',
            nextKey(),
          ),
        400,
        'NIK_NOT_FEMALE',
      );
    });
  });
});
