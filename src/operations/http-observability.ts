import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { requestContext } from '../http/request-context';
import { requestLogging } from './logging/request-logging';
import { ROOT_LOGGER } from './logging/root-logger';
import { httpMetrics } from './metrics/http-metrics';
import { ServiceMetrics } from './metrics/service-metrics';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * The first middleware of the HTTP app, so that every request, even one refused before routing
 * (a body too large, not JSON), gets a request id, a log line and a place in the metrics.
 */
export function observeHttp(app: INestApplication): Middleware[] {
  const logger = app.get<Logger>(ROOT_LOGGER, { strict: false });
  const metrics = app.get(ServiceMetrics, { strict: false });
  return [requestContext, requestLogging(logger), httpMetrics(metrics)];
}
