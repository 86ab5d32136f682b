import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { getMetadataStorage } from 'class-validator';
import request from 'supertest';
import {
  buildOpenApiDocument,
  controllersOf,
  SNAPSHOT_FILE,
  snapshotJson,
} from '../../scripts/openapi-document';
import { AppModule } from '../../src/app.module';
import { BEARER_SCHEME as BEARER } from '../../src/http/api-responses';
import { classValidatorSchemas } from '../../src/http/openapi';
import { PUBLIC_KEY } from '../../src/http/auth/roles.decorator';
import { startTestApp, type TestApp } from '../helpers/test-app';

const ROOT = join(__dirname, '..', '..');
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

/** Routes of the application that are not part of the API document, and why. */
const UNDOCUMENTED = [
  /^\/docs/, // the document itself and its UI
  /^\/dashboard/, // an HTML page and its assets for browsers (dashboard.controller.ts)
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Operations = { key: string; path: string; method: string; operation: OperationObject }[];

function operationsOf(document: OpenAPIObject): Operations {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation: item[method] as OperationObject,
    })),
  );
}

/** Every route the running application's Express router holds, as `METHOD /path/{param}`. */
function registeredRoutes(testApp: TestApp): string[] {
  const express = testApp.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .flatMap(({ route }) =>
      route
        ? Object.keys(route.methods).map(
            (method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
          )
        : [],
    )
    .filter((route) => !UNDOCUMENTED.some((pattern) => pattern.test(route.split(' ')[1])));
}

/** The component schemas a value refers to, and those they refer to, by name. */
function referredSchemas(
  value: unknown,
  schemas: Record<string, unknown>,
  found = new Set<string>(),
) {
  if (Array.isArray(value)) value.forEach((inner) => referredSchemas(inner, schemas, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const name = key === '$ref' && typeof inner === 'string' ? inner.split('/').pop() : undefined;
      if (name === undefined) referredSchemas(inner, schemas, found);
      else if (!found.has(name)) {
        found.add(name);
        referredSchemas(schemas[name], schemas, found);
      }
    }
  }
  return found;
}

/** Every class class-validator holds rules of (its storage keeps them per class, privately). */
function validatedClasses(): { name: string }[] {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<{ name: string }, unknown>;
  };
  return [...storage.validationMetadatas.keys()];
}

