import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { routeOf } from '../route-of';
import { requestIdOf, traceContextOf } from '../../http/request-context';

/** Probes poll these every few seconds; their answers show in the metrics, not in the logs. */
const QUIET = /^\/(health|metrics)(\/|\?|$)/;

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * One line per request when its response is finished (or the client went away): method, route
 * pattern (never the URL, whose path or query may carry personal data), status and time taken,
 * under the request id. No headers (bearer tokens) and no bodies (NIKs, names, phone numbers).
 */
export function requestLogging(logger: Logger): Middleware {
  return (request, response, next) => {
    if (QUIET.test(request.url ?? '')) return next();
    const started = performance.now();
    const done = (): void => {
      response.off('finish', done);
      response.off('close', done);
      const route = routeOf(request);
      const outcome = response.writableFinished ? response.statusCode : 'aborted';
      const failed = outcome === 'aborted' || response.statusCode >= 500;
      const trace = traceContextOf(request);
      logger[failed ? 'error' : 'info'](
        {
          reqId: requestIdOf(request),
          ...(trace && { traceId: trace.traceId, traceparent: trace.traceparent }),
          req: { method: request.method },
          res: { statusCode: response.statusCode },
          responseTime: Math.round(performance.now() - started),
          route,
        },
        `${request.method} ${route} ${outcome}`,
      );
    };
    response.on('finish', done);
    response.on('close', done);
    next();
  };
}
