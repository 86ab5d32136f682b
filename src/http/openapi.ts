import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type {
  HeaderObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { MAX, MIN } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { API_PREFIX } from '../configure-app';
import { BEARER_SCHEME, ERROR_SCHEMA, ERROR_SCHEMA_NAME, METRICS_SCHEME } from './api-responses';
import { REQUEST_ID_HEADER } from './request-context';

/** The groups of operations, in the order a reader meets them. */
const TAGS: [string, string][] = [
  ['programme', 'Yearly targets, ceilings and allocations per regency/city'],
  ['recipients', 'Registering RSE women and KUBe groups, correcting them, their life events'],
  ['disbursements', 'Aid in kind handed over, and its reversal'],
  ['monitoring', 'Follow-up after the aid: visits, mentoring, exhibitions and their outcomes'],
  ['audit', 'Answers from the event log itself, for auditors'],
  ['operations', 'Health checks and metrics, outside the API and its tokens'],
];

/** Headers the answers carry, declared once and referred to from each answer. */
const HEADERS: Record<string, HeaderObject> = {
  [REQUEST_ID_HEADER]: {
    description:
      "The request's id: the caller's X-Request-Id when it is a sane one (letters, digits, " +
      '`._:-`, up to 128), else a fresh UUID; logged with the request. The events it writes ' +
      'keep the trace-id of a valid W3C `traceparent` as their correlation id, else this id',
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 0 },
  },
  'X-RateLimit-Limit': {
    description: 'RATE_LIMIT_PER_MINUTE: requests a minute allowed to this caller',
    schema: { type: 'integer', minimum: 1 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left to this caller in the current minute',
    schema: { type: 'integer', minimum: 0 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current minute ends and the count starts again',
    schema: { type: 'integer', minimum: 0 },
  },
};

const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * The OpenAPI document, served at /docs (UI) and /docs-json and committed as
 * openapi/openapi.json (docs/api.md). Paths, operations and answers come from the controllers'
 * decorators (src/http/api-responses.ts); request schemas come from the class-validator rules of
 * the DTOs themselves, so the document cannot drift from what the API accepts. What every answer
 * shares (the error body, the request id, rate-limit and retry headers, who needs no token) is
 * added here once, from the path and status.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('bansos-ledger')
    .setDescription(
      'Economic-empowerment aid of the Dinas Sosial of Kalimantan Timur: registration of RSE women ' +
        'and KUBe groups, disbursement under yearly quotas, and monitoring. Every command answers ' +
        'the global `position` of its last event; a read given it as `minPosition` waits until it ' +
        'sees that change. Errors carry a machine-readable `code` (the `Error` schema). POST ' +
        'commands honour an `Idempotency-Key` header. Every answer carries `X-Request-Id`.',
    )
    .setVersion('1')
    .addServer('/', 'This service')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'AUTH_TOKENS token or JWT',
        description: 'A token of AUTH_TOKENS, or a JWT of the configured identity provider',
      },
      BEARER_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'METRICS_TOKEN',
        description: 'METRICS_TOKEN, when it is set',
      },
      METRICS_SCHEME,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controller, method) => method,
  });
  // As package.json says; DocumentBuilder insists on a URL, which an unlicensed service lacks.
  document.info.license = { name: 'UNLICENSED' };
  const requestSchemas = classValidatorSchemas();
  const schemas: Schemas = {
    ...document.components?.schemas,
    ...requestSchemas,
    [ERROR_SCHEMA_NAME]: ERROR_SCHEMA,
  };
  keepNullable(requestSchemas, document.components?.schemas ?? {});
  nullableReferences(schemas);
  nullableReferences(document.paths);
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const operation of Object.values(operations) as OperationObject[]) {
      addSharedAnswers(path, operation);
    }
  }
  document.components = {
    ...document.components,
    schemas: usedSchemas(document.paths, schemas),
    headers: HEADERS,
  };
  return document;
}

type Schemas = Record<string, SchemaObject | ReferenceObject>;

/**
 * The schemas of every class-validator class (bodies, their nested objects, queries), from the
 * rules the API applies, as the document holds them (request fields where null means something
 * are marked `nullable` afterwards). The API refuses fields it does not know, at any depth
 * (whitelist and forbidNonWhitelisted, src/http/field-errors.ts): so does each schema.
 */
