import type { Response } from 'supertest';
import type { NikLookupAnswer } from '../../projections/recipient-registry/recipient-registry.routes';
import type { RecipientView } from '../../projections/recipient-registry/recipient-registry.queries';
import type { Page } from '../../src/read/page';
import {
  API,
  bearer,
  errorBody,
  kubeBody,
  maskNik,
  nextNik,
  registerRecipient,
  rseBody,
  startApi,
  TODAY,
  type Api,
  type KubeBody,
  type RseBody,
  type TokenName,
} from '../helpers/api-client';

type Recipients = Page<RecipientView>;

/**
 * Operators and monitors find a recipient by a fragment of her name or by her NIK; viewers see
 * how many there are, and no one.
 */
describe('finding a recipient (GET /recipients?q=, POST /recipients/lookup)', () => {
  let api: Api;
  /** The position of the last command: every read waits for it. */
  let last = '0';
  /** Every URL this suite requested, and every line the service logged. */
  const urls: string[] = [];
  const logs: string[] = [];

  const nurhaliza: RseBody = rseBody({
    name: 'Sití Nurhaliza Rahman',
    nik: nextNik('female', '64.72'),
    regencyCode: '64.72',
    phone: '0812-5555-0101',
  });
  const aminah: RseBody = rseBody({
    name: 'Siti Aminah',
    nik: nextNik('female', '64.01'),
    regencyCode: '64.01',
  });
  const enggang: KubeBody = kubeBody({
    groupName: 'KUBE Enggang Mahakam',
    regencyCode: '64.07',
    members: [
      { nik: nextNik('male', '64.07'), name: 'Rahmat Hidayat', role: 'CHAIR' },
      { nik: nextNik('female', '64.07'), name: 'Maria Goreti Lawing', role: 'SECRETARY' },
      { nik: nextNik('male', '64.07'), name: 'Budi Santoso', role: 'TREASURER' },
      { nik: nextNik('female', '64.07'), name: 'Dewi Lestari', role: 'MEMBER' },
      { nik: nextNik('male', '64.07'), name: 'Andi Saputra', role: 'MEMBER' },
    ],
  });
  const ids = { nurhaliza: '', aminah: '', enggang: '' };
  const niks = [nurhaliza.nik, aminah.nik, ...enggang.members.map((member) => member.nik)];

  const withPosition = (path: string) =>
    `${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`;

  function get(path: string, role: TokenName): Promise<Response> {
    const url = `${API}${withPosition(path)}`;
    urls.push(url);
    return api.http.get(url).set('Authorization', bearer(role));
  }

  function lookup(body: unknown, role: TokenName): Promise<Response> {
    const url = `${API}${withPosition('/recipients/lookup')}`;
    urls.push(url);
    return api.http
      .post(url)
      .set('Authorization', bearer(role))
      .send(body as object);
  }

  async function search(query: string, role: TokenName): Promise<Recipients> {
    const response = await get(`/recipients?${query}`, role);
    expect({ query, status: response.status, body: response.body as unknown }).toMatchObject({
      status: 200,
    });
    return response.body as Recipients;
  }

  const namesOf = (page: Recipients) => page.items.map((item) => item.name);

  beforeAll(async () => {
    api = await startApi({ logs: { write: (line) => void logs.push(line) } });
    ids.nurhaliza = (await registerRecipient(api, nurhaliza)).recipientId;
    ids.aminah = (await registerRecipient(api, aminah)).recipientId;
    const registered = await registerRecipient(api, enggang);
    ids.enggang = registered.recipientId;
    last = registered.position;
  });

  afterAll(() => api.stop());

  describe.each(['operator', 'monitor'] as const)('as %s', (role) => {
    it('finds a woman by a fragment of her name, whatever its case and accents', async () => {
      const page = await search('q=nurhal', role);
      expect(page).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(page.items).toEqual([
        expect.objectContaining({
          recipientId: ids.nurhaliza,
          name: 'Sití Nurhaliza Rahman',
          maskedNiks: [maskNik(nurhaliza.nik)],
          regencyCode: '64.72',
          standing: 'active',
          phone: nurhaliza.phone,
        }),
      ]);
      expect(namesOf(await search('q=SITI', role))).toEqual([
        'Sití Nurhaliza Rahman',
        'Siti Aminah',
      ]);
      expect(namesOf(await search(`q=${encodeURIComponent('sití rah')}`, role))).toEqual([
        'Sití Nurhaliza Rahman',
      ]);
    });

    it('finds a woman by her NIK, sent in the body', async () => {
      const response = await lookup({ nik: nurhaliza.nik }, role);
      expect(response.status).toBe(200);
      const answer = response.body as NikLookupAnswer;
      expect(answer.holder).toEqual({
        as: 'RECIPIENT',
        name: 'Sití Nurhaliza Rahman',
        nikMasked: maskNik(nurhaliza.nik),
      });
      expect(answer.recipient).toMatchObject({
        recipientId: ids.nurhaliza,
        kind: 'RSE',
        phone: nurhaliza.phone,
      });
    });

    it('finds a NIK written with spaces, as people copy it from an ID card', async () => {
      const spaced = nurhaliza.nik.replace(/^(\d{4})(\d{4})(\d{4})(\d{4})$/, '$1 $2 $3 $4');
      const response = await lookup({ nik: spaced }, role);
      expect(response.status).toBe(200);
      expect((response.body as NikLookupAnswer).recipient.recipientId).toBe(ids.nurhaliza);
    });

    it("finds a KUBe by a member's name, and by a member's NIK", async () => {
      const page = await search('q=lawing', role);
      expect(page.items.map((item) => item.recipientId)).toEqual([ids.enggang]);
      expect(page.items[0].members).toContainEqual({
        name: 'Maria Goreti Lawing',
        role: 'SECRETARY',
        nikMasked: maskNik(enggang.members[1].nik),
      });
      const response = await lookup({ nik: enggang.members[3].nik }, role);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        holder: {
          as: 'MEMBER',
          name: 'Dewi Lestari',
          role: 'MEMBER',
          nikMasked: maskNik(enggang.members[3].nik),
        },
        recipient: { recipientId: ids.enggang, kind: 'KUBE', name: 'KUBE Enggang Mahakam' },
      });
    });
  });

  it('shows names but no phone number to an auditor, and never a hash or a search word', async () => {
    const page = await search('q=siti', 'auditor');
    expect(namesOf(page)).toEqual(['Sití Nurhaliza Rahman', 'Siti Aminah']);
    const one = await get(`/recipients/${ids.nurhaliza}`, 'auditor');
    expect(one.status).toBe(200);
    for (const body of [page, one.body as RecipientView]) {
      const json = JSON.stringify(body);
      expect(json).not.toContain('phone');
      expect(json).not.toContain(nurhaliza.phone ?? 'no phone');
      expect(json).not.toMatch(/hash|searchTokens|sortName/i);
    }
  });

  it('answers 404 for a NIK nobody holds', async () => {
    const response = await lookup({ nik: nextNik('female', '64.72') }, 'operator');
    expect(response.status).toBe(404);
    expect(errorBody(response)).toMatchObject({ code: 'RECIPIENT_NOT_FOUND' });
  });

  it('follows a correction and a move: the new name is found, the old one is not', async () => {
    const corrected = await api.http
      .post(`${API}/recipients/${ids.aminah}/detail-corrections`)
      .set('Authorization', bearer('operator'))
      .send({ name: 'Siti Aminah Yusuf', reason: 'Nama di KTP berbeda' });
    expect(corrected.status).toBe(200);
    const moved = await api.http
      .post(`${API}/recipients/${ids.aminah}/moves`)
      .set('Authorization', bearer('operator'))
      .send({ toRegencyCode: '64.71', movedOn: TODAY, reason: 'Ikut suami' });
    expect(moved.status).toBe(200);
    last = (moved.body as { position: string }).position;

    const page = await search('q=yusuf&regencyCode=64.71', 'monitor');
    expect(page.items).toEqual([
      expect.objectContaining({
        recipientId: ids.aminah,
        name: 'Siti Aminah Yusuf',
        regencyCode: '64.71',
        regencyName: 'Kota Balikpapan',
        movedFrom: { regencyCode: '64.01', regencyName: 'Kabupaten Paser', movedOn: TODAY },
      }),
    ]);
    expect((await search('q=yusuf&regencyCode=64.01', 'monitor')).total).toBe(0);
  });

  describe('a viewer', () => {
    it('gets how many recipients match, and no one in them', async () => {
      const response = await get('/recipients?kind=RSE', 'viewer');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ total: 2, limit: 50, offset: 0 });
      const all = await get('/recipients?limit=1000', 'viewer');
      expect(all.body).toEqual({ total: 3, limit: 1000, offset: 0 });
    });

    it.each([
      ['a search by name', () => get('/recipients?q=siti', 'viewer')],
      ['one recipient', () => get(`/recipients/${ids.nurhaliza}`, 'viewer')],
      ['a NIK lookup', () => lookup({ nik: nurhaliza.nik }, 'viewer')],
    ])('is refused %s (403), with no name in the answer', async (_what, send) => {
      const response = await send();
      expect(response.status).toBe(403);
      expect(errorBody(response)).toMatchObject({ code: 'FORBIDDEN' });
      expect(JSON.stringify(response.body)).not.toMatch(/Nurhaliza|Aminah|Enggang/);
    });
  });

  describe('400 naming the field', () => {
    it.each([
      ['q=', 'q', 'isLength'],
      ['q=%21%21%21', 'q', 'containsLetterOrDigit'],
      [`q=${'a '.repeat(9)}`, 'q', 'maxWords'],
      [`q=${'x'.repeat(101)}`, 'q', 'isLength'],
      ['sort=age', 'sort', 'isIn'],
      ['standing=alive', 'standing', 'isIn'],
      ['status=deceased', 'status', 'isIn'],
      ['year=1e3', 'year', 'isInt'],
      ['year=1999', 'year', 'min'],
      ['regencyCode=Samarinda', 'regencyCode', 'matches'],
    ])('GET /recipients?%s → 400 naming %s (%s)', async (query, field, rule) => {
      const response = await get(`/recipients?${query}`, 'operator');
      expect(response.status).toBe(400);
      expect(errorBody(response)).toMatchObject({ code: 'INVALID_INPUT' });
      expect(errorBody(response).errors).toContainEqual({
        field,
        rule,
        message: expect.any(String),
      });
    });

    it.each([
      [{}, 'nik'],
      [{ nik: '6472' }, 'nik'],
      [{ nik: 6472055203900001 }, 'nik'],
      [{ nik: '6472-0552-0390-00O1' }, 'nik'],
      [{ nik: nurhaliza.nik, name: 'Siti' }, 'name'],
    ])('POST /recipients/lookup %j → 400 naming %s', async (body, field) => {
      const response = await lookup(body, 'operator');
      expect(response.status).toBe(400);
      expect(errorBody(response)).toMatchObject({ code: 'INVALID_INPUT' });
      expect(errorBody(response).errors?.map((error) => error.field)).toContain(field);
      expect(JSON.stringify(response.body)).not.toContain(nurhaliza.nik);
    });

    it('refuses a NIK in the query string: it belongs in a lookup body', async () => {
      const response = await get(`/recipients?nik=${nurhaliza.nik}`, 'operator');
      expect(response.status).toBe(400);
      expect(errorBody(response).errors).toContainEqual({
        field: 'nik',
        rule: 'whitelistValidation',
        message: 'nik is not a known field',
      });
    });

    it('refuses an Idempotency-Key on a lookup, recording nothing', async () => {
      const before = await api.headPosition();
      const response = await api.http
        .post(`${API}/recipients/lookup`)
        .set('Authorization', bearer('operator'))
        .set('Idempotency-Key', 'lookup-1')
        .send({ nik: nurhaliza.nik });
      expect(response.status).toBe(400);
      expect(errorBody(response).errors?.map((error) => error.field)).toEqual(['Idempotency-Key']);
      expect(await api.headPosition()).toBe(before);
    });
  });

  it('never puts a NIK in a URL or a log line, and a lookup writes nothing', async () => {
    const before = await api.headPosition();
    expect((await lookup({ nik: aminah.nik }, 'operator')).status).toBe(200);
    expect(await api.headPosition()).toBe(before);
    const lookups = urls.filter((url) => url.includes('/recipients/lookup'));
    expect(lookups.length).toBeGreaterThan(5);
    for (const nik of niks) {
      for (const url of urls.filter((url) => !url.includes('nik='))) expect(url).not.toContain(nik);
      for (const line of logs) {
        expect(line).not.toContain(nik);
        expect(line).not.toContain(nik.slice(4, 12));
      }
    }
    expect(logs.some((line) => line.includes('/recipients/lookup'))).toBe(true);
    for (const line of logs) expect(line).not.toMatch(/nurhal|lawing|q=/i);
  });
});
