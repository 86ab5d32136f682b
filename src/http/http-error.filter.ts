import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../domain/domain-error';
import { requestIdOf } from './request-context';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../platform/event-store/event-store.errors';

export interface HttpErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
  errors?: unknown[];
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
  retryAfterSeconds?: number;
}

const DOMAIN_STATUS = { invalid: 400, not_found: 404, rule: 409 } as const;

/**
 * Every error leaves as JSON with a machine-readable `code`. What a client sent can only cause a
 * 4xx; a 500 means a defect here and is logged (by type and stack, never with the request body).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const { status, body, retryAfterSeconds } = this.toHttpError(error, () =>
      requestIdOf(http.getRequest<Request>()),
    );
    if (retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(retryAfterSeconds));
    response.status(status).json(body);
  }

  /** `requestId` names the request in the log line of a 500. */
  private toHttpError(error: unknown, requestId: () => string): HttpError {
    const known = httpErrorOf(error);
    if (known) return known;
    this.logger.error(
      {
        msg: `Unhandled ${error instanceof Error ? error.name : typeof error}`,
        reqId: requestId(),
      },
      error instanceof Error ? error.stack : undefined,
    );
    return plain(500, 'INTERNAL_ERROR', 'Something went wrong on our side');
  }
}

/**
 * The answer an error gets: its status and JSON body with a machine-readable `code`; undefined
 * for an error nothing here expected (a defect: 500).
 */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof DomainError) {
    const status = DOMAIN_STATUS[error.kind];
    const body: HttpErrorBody = { statusCode: status, code: error.code, message: error.message };
    if (error.field) {
      body.field = error.field;
      if (error.kind === 'invalid') {
        body.errors = [{ field: error.field, rule: error.code, message: error.message }];
      }
    }
    return { status, body };
  }
  if (error instanceof WrongExpectedVersionError) {
    return plain(
      409,
      'CONCURRENCY_CONFLICT',
      'Another change to the same record came first; retry',
    );
  }
  if (error instanceof EventStoreUnavailableError) {
    return { ...plain(503, 'EVENT_STORE_UNAVAILABLE', error.message), retryAfterSeconds: 1 };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const answer = error.getResponse();
    const fields = typeof answer === 'object' ? (answer as Partial<HttpErrorBody>) : {};
    const {
      statusCode: _status,
      error: _error,
      ...rest
    } = fields as Partial<HttpErrorBody> & {
      error?: unknown;
    };
    return {
      ...(status === HttpStatus.SERVICE_UNAVAILABLE ? { retryAfterSeconds: 1 } : {}),
      status,
      body: {
        statusCode: status,
        ...rest,
        code: fields.code ?? statusCode(status),
        message: typeof fields.message === 'string' ? fields.message : error.message,
      },
    };
  }
  return undefined;
}

function plain(status: number, code: string, message: string): HttpError {
  return { status, body: { statusCode: status, code, message } };
}

function statusCode(status: number): string {
  return (HttpStatus[status] as string | undefined) ?? `HTTP_${status}`;
}
