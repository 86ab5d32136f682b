import type { Response } from 'supertest';
import { NikHasher } from '../../src/platform/command-handling/nik-hasher';
import {
  API,
  bearer,
  disbursementBody,
  errorBody,
  kubeBody,
  kubeMembers,
  nextNik,
  NIK_HMAC_SECRET,
  register,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';
import { disbursement, registration, send, writesNothing } from '../helpers/write-scenarios';

/** `6472055203900013` written in fours with `separator`. */
const inFours = (nik: string, separator: string): string =>
  nik.match(/\d{4}/g)?.join(separator) ?? nik;

describe('input as people type it (/api/v1)', () => {
  let api: Api;
  const logLines: string[] = [];
  const hasher = new NikHasher(NIK_HMAC_SECRET);
  /** Every NIK this spec sends, in every way it writes them: none may reach a log line. */
  const niksSent = new Set<string>();

  beforeAll(async () => {
    api = await startApi({ logs: { write: (line) => void logLines.push(line) } });
  });

  afterAll(() => api.stop());

  const stored = async (before: bigint, type: string) =>
    (await api.eventsAfter(before)).filter((event) => event.type === type);

  describe('NIKs written with spaces, dots or dashes', () => {
    it.each([
      ['spaces', ' '],
      ['dots', '.'],
      ['dashes', '-'],
    ])(
      'registers an RSE woman whose NIK is written in fours with %s, as its 16 digits',
      async (_case, separator) => {
        const nik = nextNik('female');
        const typed = inFours(nik, separator);
        niksSent.add(nik).add(typed);
        const before = await api.headPosition();
        await register(api, rseBody({ nik: typed }));
        const [event] = await stored(before, 'RecipientRegistered');
        expect(event.data).toMatchObject({
          nikHash: hasher.hash(nik),
          nikMasked: `${nik.slice(0, 4)}********${nik.slice(12)}`,
        });
      },
    );

    it('knows a NIK registered in digits when it comes back with separators', async () => {
      const nik = nextNik('female');
      niksSent.add(nik);
      await register(api, rseBody({ nik }));
      for (const typed of [
        inFours(nik, ' '),
        inFours(nik, '.'),
        `${nik.slice(0, 6)}-${nik.slice(6, 12)}-${nik.slice(12)}`,
      ]) {
        niksSent.add(typed);
        const response = await writesNothing(api, () =>
          send(api, registration(rseBody({ nik: typed, name: 'Siti Aminah binti Ahmad' }))),
        );
        expect(response.status).toBe(409);
        expect(errorBody(response)).toMatchObject({ code: 'NIK_ALREADY_REGISTERED', field: 'nik' });
      }
    });

    it('reads every KUBe member’s NIK the way it is written', async () => {
      const members = kubeMembers().map((member, index) => ({
        ...member,
        nik: index === 0 ? member.nik : inFours(member.nik, [' ', '.', '-', '\u00a0'][index % 4]),
      }));
      members.forEach((member) => niksSent.add(member.nik));
      const before = await api.headPosition();
      await register(api, kubeBody({ members }));
      const [event] = await stored(before, 'RecipientRegistered');
      const digits = members.map((member) => member.nik.replace(/\D/g, ''));
      expect(
        (event.data as { members: { nikHash: string }[] }).members.map((m) => m.nikHash),
      ).toEqual(digits.map((nik) => hasher.hash(nik)));
    });

    it.each([
      ['a letter', (nik: string) => `${inFours(nik, ' ').slice(0, -1)}O`],
      ['a slash', (nik: string) => inFours(nik, '/')],
      ['a separator inside a part', (nik: string) => `${nik.slice(0, 3)} ${nik.slice(3)}`],
      ['two spaces together', (nik: string) => inFours(nik, '  ')],
      ['15 digits', (nik: string) => inFours(nik, ' ').slice(0, -1)],
      ['17 digits', (nik: string) => `${inFours(nik, '.')}1`],
    ])(
      'refuses a NIK with %s: 400 naming the field, never quoting it, writing nothing',
      async (_case, write) => {
        const nik = nextNik('female');
        const typed = write(nik);
        niksSent.add(nik).add(typed);
        const response = await writesNothing(api, () =>
          send(api, registration(rseBody({ nik: typed }))),
        );
        expect(response.status).toBe(400);
        expect(errorBody(response)).toEqual({
          statusCode: 400,
          code: 'INVALID_INPUT',
          message: 'nik must be exactly 16 digits',
          errors: [{ field: 'nik', rule: 'matches', message: 'nik must be exactly 16 digits' }],
        });
      },
    );

    it('names a member’s NIK by its path, in Indonesian too', async () => {
      const members = kubeMembers();
      members[3] = { ...members[3], nik: `${inFours(members[3].nik, '.')}x` };
      members.forEach((member) => niksSent.add(member.nik));
      const response = await writesNothing(api, () =>
        send(api, {
          ...registration(kubeBody({ members })),
          headers: { 'Accept-Language': 'id' },
        }),
      );
      expect(response.status).toBe(400);
      expect(errorBody(response).errors).toEqual([
        { field: 'members.3.nik', rule: 'matches', message: 'nik harus terdiri dari 16 angka' },
      ]);
    });
  });

  describe('item quantities with units', () => {
    // Items as a client may send them: with units, or with what the API refuses.
    const post = (recipientId: string, items: object[], headers: Record<string, string> = {}) =>
      send(api, { ...disbursement(recipientId, { ...disbursementBody(), items }), headers });

    const flour = {
      description: 'Tepung terigu',
      quantity: 2.5,
      unit: 'kg',
      unitPriceRupiah: 14_000,
    };

    it('disburses 2.5 kg at Rp14,000 as exactly Rp35,000, unit kept, the default unit left out', async () => {
      const recipientId = await register(api, rseBody());
      const before = await api.headPosition();
      const items = [
        flour,
        { description: 'Minyak goreng', quantity: 0.75, unit: ' L ', unitPriceRupiah: 20_000 },
        { description: 'Gula pasir', quantity: 12.125, unit: 'kg', unitPriceRupiah: 16_000 },
        { description: 'Oven gas', quantity: 1, unitPriceRupiah: 4_741_000 },
        { description: 'Loyang', quantity: 3, unit: 'unit', unitPriceRupiah: 5_000 },
      ];
      const response = await post(recipientId, items);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        valueRupiah: 35_000 + 15_000 + 194_000 + 4_741_000 + 15_000,
      });
      const [event] = await stored(before, 'AidDisbursed');
      expect(event.data).toMatchObject({
        valueRupiah: 5_000_000,
        items: [
          flour,
          { description: 'Minyak goreng', quantity: 0.75, unit: 'l', unitPriceRupiah: 20_000 },
          { description: 'Gula pasir', quantity: 12.125, unit: 'kg', unitPriceRupiah: 16_000 },
          { description: 'Oven gas', quantity: 1, unitPriceRupiah: 4_741_000 },
          { description: 'Loyang', quantity: 3, unitPriceRupiah: 5_000 },
        ],
      });
      const stocked = (event.data as { items: object[] }).items;
      expect(stocked[3]).not.toHaveProperty('unit');
      expect(stocked[4]).not.toHaveProperty('unit');

      const history = await api.http
        .get(`${API}/audit/disbursements?format=json`)
        .set('Authorization', bearer('auditor'));
      expect(history.status).toBe(200);
      const record = (
        history.body as { disbursementId: string; items: object[]; valueRupiah: number }[]
      ).find(
        (entry) =>
          entry.disbursementId === (response.body as { disbursementId: string }).disbursementId,
      );
      expect(record).toMatchObject({ valueRupiah: 5_000_000, items: stocked });
      const csv = await api.http
        .get(`${API}/audit/disbursements?format=csv`)
        .set('Authorization', bearer('auditor'));
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('Tepung terigu (2.5');
      expect(csv.text).toContain('Gula pasir (12.125');
    });

    it('takes today’s requests, without units, as before', async () => {
      const recipientId = await register(api, rseBody());
      const before = await api.headPosition();
      const body = disbursementBody();
      const response = await send(api, disbursement(recipientId, body));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ valueRupiah: 5_000_000 });
      const [event] = await stored(before, 'AidDisbursed');
      expect((event.data as { items: object[] }).items).toEqual(body.items);
    });

    it.each([
      [
        'a line of fractional rupiah (0.333 kg × Rp10)',
        [{ ...flour, quantity: 0.333, unitPriceRupiah: 10 }],
        { field: 'items.0.quantity', rule: 'wholeRupiah' },
        'quantity × unitPriceRupiah must come to whole rupiah (0.333 × 10 = 3.33)',
        'quantity × unitPriceRupiah harus menghasilkan nilai rupiah yang bulat (0.333 × 10 = 3.33)',
      ],
      [
        'more than 3 decimals',
        [{ ...flour, quantity: 2.5001 }],
        { field: 'items.0.quantity', rule: 'quantityDecimals' },
        'quantity must have at most 3 decimals',
        'quantity harus memiliki paling banyak 3 angka desimal',
      ],
      [
        'half of a counted unit (no unit: `unit`)',
        [{ description: 'Mesin jahit', quantity: 1.5, unitPriceRupiah: 2_000_000 }],
        { field: 'items.0.quantity', rule: 'wholeForUnit' },
        'quantity must be a whole number for unit unit (decimals only for kg, g, l, ml, m, m2)',
        'quantity harus berupa bilangan bulat untuk satuan unit (angka desimal hanya untuk kg, g, l, ml, m, m2)',
      ],
      [
        'a unit off the list',
        [{ ...flour, unit: 'ton' }],
        { field: 'items.0.unit', rule: 'isIn' },
        'unit must be one of unit, pcs, paket, set, pasang, lembar, botol, bungkus, sak, karung, dus, kg, g, l, ml, m, m2',
        'unit harus berupa salah satu dari: unit, pcs, paket, set, pasang, lembar, botol, bungkus, sak, karung, dus, kg, g, l, ml, m, m2',
      ],
      [
        'nothing at all',
        [{ ...flour, quantity: 0 }],
        { field: 'items.0.quantity', rule: 'min' },
        'quantity must be more than 0',
        'quantity harus lebih dari 0',
      ],
      [
        'a quantity written as text',
        [{ ...flour, quantity: '2,5' }],
        { field: 'items.0.quantity', rule: 'isNumber' },
        'quantity must be a number',
        'quantity harus berupa angka',
      ],
    ])(
      'refuses %s: 400 naming the item, in English and Indonesian, writing nothing',
      async (_case, items, broken, english, indonesian) => {
        const recipientId = await register(api, rseBody());
        for (const [language, message] of [
          ['en', english],
          ['id', indonesian],
        ]) {
          const response = await writesNothing(api, () =>
            post(recipientId, items, { 'Accept-Language': language }),
          );
          expect(response.status).toBe(400);
          expect(response.headers['content-language']).toBe(language);
          expect(errorBody(response)).toMatchObject({ code: 'INVALID_INPUT' });
          expect(errorBody(response).errors).toContainEqual({ ...broken, message });
        }
      },
    );
  });

  describe('error messages in Indonesian (Accept-Language: id)', () => {
    const asked = (response: Response) => ({
      status: response.status,
      language: response.headers['content-language'] as string,
      vary: response.headers.vary as string,
      body: response.body as unknown,
    });

    it('gives the same codes, fields and rules, only the messages in Indonesian', async () => {
      const broken = {
        ...rseBody(),
        name: ' ',
        regencyCode: '6472',
        businessType: 'x'.repeat(101),
        extra: 1,
      };
      const [english, indonesian] = await Promise.all(
        ['en', 'id-ID,id;q=0.9,en;q=0.8'].map((language) =>
          send(api, { ...registration(broken), headers: { 'Accept-Language': language } }),
        ),
      );
      const shape = (response: Response) =>
        errorBody(response).errors?.map(({ field, rule }) => ({ field, rule }));
      expect(shape(indonesian)).toEqual(shape(english));
      expect(asked(indonesian)).toMatchObject({ status: 400, language: 'id' });
      expect(asked(english)).toMatchObject({ status: 400, language: 'en' });
      expect(asked(indonesian).vary).toMatch(/Accept-Language/);
      expect(errorBody(indonesian).errors).toEqual([
        { field: 'extra', rule: 'whitelistValidation', message: 'extra bukan kolom yang dikenal' },
        {
          field: 'regencyCode',
          rule: 'matches',
          message: 'regencyCode harus berupa kode Kemendagri seperti 64.72',
        },
        { field: 'name', rule: 'matches', message: 'name tidak boleh kosong' },
        {
          field: 'businessType',
          rule: 'isLength',
          message: 'businessType harus terdiri dari paling banyak 100 karakter',
        },
      ]);
      expect(errorBody(indonesian).message).toBe(
        errorBody(indonesian)
          .errors?.map((error) => error.message)
          .join('; '),
      );
    });

    it('keeps English where the caller asks for it, or for nothing we speak', async () => {
      for (const header of [undefined, 'en-US,en;q=0.9,id;q=0.8', 'fr-FR', 'id;q=0']) {
        let request = api.http
          .post(`${API}/recipients/00000000-0000-4000-8000-000000000000/disbursements`)
          .set('Authorization', bearer('operator'));
        if (header) request = request.set('Accept-Language', header);
        const response = await request.send(disbursementBody());
        expect(asked(response)).toMatchObject({
          status: 404,
          language: 'en',
          body: { code: 'RECIPIENT_NOT_FOUND', message: 'No such recipient' },
        });
      }
    });

    it('translates domain refusals: 400, 404, 409', async () => {
      const recipientId = await register(api, rseBody());
      const id = { 'Accept-Language': 'id' };
      const notFound = await send(api, {
        ...disbursement('00000000-0000-4000-8000-000000000000'),
        headers: id,
      });
      expect(asked(notFound)).toMatchObject({
        status: 404,
        language: 'id',
        body: { code: 'RECIPIENT_NOT_FOUND', message: 'Penerima tidak ditemukan' },
      });
      const wrongYear = await send(api, {
        ...disbursement(recipientId, disbursementBody({ disbursedOn: '2024-08-01' })),
        headers: id,
      });
      expect(asked(wrongYear)).toMatchObject({
        status: 400,
        body: {
          code: 'DATE_NOT_IN_YEAR',
          field: 'disbursedOn',
          message: 'disbursedOn harus berada dalam tahun yang tercantum pada year',
        },
      });
      expect((await send(api, { ...disbursement(recipientId), headers: id })).status).toBe(201);
      const twice = await send(api, { ...disbursement(recipientId), headers: id });
      expect(asked(twice)).toMatchObject({
        status: 409,
        language: 'id',
        body: {
          code: 'ALREADY_DISBURSED',
          message:
            'Penerima ini sudah menerima penyaluran bantuan yang belum dibatalkan; batalkan penyaluran tersebut terlebih dahulu',
        },
      });
      const man = await send(api, {
        ...registration(rseBody({ nik: nextNik('male') })),
        headers: id,
      });
      expect(asked(man)).toMatchObject({
        status: 400,
        body: {
          code: 'NIK_NOT_FEMALE',
          message:
            'nik harus bertanda perempuan (tanggal lahir 41–71): bantuan RSE diperuntukkan bagi perempuan',
        },
      });
    });

    it('translates 401, 403, 413, 415, 422 and malformed bodies', async () => {
      const url = `${API}/recipients`;
      const noToken = await api.http.post(url).set('Accept-Language', 'id').send(rseBody());
      expect(asked(noToken)).toMatchObject({
        status: 401,
        language: 'id',
        body: { code: 'UNAUTHENTICATED', message: 'Diperlukan token bearer yang sah dan berlaku' },
      });
      const viewer = await send(api, {
        ...registration(rseBody()),
        role: 'viewer',
        headers: { 'Accept-Language': 'id' },
      });
      expect(asked(viewer)).toMatchObject({
        status: 403,
        body: {
          code: 'FORBIDDEN',
          message: 'Token bearer ini tidak memiliki peran yang diperlukan untuk permintaan ini',
        },
      });
      const large = await send(api, {
        ...registration(JSON.stringify({ ...rseBody(), address: 'x'.repeat(1_100_000) })),
        headers: { 'Accept-Language': 'id' },
      });
      expect(asked(large)).toMatchObject({
        status: 413,
        body: { code: 'PAYLOAD_TOO_LARGE', message: 'Isi permintaan melebihi 1 MiB' },
      });
      expect(large.body).not.toHaveProperty('params');
      const text = await api.http
        .post(url)
        .set('Authorization', bearer('operator'))
        .set('Accept-Language', 'id')
        .set('Content-Type', 'text/plain')
        .send('nik=6472055203900001');
      expect(asked(text)).toMatchObject({
        status: 415,
        body: {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'Content-Type harus berupa application/json',
          field: 'Content-Type',
        },
      });
      const twice = await send(api, {
        ...registration('{"kind":"RSE","nik":"1","nik":"2"}'),
        headers: { 'Accept-Language': 'id' },
      });
      expect(asked(twice)).toMatchObject({
        status: 400,
        body: {
          code: 'INVALID_BODY',
          field: 'nik',
          message: 'Isi permintaan memuat kolom nik lebih dari satu kali',
        },
      });
      const broken = await send(api, {
        ...registration('{"kind":'),
        headers: { 'Accept-Language': 'id' },
      });
      expect(asked(broken)).toMatchObject({
        status: 400,
        body: { code: 'INVALID_BODY', message: 'Isi permintaan bukan JSON yang sah' },
      });

      const key = { 'Idempotency-Key': `input-as-typed-${Date.now()}`, 'Accept-Language': 'id' };
      expect((await send(api, { ...registration(rseBody()), headers: key })).status).toBe(201);
      const reused = await send(api, { ...registration(rseBody()), headers: key });
      expect(asked(reused)).toMatchObject({
        status: 422,
        body: {
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'Idempotency-Key ini telah digunakan untuk permintaan yang berbeda',
        },
      });
    });

    it('translates 503 when a read model has not caught up', async () => {
      const response = await api.http
        .get(`${API}/quota-progress?year=2025&minPosition=999999999`)
        .set('Authorization', bearer('viewer'))
        .set('Accept-Language', 'id');
      expect(asked(response)).toMatchObject({
        status: 503,
        language: 'id',
        body: {
          code: 'READ_MODEL_BEHIND',
          message:
            'Model baca (read model) belum mencapai posisi minPosition; silakan coba lagi sesaat lagi',
        },
      });
      expect(response.headers['retry-after']).toBe('1');
    });

    it('translates 429 with its Retry-After', async () => {
      const limited = await startApi({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
      try {
        const get = () =>
          limited.http
            .get(`${API}/quota-progress?year=2025`)
            .set('Authorization', bearer('viewer'))
            .set('Accept-Language', 'id');
        expect((await get()).status).toBe(200);
        const response = await get();
        expect(asked(response)).toMatchObject({
          status: 429,
          language: 'id',
          body: { code: 'RATE_LIMITED' },
        });
        expect(errorBody(response).message).toMatch(
          /^Permintaan dari pemanggil ini melebihi batas/,
        );
        expect(response.headers['retry-after']).toMatch(/^\d+$/);
      } finally {
        await limited.stop();
      }
    });

    it('translates an address that does not exist', async () => {
      const response = await api.http
        .get(`${API}/no-such-thing`)
        .set('Authorization', bearer('viewer'))
        .set('Accept-Language', 'id');
      expect(asked(response)).toMatchObject({
        status: 404,
        language: 'id',
        body: { code: 'NOT_FOUND', message: 'Alamat atau metode yang diminta tidak ditemukan' },
      });
    });
  });

  it('never wrote a NIK this spec sent to a log line, however it was written', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const logged = logLines.join('\n');
    for (const nik of niksSent) {
      expect(logged).not.toContain(nik);
      expect(logged).not.toContain(nik.replace(/\D/g, ''));
    }
  });
});
