import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

type Property = { type: 'string' | 'integer'; description?: string };

const errorBody = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'Machine-readable reason, e.g. QUOTA_EXHAUSTED' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The request field the refusal is about' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          rule: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const ERRORS: [number, string][] = [
  [400, 'Invalid input: each broken field and rule is listed in `errors`'],
  [401, 'No token, an unknown one, or a JWT that does not verify (the message says why)'],
  [403, 'The token lacks the role this needs'],
  [404, 'Unknown id'],
  [409, 'A rule refused the command (see `code`)'],
  [413, 'Body over BODY_LIMIT (1 MiB by default)'],
  [422, 'Idempotency-Key reused with another body'],
  [429, 'Over RATE_LIMIT_PER_MINUTE for this token; retry after Retry-After seconds'],
  [503, 'Event store or identity provider unavailable; retry after Retry-After seconds'],
];

/** The documented answers of a command endpoint: its success body and the common errors. */
export function ApiCommand(status: 200 | 201, properties: Record<string, Property>) {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Repeat a POST safely: the same key and body return the first answer',
    }),
    ApiResponse({
      status,
      schema: { type: 'object', required: Object.keys(properties), properties },
    }),
    ...ERRORS.map(([code, description]) =>
      ApiResponse({ status: code, description, schema: errorBody }),
    ),
  );
}

export const POSITION: Property = {
  type: 'string',
  description:
    'Global position of the last event written, as a decimal string ("0": nothing changed)',
};
