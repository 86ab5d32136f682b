import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { Response } from 'supertest';
import { SNAPSHOT_FILE } from '../../scripts/openapi-document';
import {
  API,
  bearer,
  disburse,
  disbursementBody,
  monitoringBody,
  read,
  recordFollowUp,
  register,
  reverseDisbursement,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

interface MediaType {
  schema?: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

/** Where the component schemas are, once handed to ajv under an id of their own. */
const COMPONENTS_ID = 'openapi.json';

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `#/components/schemas/X` points into the
 * components registered as `openapi.json`. ajv reads 3.0's `nullable` itself; `example` and
 * `discriminator` are annotations here (the `oneOf` beside a discriminator already decides).
 */
function asJsonSchema(schema: object): object {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/definitions/`),
  ) as object;
}

/** The formats the JSON answers name: dates as RFC 3339 writes them, and ids. */
const FORMATS = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/** ajv 8, strict, holding the document's component schemas. */
function validatorOf(document: Document): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, formats: FORMATS });
  ajv.addKeyword('example');
  ajv.addKeyword('discriminator');
  ajv.addSchema({ $id: COMPONENTS_ID, definitions: asJsonSchema(document.components.schemas) });
  return ajv;
}

/**
 * Live answers of the service checked against the committed OpenAPI document with ajv: what a
 * strict validator or a generated client is promised is what the service answers, `null`s and
 * objects, success and error bodies alike.
 */
describe('the answers of the service, against the OpenAPI document', () => {
  const document = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as Document;
  const ajv = validatorOf(document);
  let api: Api;
  const ids = { moved: '', reversed: '', reversal: '' };
  let last = '0';

  /** The answer's body checked against the schema the document gives its path, method, status. */
  function expectDocumented(method: string, template: string, response: Response): void {
    const operation = document.paths[template]?.[method];
    const status = String(response.status);
    const schema = operation?.responses[status]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${template}: no JSON answer documented for ${status}`);
    const validate = ajv.compile(asJsonSchema(schema));
    validate(response.body);
    expect({ answer: `${method} ${template} ${status}`, errors: validate.errors ?? [] }).toEqual({
      answer: `${method} ${template} ${status}`,
      errors: [],
    });
  }

  beforeAll(async () => {
    api = await startApi();
    ids.moved = await register(api, rseBody({ name: 'Dewi Kartika' }));
    const moved = await api.http
      .post(`${API}/recipients/${ids.moved}/moves`)
      .set('Authorization', bearer('operator'))
      .send({ toRegencyCode: '64.71', movedOn: '2025-09-01', reason: 'Ikut suami pindah kerja' });
    expect(moved.status).toBe(200);

    ids.reversed = await register(api, rseBody({ name: 'Siti Aminah', phone: '0812-5555-0100' }));
    ids.reversal = await disburse(api, ids.reversed, disbursementBody());
    await recordFollowUp(api, ids.reversed, 'monitoring', monitoringBody());
    last = await reverseDisbursement(api, ids.reversal);
  });

  afterAll(() => api.stop());

  it('GET /recipients/{id}: one who moved (her latest move; no aid, no visit: null)', async () => {
    const response = await read(
      api,
      `/recipients/${ids.moved}?minPosition=${last}`,
      'operator',
    ).expect(200);
    expect(response.body).toMatchObject({
      movedFrom: { regencyCode: '64.72' },
      disbursement: null,
      latestMonitoring: null,
    });
    expectDocumented('get', '/api/v1/recipients/{id}', response);
  });

  it('GET /recipients/{id}: one whose aid was disbursed then reversed, and visited', async () => {
    const response = await read(
      api,
      `/recipients/${ids.reversed}?minPosition=${last}`,
      'operator',
    ).expect(200);
    expect(response.body).toMatchObject({
      movedFrom: null,
      disbursement: { reversedOn: expect.any(String) },
      latestMonitoring: { businessStatus: 'GROWING' },
    });
    expectDocumented('get', '/api/v1/recipients/{id}', response);
  });

  it('POST /recipients/lookup', async () => {
    const nik = rseBody().nik;
    const id = await register(api, rseBody({ nik }));
    const response = await api.http
      .post(`${API}/recipients/lookup`)
      .set('Authorization', bearer('operator'))
      .send({ nik })
      .expect(200);
    expect(response.body).toMatchObject({ recipient: { recipientId: id } });
    expectDocumented('post', '/api/v1/recipients/lookup', response);
  });

  it('GET /audit/disbursements: a reversal, and one without (null)', async () => {
    await disburse(api, await register(api, rseBody({ name: 'Rina Marlina' })));
    const response = await read(api, '/audit/disbursements', 'auditor').expect(200);
    const reversals = (response.body as { reversal: unknown }[]).map(({ reversal }) => reversal);
    expect(reversals).toEqual([expect.objectContaining({ reason: 'Data ganda' }), null]);
    expectDocumented('get', '/api/v1/audit/disbursements', response);
  });

  it('GET /audit/verify', async () => {
    await api.http.post(`${API}/audit/seals`).set('Authorization', bearer('auditor')).expect(201);
    const response = await read(api, '/audit/verify', 'auditor').expect(200);
    expect(response.body).toMatchObject({ ok: true });
    expectDocumented('get', '/api/v1/audit/verify', response);
  });

  it.each([
    ['/quota-progress', '/api/v1/quota-progress'],
    ['/programme', '/api/v1/programme'],
  ])('GET %s', async (path, template) => {
    const response = await read(api, `${path}?minPosition=${last}`, 'viewer').expect(200);
    expectDocumented('get', template, response);
  });

  it('GET /health', async () => {
    const response = await api.http.get('/health').expect(200);
    expectDocumented('get', '/health', response);
  });

  it('400: an unknown field, in a nested object too, refused and each named', async () => {
    const response = await api.http
      .put(`${API}/programme/years/2027`)
      .set('Authorization', bearer('admin'))
      .send({
        targets: { RSE: 300, KUBE: 120, extra: 1 },
        ceilingsRupiah: { RSE: 6_000_000, KUBE: 22_000_000 },
        reason: 'APBD 2027',
        unknown: true,
      })
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'INVALID_INPUT',
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'unknown', rule: 'whitelistValidation' }),
        expect.objectContaining({ field: 'targets.extra', rule: 'whitelistValidation' }),
      ]),
    });
    expectDocumented('put', '/api/v1/programme/years/{year}', response);
  });

  it('409: a second disbursement to the same recipient', async () => {
    const response = await api.http
      .post(`${API}/recipients/${ids.reversed}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(disbursementBody());
    const again = await api.http
      .post(`${API}/recipients/${ids.reversed}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(disbursementBody());
    expect([response.status, again.status]).toEqual([201, 409]);
    expectDocumented('post', '/api/v1/recipients/{id}/disbursements', again);
  });

  it.each([
    ['text/plain', 'sealed', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/json', '', 400, 'INVALID_BODY'],
  ])('POST /audit/seals with a %s body %j: %d %s', async (type, body, status, code) => {
    const response = await api.http
      .post(`${API}/audit/seals`)
      .set('Authorization', bearer('auditor'))
      .set('Content-Type', type)
      .set('Content-Length', String(Buffer.byteLength(body)))
      .send(body);
    expect(response.body).toMatchObject({ statusCode: status, code });
    expectDocumented('post', '/api/v1/audit/seals', response);
  });
});
