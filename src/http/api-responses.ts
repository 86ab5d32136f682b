import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type {
  ContentObject,
  HeaderObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { YEARS } from './number.validators';

/**
 * The documented answers of the routes, written once: every error answer is the `Error`
 * component (the body src/http/http-error.filter.ts writes), listing the `code`s the route can
 * answer with that status; the headers every answer carries are added by src/http/openapi.ts.
 */

export const ERROR_SCHEMA_NAME = 'Error';
export const BEARER_SCHEME = 'bearer';
export const METRICS_SCHEME = 'metricsToken';

/** The body of every error answer (HttpErrorBody). */
export const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated' },
    code: {
      type: 'string',
      description: 'Machine-readable reason to switch on, e.g. QUOTA_EXHAUSTED',
      example: 'QUOTA_EXHAUSTED',
    },
    message: {
      type: 'string',
      description: 'For people, in the language Accept-Language asked for (id or en)',
    },
    field: { type: 'string', description: 'The request field the refusal is about' },
    errors: {
      type: 'array',
      description: 'INVALID_INPUT: every broken field and rule',
      items: {
        type: 'object',
        required: ['field', 'rule', 'message'],
        properties: {
          field: { type: 'string', example: 'members.2.nik' },
          rule: { type: 'string', example: 'isNik' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const ERROR_REF: ReferenceObject = { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` };

/** The statuses an error answer has, with what each means here. */
const ERROR_MEANING = {
  400: 'Invalid input: each broken field and rule is named (`errors`)',
  401: 'No bearer token, an unknown one, or a JWT that does not verify (the message says why)',
  403: 'The token lacks a role this route needs',
  404: 'Unknown id',
  409: 'A rule refused the command; nothing was written',
  413: 'Body over BODY_LIMIT (1 MiB by default), or an event too large for the store',
  415: 'The body is not JSON, or it is compressed',
  422: 'Idempotency-Key reused with another body',
  429: 'Over RATE_LIMIT_PER_MINUTE for this caller; retry after Retry-After seconds',
  503: 'A store or the identity provider is unavailable, or a read model has not caught up; retry after Retry-After seconds',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANING;

/** Per status, the `code`s a route may answer with. */
export type ErrorCodes = Partial<Record<ErrorStatus, readonly string[]>>;

/** What every route under the bearer token can answer, whatever it does. */
const AUTHENTICATED: ErrorCodes = {
  401: ['UNAUTHENTICATED'],
  403: ['FORBIDDEN'],
  429: ['RATE_LIMITED'],
  503: ['AUTH_UNAVAILABLE'],
};

/** A route with parameters or a body, validated field by field (src/http/field-errors.ts). */
const VALIDATED: ErrorCodes = { 400: ['INVALID_INPUT'] };

/**
 * A route with a JSON body: refusals of the body itself (src/http/json-body.ts). Every command
 * is one: a body sent to a command that reads none (a seal) passes the same checks.
 */
const WITH_BODY: ErrorCodes = {
  400: ['INVALID_BODY'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CONTENT_ENCODING'],
};

/** A command: its append may race another, meet a store that is down, or be too large. */
const APPENDING: ErrorCodes = {
  409: ['CONCURRENCY_CONFLICT'],
  413: ['EVENT_TOO_LARGE'],
  503: ['EVENT_STORE_UNAVAILABLE'],
};

/** A POST that honours Idempotency-Key (src/http/idempotency). */
const IDEMPOTENT: ErrorCodes = {
  400: ['INVALID_IDEMPOTENCY_KEY'],
  422: ['IDEMPOTENCY_KEY_REUSED'],
};

/** A read of a read model, which waits for `minPosition` at most 5 s. */
const READING: ErrorCodes = { 503: ['READ_MODEL_BEHIND'] };

function merged(...lists: ErrorCodes[]): ErrorCodes {
  const all: Partial<Record<ErrorStatus, string[]>> = {};
  for (const list of lists) {
    for (const status of Object.keys(list).map(Number) as ErrorStatus[]) {
      all[status] = [...new Set([...(all[status] ?? []), ...(list[status] ?? [])])];
    }
  }
  return all;
}

/** One error answer per status, its codes listed in the description and as the `code` enum. */
export function ApiErrors(codes: ErrorCodes): MethodDecorator {
  const statuses = (Object.keys(codes).map(Number) as ErrorStatus[]).sort((a, b) => a - b);
  return applyDecorators(
    ...statuses.map((status) => {
      const list = codes[status] ?? [];
      return ApiResponse({
        status,
        description: `${ERROR_MEANING[status]}. \`code\`: ${list.join(', ')}`,
        content: {
          'application/json': {
            schema: {
              allOf: [
                ERROR_REF,
                { type: 'object', properties: { code: { type: 'string', enum: [...list] } } },
              ],
            },
          },
        },
      });
    }),
  );
}

/** The operation's name in clients (`registerRecipient`) and its one-line summary. */
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
}

/** A success answer: a class with @ApiProperty fields, or a schema. */
export type Answer = Type | SchemaObject;

function answerSchema(answer: Answer): SchemaObject | ReferenceObject {
  return typeof answer === 'function' ? { $ref: getSchemaPath(answer) } : answer;
}

function answerModels(answers: readonly Answer[]): Type[] {
  return answers.filter((answer): answer is Type => typeof answer === 'function');
}

