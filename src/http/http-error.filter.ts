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
import { InvalidInputException, type FieldError } from './field-errors';
import { localise, type MessageParams, type MessageRef } from './messages/catalogue';
import { domainErrorParams } from './messages/domain-params';
import { DEFAULT_LANGUAGE, negotiateLanguage, type Language } from './messages/language';
import { requestIdOf } from './request-context';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidPositionError,
  StreamNotWritableError,
  WrongExpectedVersionError,
} from '../platform/event-store/event-store.errors';
import { PersonalDataErasedError } from '../platform/personal-data/personal-data';

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
 * Every error leaves as JSON with a machine-readable `code`, its message in the language the
 * caller asked for (Accept-Language: `id` for Indonesian, English otherwise), which
 * `Content-Language` names. What a client sent can only cause a 4xx; a 500 means a defect here
 * and is logged (by type and stack, never with the request body).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const language = negotiateLanguage(request.headers['accept-language']);
    const { status, body, retryAfterSeconds } = this.toHttpError(
      error,
      () => requestIdOf(request),
      language,
    );
    if (retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(retryAfterSeconds));
    response.setHeader('Content-Language', language);
    response.vary('Accept-Language');
    response.status(status).json(body);
  }

  /** `requestId` names the request in the log line of a 500. */
  private toHttpError(error: unknown, requestId: () => string, language: Language): HttpError {
    const known = httpErrorOf(error, language);
    // The store refused a stream an operator must repair: known, but worth a line in the log.
    if (known && error instanceof StreamNotWritableError) {
      this.logger.error({ msg: error.message, reqId: requestId() });
    }
    if (known) return known;
    this.logger.error(
      {
        msg: `Unhandled ${error instanceof Error ? error.name : typeof error}`,
        reqId: requestId(),
      },
      error instanceof Error ? error.stack : undefined,
    );
    const english = 'Something went wrong on our side';
    return plain(
      500,
      'INTERNAL_ERROR',
      localise(language, { key: 'INTERNAL_ERROR', params: {} }, english),
    );
  }
}

/**
 * The answer an error gets: its status and JSON body with a machine-readable `code`, its
 * messages in `language`; undefined for an error nothing here expected (a defect: 500).
 */
export function httpErrorOf(
  error: unknown,
  language: Language = DEFAULT_LANGUAGE,
): HttpError | undefined {
  const described = describe(error);
  if (!described) return undefined;
  const { answer, ref, fieldRefs } = described;
  const body: HttpErrorBody = {
    ...answer.body,
    message: localise(language, ref, answer.body.message),
  };
  if (Array.isArray(answer.body.errors)) {
    const errors = (answer.body.errors as FieldError[]).map((fieldError, index) => ({
      ...fieldError,
      message: localise(language, fieldRefs?.[index] ?? ref, fieldError.message),
    }));
    body.errors = errors;
    // INVALID_INPUT says every field's message; so does its translation.
    if (fieldRefs) body.message = errors.map((fieldError) => fieldError.message).join('; ');
  }
  return { ...answer, body };
}

interface DescribedError {
  /** The answer in English, as raised. */
  answer: HttpError;
  /** The top-level message apart from its language. */
  ref: MessageRef;
  /** Each entry of `errors`, apart from its language (INVALID_INPUT). */
  fieldRefs?: readonly MessageRef[];
}

function describe(error: unknown): DescribedError | undefined {
  if (error instanceof DomainError) {
    const status = DOMAIN_STATUS[error.kind];
    const body: HttpErrorBody = { statusCode: status, code: error.code, message: error.message };
    if (error.field) {
      body.field = error.field;
      if (error.kind === 'invalid') {
        body.errors = [{ field: error.field, rule: error.code, message: error.message }];
      }
    }
    return {
      answer: { status, body },
      ref: { key: error.code, params: domainErrorParams(error) },
    };
  }
  if (error instanceof WrongExpectedVersionError) {
    return byCode(
      plain(409, 'CONCURRENCY_CONFLICT', 'Another change to the same record came first; retry'),
    );
  }
  if (error instanceof EventStoreUnavailableError) {
    return byCode({
      ...plain(503, 'EVENT_STORE_UNAVAILABLE', error.message),
      retryAfterSeconds: 1,
    });
  }
  // The store's refusals that certainly wrote nothing: never the unknown outcome of a 503.
  if (error instanceof EventTooLargeError) {
    return byCode(plain(413, 'EVENT_TOO_LARGE', error.message));
  }
  if (error instanceof StreamNotWritableError) {
    return byCode(plain(500, 'STREAM_NOT_WRITABLE', error.message));
  }
  // The event store's own guard: an append that needed a destroyed data key wrote nothing. The
  // domain refuses such commands first; this answers the same for one that slipped through.
  if (error instanceof PersonalDataErasedError) {
    return byCode(
      plain(
        409,
        'PERSONAL_DATA_ERASED',
        'This would record personal data of a person whose data was erased; nothing was recorded',
      ),
    );
  }
  if (error instanceof InvalidPositionError) {
    return byCode(plain(400, 'INVALID_POSITION', error.message));
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const answer = error.getResponse();
    const fields = typeof answer === 'object' ? (answer as Partial<HttpErrorBody>) : {};
    // `params` are the message's parameters, for translation: not part of the answer.
    const {
      statusCode: _status,
      error: _error,
      params,
      ...rest
    } = fields as Partial<HttpErrorBody> & { error?: unknown; params?: unknown };
    const code = fields.code ?? statusCode(status);
    return {
      answer: {
        ...(status === HttpStatus.SERVICE_UNAVAILABLE ? { retryAfterSeconds: 1 } : {}),
        status,
        body: {
          statusCode: status,
          ...rest,
          code,
          message: typeof fields.message === 'string' ? fields.message : error.message,
        },
      },
      ref: {
        key: code,
        params: {
          ...(typeof fields.field === 'string' ? { field: fields.field } : {}),
          ...messageParams(params),
        },
      },
      ...(error instanceof InvalidInputException ? { fieldRefs: error.refs } : {}),
    };
  }
  return undefined;
}

function byCode(answer: HttpError): DescribedError {
  return { answer, ref: { key: answer.body.code, params: {} } };
}

/** Plain values only: what an exception's `params` holds that a message can use. */
function messageParams(params: unknown): MessageParams {
  if (typeof params !== 'object' || params === null) return {};
  return Object.fromEntries(
    Object.entries(params).filter(([, value]) =>
      ['string', 'number', 'boolean'].includes(typeof value),
    ),
  ) as MessageParams;
}

function plain(status: number, code: string, message: string): HttpError {
  return { status, body: { statusCode: status, code, message } };
}

function statusCode(status: number): string {
  return (HttpStatus[status] as string | undefined) ?? `HTTP_${status}`;
}
