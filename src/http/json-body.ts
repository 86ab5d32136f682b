import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
} from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** No request of this API nests deeper; deeper bodies are refused before anything walks them. */
export const MAX_DEPTH = 32;

type ErrorHandler = (
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
) => void;

/**
 * JSON bodies up to `limitBytes` (BODY_LIMIT, 1 MiB by default) and 32 levels deep. The parser's
 * own errors would quote the body back (it may hold a NIK), so they are replaced by plain ones
 * that the error filter then answers.
 */
export function jsonBody(limitBytes: number): [RequestHandler, RequestHandler, ErrorHandler] {
  return [json({ limit: limitBytes }), refuseDeepNesting, parserErrorReplacer(limitBytes)];
}

function refuseDeepNesting(request: Request, _response: Response, next: NextFunction): void {
  if (!depthExceeds(request.body, MAX_DEPTH)) return next();
  next(
    new BadRequestException({
      code: 'INVALID_BODY',
      message: `The request body nests deeper than ${MAX_DEPTH} levels`,
    }),
  );
}

/** Walks without recursion, so that no body can exhaust the stack. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
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
      }),
    );
  }
  if (type === 'entity.parse.failed') {
    return next(
      new BadRequestException({
        code: 'INVALID_BODY',
        message: 'The request body is not valid JSON',
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