export function classValidatorSchemas(): Schemas {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
    // The default converters give @Min and @Max `type: number`, which, merged after @IsInt's
    // `integer`, would type every bounded whole number as any number: the type comes from
    // @IsInt or @IsNumber alone (every @Min and @Max sits beside one).
    additionalConverters: {
      [MIN]: (meta) => ({ minimum: meta.constraints[0] as number }),
      [MAX]: (meta) => ({ maximum: meta.constraints[0] as number }),
    },
  }) as Schemas;
  for (const schema of Object.values(schemas)) {
    tidyProperties(schema);
    (schema as SchemaObject).additionalProperties = false;
  }
  return schemas;
}

/**
 * A request field where `null` means something (removes the phone, clears the allocations) says
 * `nullable` in its `@ApiProperty`, which the class-validator schema that replaces Nest's lacks.
 */
function keepNullable(requestSchemas: Schemas, nestSchemas: Schemas): void {
  for (const [name, schema] of Object.entries(requestSchemas)) {
    const described = nestSchemas[name];
    if (!('properties' in schema) || !described || !('properties' in described)) continue;
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      const nullable = (described.properties?.[field] as SchemaObject | undefined)?.nullable;
      if (nullable && !('$ref' in property)) (property as SchemaObject).nullable = true;
    }
  }
}

/**
 * class-validator-jsonschema writes a nested DTO as `$ref` beside the `type` of the property,
 * and a property typed `unknown` or a union as a `$ref` to a schema `Object` that does not exist:
 * a `$ref` stands alone in OpenAPI 3.0, so the first keeps its `$ref`, the second its rules.
 */
function tidyProperties(schema: SchemaObject | ReferenceObject): void {
  if (!('properties' in schema) || !schema.properties) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!('$ref' in property)) continue;
    const { $ref, ...rest } = property as ReferenceObject & SchemaObject;
    schema.properties[name] = $ref === '#/components/schemas/Object' ? rest : { $ref };
  }
}

/** The other branch of a nullable object: null, and nothing else. */
const NULL_ONLY: SchemaObject = { type: 'object', nullable: true, enum: [null] };

/**
 * Nest writes a nullable object property as `{ allOf: [{ $ref }], nullable: true }`; under
 * OpenAPI 3.0.3 `nullable` does not reach the type of the object referred to, so strict
 * validators refuse its `null`. Written instead as `oneOf: [{ $ref }, <null only>]`, which 3.0
 * validators accept and openapi-typescript reads as `X | null`.
 */
function nullableReferences(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(nullableReferences);
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const [key, inner] of Object.entries(object)) {
    if (isNullableReference(inner)) {
      const { allOf, nullable: _nullable, type: _type, ...rest } = inner;
      object[key] = { ...rest, oneOf: [allOf[0], NULL_ONLY] };
    } else nullableReferences(inner);
  }
}

function isNullableReference(value: unknown): value is SchemaObject & { allOf: [ReferenceObject] } {
  const schema = value as SchemaObject | null;
  return (
    typeof schema === 'object' &&
    schema !== null &&
    schema.nullable === true &&
    schema.allOf?.length === 1 &&
    '$ref' in schema.allOf[0]
  );
}

/**
 * The schemas the operations refer to, directly or through other schemas. The query and path
 * DTOs have schemas of their own too (every validated class does), but their fields are the
 * operations' parameters: as schemas they would only be listed, never used.
 */
function usedSchemas(paths: OpenAPIObject['paths'], schemas: Schemas): Schemas {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      const name =
        key === '$ref' && typeof inner === 'string'
          ? inner.replace('#/components/schemas/', '')
          : undefined;
      if (name !== undefined && !used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      } else visit(inner);
    }
  };
  visit(paths);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

/** Public routes say so (`security: []`); headers by the status and the path. */
function addSharedAnswers(path: string, operation: OperationObject): void {
  operation.security ??= [];
  // A handler that reads Authorization itself (/metrics) would list it as a required header
  // parameter; OpenAPI says such a parameter is ignored: the security schemes describe it.
  operation.parameters = operation.parameters?.filter(
    (parameter) =>
      !('in' in parameter && parameter.in === 'header' && /^authorization$/i.test(parameter.name)),
  );
  const underApi = path.startsWith(`/${API_PREFIX}/`);
  for (const [status, response] of Object.entries(operation.responses) as [
    string,
    ResponseObject,
  ][]) {
    const names = [REQUEST_ID_HEADER];
    // The rate limit's guard runs after the token and body checks: its headers are on the
    // answers of the requests it let through.
    if (underApi && status.startsWith('2')) names.push(...RATE_LIMIT_HEADERS);
    if (status === '429' || status === '503') names.push('Retry-After');
    response.headers = {
      ...response.headers,
      ...Object.fromEntries(names.map((name) => [name, headerRef(name)])),
    };
  }
}

/** Nest builds the document on the first request to /docs or /docs-json and keeps it. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app));
}