function Documented(operation: Operation, ...answers: Answer[]): MethodDecorator {
  const models = answerModels(answers);
  return applyDecorators(
    ApiOperation(operation),
    ...(models.length > 0 ? [ApiExtraModels(...models)] : []),
  );
}

const IDEMPOTENT_REPLAYED: HeaderObject = {
  description:
    '`true`: a replay of the first answer to the same Idempotency-Key (nothing new written)',
  schema: { type: 'string', enum: ['true'] },
};

export interface CommandOptions extends Operation {
  status: 200 | 201;
  /** The answer's fields; `position` is added. */
  answer: Record<string, SchemaObject>;
  /** Domain refusals (400, 404, 409) this command can answer, beyond every command's. */
  errors: ErrorCodes;
  /** POST commands honour Idempotency-Key; the PUTs do not (a PUT is idempotent by itself). */
  idempotent: boolean;
}

/** A command: bearer token, JSON body, one atomic append answering `position`. */
export function ApiCommand(options: CommandOptions): MethodDecorator {
  const { status, answer, errors, idempotent, ...operation } = options;
  const properties = { ...answer, position: POSITION };
  return applyDecorators(
    Documented(operation),
    ApiBearerAuth(BEARER_SCHEME),
    ...(idempotent ? [IdempotencyKeyHeader()] : []),
    ApiResponse({
      status,
      description: 'Done: every event of the command was appended at once',
      schema: { type: 'object', required: Object.keys(properties), properties },
      ...(idempotent ? { headers: { 'Idempotent-Replayed': IDEMPOTENT_REPLAYED } } : {}),
    }),
    ApiErrors(
      merged(AUTHENTICATED, VALIDATED, WITH_BODY, APPENDING, idempotent ? IDEMPOTENT : {}, errors),
    ),
  );
}

/** The Idempotency-Key request header, on the routes that honour it. */
function IdempotencyKeyHeader(): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Retry safely: the same key (per caller) with the same body gets the first answer, ' +
      'with `Idempotent-Replayed: true`; with another body, 422. 1 to 200 visible ASCII characters.',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
  });
}

/** The JSON answer, or every media type the route answers with the models they refer to. */
type ReadAnswer =
  | { answer: Answer; content?: never; models?: never }
  | { content: ContentObject; models?: Type[]; answer?: never };

export type ReadOptions = Operation & ReadAnswer & ReadDetails;

interface ReadDetails {
  errors?: ErrorCodes;
  /** False for a route that takes no parameter at all (nothing to refuse with 400). */
  validated?: boolean;
  /** Reads of a read model wait for `minPosition` (503 READ_MODEL_BEHIND); audit reads do not. */
  readModel?: boolean;
  /** A JSON body (the NIK lookup). */
  withBody?: boolean;
  /** Headers of the answer (Content-Disposition of a file). */
  headers?: Record<string, HeaderObject>;
}

/** A read: bearer token, a JSON answer (or files), nothing written. */
export function ApiRead(options: ReadOptions): MethodDecorator {
  const {
    answer,
    content,
    models = [],
    errors = {},
    readModel = true,
    validated = true,
    withBody,
    headers,
    ...operation
  } = options;
  return applyDecorators(
    Documented(operation, ...(answer ? [answer] : []), ...models),
    ApiBearerAuth(BEARER_SCHEME),
    ApiResponse({
      status: 200,
      description: 'The answer',
      ...(headers ? { headers } : {}),
      ...(answer ? { schema: answerSchema(answer) } : { content }),
    }),
    ApiErrors(
      merged(
        AUTHENTICATED,
        validated ? VALIDATED : {},
        readModel ? READING : {},
        withBody ? WITH_BODY : {},
        errors,
      ),
    ),
  );
}

export interface PublicOptions extends Operation {
  answer: Answer;
  /** Errors it can answer; a public route has no token to refuse. */
  errors?: ErrorCodes;
}

/**
 * A public route, outside the API and its rate limit: no security declared, which the document
 * writes as `security: []` (src/http/openapi.ts).
 */
export function ApiPublic(options: PublicOptions): MethodDecorator {
  const { answer, errors = {}, ...operation } = options;
  return applyDecorators(
    Documented(operation, answer),
    ApiResponse({ status: 200, description: 'The answer', schema: answerSchema(answer) }),
    ApiErrors(errors),
  );
}

const POSITION: SchemaObject = {
  type: 'string',
  pattern: '^\\d+$',
  description:
    'Global position of the last event written, as a decimal string ("0": nothing changed); ' +
    'pass it as `minPosition` to a read to see this change',
  example: '1042',
};

/** A whole-number parameter as WholeNumber(field, min, max) accepts it. */
export const integerWithin = (minimum: number, maximum: number) =>
  ({ type: 'integer', minimum, maximum }) as const;

/** A programme year, as WholeNumber('year', YEARS.min, YEARS.max) accepts it. */
export const YEAR_PARAM = integerWithin(YEARS.min, YEARS.max);

/** The media type of an xlsx workbook: the exports (src/read/export) answer with it too. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A CSV file (UTF-8, a header row, `,` or `;` between fields) and an xlsx workbook. */
export const FILE_CONTENT: ContentObject = {
  'text/csv': { schema: { type: 'string', description: 'UTF-8, with a header row' } },
  [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
};

/** The header of an answer that is a file to save. */
export const CONTENT_DISPOSITION: HeaderObject = {
  description: '`attachment; filename="…"` for csv and xlsx',
  schema: { type: 'string' },
};
