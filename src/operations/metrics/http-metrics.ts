import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeOf } from '../route-of';
import { ServiceMetrics } from './service-metrics';

/** Counts and times every answered request by method, route pattern and status. */
export function httpMetrics(metrics: ServiceMetrics) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const start = process.hrtime.bigint();
    response.once('finish', () => {
      const labels = {
        method: request.method ?? 'UNKNOWN',
        route: routeOf(request),
        status: String(response.statusCode),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, ServiceMetrics.secondsSince(start));
    });
    next();
  };
}
