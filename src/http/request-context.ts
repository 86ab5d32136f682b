import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that are safe to log and to keep in event metadata: a UUID, a trace id and the like. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * Sixteen digits in a row could be a NIK, also when written with separators (`6472.0541…`,
 * `6472-0541-…`, even in the shape of a UUID): such an id is never logged or stored. A random
 * UUID's digits run to sixteen about once in 220: it gets a fresh id (a correlation lost rather
 * than a NIK kept).
 */
export function mayHoldNik(id: string): boolean {
  return /\d{16}/.test(id.replace(/[^\p{L}\p{N}]/gu, ''));
}

/**
 * The request's id: the caller's X-Request-Id when it is a sane one, else a fresh UUID; the same
 * for every part of the service that asks (logs, response header, event correlation id).
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = ids.get(request);
  if (id === undefined) {
    const offered = request.headers['x-request-id'];
    const sane = typeof offered === 'string' && SANE_ID.test(offered) && !mayHoldNik(offered);
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
