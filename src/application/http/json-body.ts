import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
} from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

export const BODY_LIMIT = '1mb';

/**
 * JSON bodies up to 1 MiB. The parser's own errors would quote the body back (it may hold a
 * NIK), so they are replaced by plain ones that the error filter then answers.
 */
export function jsonBody(): [
  RequestHandler,
  (error: unknown, request: Request, response: Response, next: NextFunction) => void,
] {
  return [json({ limit: BODY_LIMIT }), replaceParserError];
}

function replaceParserError(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return next(error);
  if (type === 'entity.too.large') {
    return next(
      new PayloadTooLargeException({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than 1 MiB',
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