describe('the OpenAPI document', () => {
  let built: OpenAPIObject;
  let testApp: TestApp;

  beforeAll(async () => {
    built = await buildOpenApiDocument();
    testApp = await startTestApp();
  });

  afterAll(() => testApp?.stop());

  it('is the committed snapshot openapi/openapi.json', () => {
    // Compared as JSON with its key order; how it is printed is Prettier's to check.
    const committed = JSON.stringify(JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')));
    if (snapshotJson(built) !== committed) {
      throw new Error(
        'openapi/openapi.json differs from the document the code describes: run npm run openapi:snapshot',
      );
    }
  });

  // Before any other request to /docs-json: the first one builds the document.
  it('is built once, on the first request to /docs-json, not on every request', async () => {
    const createDocument = jest.spyOn(SwaggerModule, 'createDocument');
    try {
      const server = testApp.app.getHttpServer();
      await request(server).get('/docs-json').expect(200);
      await request(server).get('/docs-json').expect(200);
      expect(createDocument).toHaveBeenCalledTimes(1);
    } finally {
      createDocument.mockRestore();
    }
  });

  it('is what the running service serves at /docs-json', async () => {
    const served = await request(testApp.app.getHttpServer()).get('/docs-json').expect(200);
    expect(served.body).toEqual(JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')));
  });

  it('passes Redocly’s recommended rules without an error', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', '--extends=recommended', '--format=json', SNAPSHOT_FILE],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const report = JSON.parse(stdout) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('documents every route the application serves, and no other', () => {
    const documented = operationsOf(built).map(({ key }) => key);
    expect([...documented].sort()).toEqual([...registeredRoutes(testApp)].sort());
  });

  it.each(['summary', 'operationId', 'tags'] as const)('gives every operation its %s', (field) => {
    const missing = operationsOf(built)
      .filter(({ operation }) => !operation[field] || operation[field].length === 0)
      .map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it('names operations in camelCase, each once', () => {
    const ids = operationsOf(built).map(({ operation }) => operation.operationId ?? '');
    expect(ids.filter((id) => !/^[a-z][A-Za-z]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('types the success answer of every operation, in every media type it has', () => {
    const untyped = operationsOf(built).flatMap(({ key, operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      if (successes.length === 0) return [`${key}: no 2xx answer`];
      return successes.flatMap(([status, response]) => {
        const content = (response as ResponseObject).content ?? {};
        const types = Object.entries(content);
        if (types.length === 0) return [`${key} ${status}: no content`];
        return types
          .filter(([, media]) => {
            const schema = media.schema as Record<string, unknown> | undefined;
            return !schema || !['$ref', 'type', 'oneOf', 'anyOf', 'allOf'].some((k) => k in schema);
          })
          .map(([type]) => `${key} ${status} ${type}: no schema`);
      });
    });
    expect(untyped).toEqual([]);
  });

  it('declares the error body once, and every error answer refers to it', () => {
    expect(built.components?.schemas?.Error).toBeDefined();
    const inline = operationsOf(built).flatMap(({ key, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^[45]/.test(status))
        .filter(([, response]) => !JSON.stringify(response).includes('#/components/schemas/Error'))
        .map(([status]) => `${key} ${status}`),
    );
    expect(inline).toEqual([]);
  });

  it('needs the bearer token on every API route, and none on the health checks', () => {
    for (const { key, path, operation } of operationsOf(built)) {
      if (path.startsWith('/api/v1/')) {
        expect([key, operation.security]).toEqual([key, [{ bearer: [] }]]);
      }
    }
    for (const path of ['/health', '/health/live', '/health/ready']) {
      expect([path, built.paths[path].get?.security]).toEqual([path, []]);
    }
  });

  it('asks no bearer token exactly where the routes are @Public', () => {
    const marked = controllersOf(AppModule).flatMap((controller) => {
      const handlers = Object.getOwnPropertyNames(controller.prototype)
        .map((name) => controller.prototype[name] as object)
        .filter((handler) => Reflect.getMetadata(METHOD_METADATA, handler) !== undefined);
      return handlers
        .filter(
          (handler) =>
            Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller),
        )
        .map((handler) => {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const path = [
            Reflect.getMetadata(PATH_METADATA, controller),
            Reflect.getMetadata(PATH_METADATA, handler),
          ]
            .filter((part: string) => part && part !== '/')
            .join('/');
          return `${method} /${path}`;
        });
    });
    const documented = operationsOf(built)
      .filter(({ operation }) => !(operation.security ?? []).some((need) => BEARER in need))
      .map(({ key }) => key);
    const undocumented = (key: string) =>
      UNDOCUMENTED.some((pattern) => pattern.test(key.split(' ')[1]));
    expect(documented).toContain('GET /health/ready');
    expect(documented.sort()).toEqual(marked.filter((key) => !undocumented(key)).sort());
  });

  it('lets /metrics be scraped without a token, or with METRICS_TOKEN when it is set', () => {
    expect(built.paths['/metrics'].get?.security).toEqual(
      expect.arrayContaining([{}, { metricsToken: [] }]),
    );
  });

  it('offers Idempotency-Key on the POST commands, which honour it, and nowhere else', () => {
    const withKey = operationsOf(built)
      .filter(({ operation }) =>
        (operation.parameters ?? []).some(
          (parameter) => 'name' in parameter && parameter.name === 'Idempotency-Key',
        ),
      )
      .map(({ key }) => key);
    const postCommands = operationsOf(built)
      .filter(({ method, path }) => method === 'post' && path !== '/api/v1/recipients/lookup')
      .map(({ key }) => key);
    expect(withKey.sort()).toEqual(postCommands.sort());
  });

  it('names the headers every answer carries', () => {
    for (const { key, path, operation } of operationsOf(built)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const headers = Object.keys((response as ResponseObject).headers ?? {});
        const where = `${key} ${status}`;
        expect([where, headers]).toEqual([where, expect.arrayContaining(['X-Request-Id'])]);
        if (status === '429' || status === '503') {
          expect([where, headers]).toEqual([where, expect.arrayContaining(['Retry-After'])]);
        }
        if (path.startsWith('/api/v1/') && status.startsWith('2')) {
          expect([where, headers]).toEqual([
            where,
            expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining']),
          ]);
        }
      }
    }
  });

  it('types numeric query parameters as bounded integers', () => {
    const loose = operationsOf(built).flatMap(({ key, operation }) =>
      (operation.parameters ?? [])
        .filter(
          (parameter) =>
            'name' in parameter && ['limit', 'offset', 'year'].includes(parameter.name),
        )
        .filter((parameter) => {
          const schema = ('schema' in parameter ? parameter.schema : undefined) as
            { type?: string; minimum?: number; maximum?: number } | undefined;
          return (
            schema?.type !== 'integer' ||
            schema.minimum === undefined ||
            schema.maximum === undefined
          );
        })
        .map((parameter) => `${key} ${'name' in parameter ? parameter.name : ''}`),
    );
    expect(loose).toEqual([]);
  });

  it('lets a client send null where null means something, and keeps the rules beside it', () => {
    const schemas = built.components?.schemas ?? {};
    const field = (schema: string, name: string) =>
      (schemas[schema] as { properties: Record<string, Record<string, unknown>> }).properties[name];
    expect(field('CorrectDetailsBody', 'phone')).toMatchObject({ nullable: true, type: 'string' });
    expect(field('CorrectDetailsBody', 'address')).toMatchObject({
      nullable: true,
      maxLength: 500,
    });
    expect(field('AllocationPerRegency', 'RSE')).toMatchObject({
      nullable: true,
      type: 'integer',
      minimum: 0,
    });
    expect(field('CorrectDetailsBody', 'name').nullable).toBeUndefined();
  });

  it('describes every request body by the class-validator rules the API applies to it', () => {
    const schemas = built.components?.schemas ?? {};
    const produced = classValidatorSchemas();
    const bodies = operationsOf(built).flatMap(({ operation }) =>
      operation.requestBody ? [operation.requestBody] : [],
    );
    const names = [...referredSchemas(bodies, schemas)].sort();
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => produced[name] === undefined)).toEqual([]);
    for (const name of names) {
      // The document adds `nullable` where null means something (from @ApiProperty), no rule.
      expect({ name, schema: schemas[name] }).toMatchObject({ name, schema: produced[name] });
      expect([name, Object.keys((schemas[name] as { properties: object }).properties)]).toEqual([
        name,
        Object.keys((produced[name] as { properties: object }).properties),
      ]);
    }
  });

  it('gives each validated class a name of its own, which its schema is known by', () => {
    const names = validatedClasses().map((target) => target.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('types whole numbers of a body as bounded integers', () => {
    const schemas = built.components?.schemas ?? {};
    const field = (schema: string, name: string) =>
      (schemas[schema] as { properties: Record<string, unknown> }).properties[name];
    expect(field('Targets', 'RSE')).toEqual({ type: 'integer', minimum: 0, maximum: 1_000_000 });
    expect(field('Ceilings', 'KUBE')).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 1_000_000_000_000,
    });
    for (const count of ['workers', 'workersFromPoorHouseholds']) {
      expect(field('RecordMonitoringBody', count)).toEqual({
        type: 'integer',
        minimum: 0,
        maximum: 10_000,
      });
    }
    expect(field('RecordMonitoringBody', 'monthlyTurnoverRupiah')).toMatchObject({
      type: 'integer',
    });
  });

  it('refuses unknown fields in every request schema, nested ones too', () => {
    const schemas = built.components?.schemas ?? {};
    const bodies = operationsOf(built).flatMap(({ operation }) =>
      operation.requestBody ? [operation.requestBody] : [],
    );
    const open = [...referredSchemas(bodies, schemas)].filter(
      (name) =>
        (schemas[name] as { additionalProperties?: unknown }).additionalProperties !== false,
    );
    expect(open).toEqual([]);
  });

  it('writes a nullable object as one of it or null, which OpenAPI 3.0 validators read so', () => {
    const json = JSON.stringify(built);
    const nullableObjects = json.match(/"oneOf":\[\{"\$ref":"[^"]+"\},\{[^}]*"enum":\[null\]/g);
    expect(nullableObjects?.length).toBeGreaterThanOrEqual(6);
    const recipient = built.components?.schemas?.Recipient as {
      properties: Record<string, unknown>;
    };
    expect(recipient.properties.movedFrom).toMatchObject({
      oneOf: [
        { $ref: '#/components/schemas/MovedFrom' },
        { type: 'object', nullable: true, enum: [null] },
      ],
    });
    // `nullable` beside an `allOf` of a reference does not reach the object referred to.
    const misplaced: string[] = [];
    JSON.stringify(built, (key, value: unknown) => {
      const schema = value as { nullable?: unknown; allOf?: unknown } | null;
      if (schema && typeof schema === 'object' && schema.nullable && schema.allOf)
        misplaced.push(key);
      return value;
    });
    expect(misplaced).toEqual([]);
  });

  it('lets a seal, which reads no body, refuse one that is not JSON as every command does', () => {
    const codes = (status: string) =>
      JSON.stringify(built.paths['/api/v1/audit/seals'].post?.responses[status] ?? {});
    expect(codes('400')).toContain('INVALID_BODY');
    expect(codes('413')).toContain('PAYLOAD_TOO_LARGE');
    expect(codes('415')).toContain('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(['/api/v1/audit/disbursements', '/api/v1/audit/quota-progress'])(
    'lets %s, which reads the event store itself, answer 503 EVENT_STORE_UNAVAILABLE',
    (path) => {
      expect(JSON.stringify(built.paths[path].get?.responses['503'])).toContain(
        'EVENT_STORE_UNAVAILABLE',
      );
    },
  );
});
