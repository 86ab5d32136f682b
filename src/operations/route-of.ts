import type { IncomingMessage } from 'node:http';

/** Requests that no route handled: unknown paths, and bodies refused before routing. */
export const NO_ROUTE = 'none';

/**
 * The route pattern that handled a request (`/api/v1/recipients/:id`), known once routing
 * happened; never the URL itself, whose ids and query strings would explode metric labels and
 * could carry personal data into logs.
 */
export function routeOf(request: IncomingMessage): string {
  const { route, baseUrl } = request as IncomingMessage & {
    route?: { path?: unknown };
    baseUrl?: string;
  };
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : NO_ROUTE;
}
