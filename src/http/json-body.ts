import { isUtf8 } from 'node:buffer';
import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { raw, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { describeShapeProblem } from './json-shape';

type ErrorHandler = (
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
) => void;

/**
 * JSON bodies up to `limitBytes` (BODY_LIMIT, 1 MiB by default), read as bytes and checked
 * before they are parsed: valid UTF-8, no field twice, bounded nesting and width (json-shape.ts).
 * Compressed bodies are refused (415) rather than inflated. The parser's own errors would quote
 * the body back (it may hold a NIK), so they are replaced by plain ones that the error filter
 * then answers.
 */
export function jsonBody(limitBytes: number): [RequestHandler, RequestHandler, ErrorHandler] {
  return [
    raw({ type: 'application/json', limit: limitBytes, inflate: false }),
    parseJson,
    parserErrorReplacer(limitBytes),
  ];
}

function parseJson(request: Request, _response: Response, next: NextFunction): void {
  if (!Buffer.isBuffer(request.body)) {
    // A body that is not declared JSON would be left unread and the request judged as empty.
    const unread = carriesBody(request) && ['POST', 'PUT', 'PATCH'].includes(request.method);
    return next(
      unread ? unsupported('Content-Type must be application/json', 'CONTENT_TYPE') : undefined,
    );
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(request.headers['content-type'] ?? '')?.[2];
  if (charset && charset.toLowerCase() !== 'utf-8')
    return next(unsupported('The request body must be UTF-8 (charset=utf-8)', 'CHARSET'));
  const bytes = request.body;
  request.body = undefined;
  if (!isUtf8(bytes)) return next(invalidBody('The request body is not valid UTF-8', 'NOT_UTF8'));
  const text = bytes.toString('utf8');
  const shape = describeShapeProblem(text);
  if (shape) {
    const { message, problem, field, limit } = shape;
    return next(invalidBody(message, problem, { field, limit }));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return next(invalidBody('The request body is not valid JSON', 'NOT_JSON'));
  }
  // As body-parser's strict mode (and with its answer): an object or a list, never a bare value.
  if (parsed === null || typeof parsed !== 'object')
    return next(invalidBody('The request body is not valid JSON', 'NOT_JSON'));
  request.body = parsed;
  next();
}

/** `params` name the problem for messages in other languages (the error filter drops them). */
function unsupported(message: string, problem: string): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message,
    field: 'Content-Type',
    params: { problem },
  });
}

/** Whether a request says a body follows (a length above 0, or chunks). */
export function carriesBody({ headers }: Request): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function invalidBody(
  message: string,
  problem: string,
  { field, limit }: { field?: string; limit?: number } = {},
): BadRequestException {
  return new BadRequestException({
    code: 'INVALID_BODY',
    message,
    ...(field ? { field } : {}),
    params: { problem, ...(limit === undefined ? {} : { limit }) },
  });
}

function parserErrorReplacer(limitBytes: number): ErrorHandler {
  return (error, _request, _response, next) => replaceParserError(error, limitBytes, next);
}

function replaceParserError(error: unknown, limitBytes: number, next: NextFunction): void {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return next(error);
  if (type === 'entity.too.large') {
    return next(
      new PayloadTooLargeException({
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than ${size(limitBytes)}`,
        params: { limit: size(limitBytes) },
      }),
    );
  }
  if (type === 'encoding.unsupported') {
    return next(
      new UnsupportedMediaTypeException({
        code: 'UNSUPPORTED_CONTENT_ENCODING',
        message: 'Content-Encoding must be identity: compressed bodies are not accepted',
        field: 'Content-Encoding',
      }),
    );
  }
  next(
    new HttpException(
      { code: 'INVALID_BODY', message: 'The request body could not be read' },
      status >= 400 && status < 500 ? status : HttpStatus.BAD_REQUEST,
    ),
  );
}

/** 1 MiB, 256 KiB, or bytes. */
function size(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
