import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { routeOf } from '../route-of';
import { requestIdOf } from './request-context';

/** Probes poll these every few seconds; their answers show in the metrics, not in the logs. */
const QUIET = /^\/(health|metrics)(\/|\?|$)/;

/**
 * One line per request when its response is finished: method, route pattern (never the URL,
 * whose path or query may carry personal data), status and time taken, under the request id.
 * No headers (bearer tokens) and no bodies (NIKs, names, phone numbers).
 */
export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (request) => requestIdOf(request),
    // Binds only `reqId` to req.log, and to the request line beside `req`.
    quietReqLogger: true,
    serializers: {
      req: (request: { method: string }) => ({ method: request.method }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    autoLogging: { ignore: (request) => QUIET.test(request.url ?? '') },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : 'info',
    customSuccessMessage: (request, response) => summary(request, response),
    customSuccessObject: (request, _response, value: object) => ({
      ...value,
      route: routeOf(request),
    }),
    // The error itself, if any, is logged where it is handled (the HTTP error filter).
    customErrorMessage: (request, response) => summary(request, response),
    customErrorObject: (request, response, _error, value: { responseTime?: number }) => ({
      res: response,
      responseTime: value.responseTime,
      route: routeOf(request),
    }),
  });
}

function summary(request: IncomingMessage, response: ServerResponse): string {
  const outcome = response.writableEnded ? response.statusCode : 'aborted';
  return `${request.method} ${routeOf(request)} ${outcome}`;
}
