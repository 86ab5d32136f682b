import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that are safe to log and to keep in event metadata: a UUID, a trace id and the like. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();
const context = new AsyncLocalStorage<{ requestId: string }>();

/**
 * The request's id: the caller's X-Request-Id when it is a sane one, else a fresh UUID; the same
 * for every part of the service that asks (logs, response header, event correlation id).
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = ids.get(request);
  if (id === undefined) {
    const offered = request.headers['x-request-id'];
    id = typeof offered === 'string' && SANE_ID.test(offered) ? offered : randomUUID();
    ids.set(request, id);
  }
  return id;
}

/** The id of the request being handled, for log lines written on its behalf. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/** First middleware: gives the request its id, echoes it, and runs the rest within it. */
export function requestContext(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  const requestId = requestIdOf(request);
  response.setHeader(REQUEST_ID_HEADER, requestId);
  context.run({ requestId }, next);
}
