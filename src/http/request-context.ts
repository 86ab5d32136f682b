import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that are safe to log and to keep in event metadata: a UUID, a trace id and the like. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the caller's X-Request-Id when it is a sane one, else a fresh UUID; the same
 * for every part of the service that asks (logs, response header, event correlation id).
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = ids.get(request);
  if (id === undefined) {
    const offered = request.headers['x-request-id'];
    // Sixteen digits in a row could be a NIK: such an id is never logged or stored.
    const sane = typeof offered === 'string' && SANE_ID.test(offered) && !/\d{16}/.test(offered);
    id = sane ? offered : randomUUID();
    ids.set(request, id);
  }
  return id;
}

/**
 * First middleware: gives the request its id and echoes it. The id travels with the request
 * object, not in async context: AsyncLocalStorage would tax every promise of every request.
 */
export function requestContext(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  response.setHeader(REQUEST_ID_HEADER, requestIdOf(request));
  next();
}
