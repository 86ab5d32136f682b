import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that are safe to log and to keep in event metadata: a UUID, a trace id and the like. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A W3C trace context of version 00: `00-<trace-id>-<parent-id>-<flags>`, lower-case hex only
 * (https://www.w3.org/TR/trace-context/#traceparent-header). Other versions may add fields and
 * are not read: the id would be a guess.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A trace context the request carried and this service accepted. */
export interface TraceContext {
  /** The header as received: checked character by character, so safe to log. */
  traceparent: string;
  traceId: string;
}

interface RequestContext {
  id: string;
  trace: TraceContext | null;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

/**
 * Sixteen digits in a row could be a NIK, also when written with separators (`6472.0541…`,
 * `6472-0541-…`, even in the shape of a UUID): such an id is never logged or stored. A random
 * UUID's digits run to sixteen about once in 220, a random traceparent's about once in 120: it
 * gets a fresh id (a correlation lost rather than a NIK kept).
 */
export function mayHoldNik(id: string): boolean {
  return /\d{16}/.test(id.replace(/[^\p{L}\p{N}]/gu, ''));
}

/**
 * The request's `traceparent` when it is a valid version-00 one whose ids are not all zeros
 * (invalid per W3C) and that holds no NIK; otherwise null, and the header is ignored, never
 * refused nor logged.
 */
export function traceContextOf(request: IncomingMessage): TraceContext | null {
  return contextOf(request).trace;
}

/**
 * The request's id, the same for every part of the service that asks (logs, response header,
 * event correlation id): the trace-id of a valid `traceparent`, else the caller's X-Request-Id
 * when it is a sane one, else a fresh UUID.
 *
 * traceparent wins over X-Request-Id: where both arrive, a gateway or service mesh usually set
 * them, and many such hops make a new X-Request-Id per hop, while the trace-id stays the same
 * from the first service to the last; so the trace-id joins this service's logs and events to
 * the caller's trace. A client that wants its own id sends X-Request-Id without traceparent.
 */
export function requestIdOf(request: IncomingMessage): string {
  return contextOf(request).id;
}

function contextOf(request: IncomingMessage): RequestContext {
  let context = contexts.get(request);
  if (context === undefined) {
    const trace = parseTraceparent(request.headers.traceparent);
    context = { id: trace?.traceId ?? offeredRequestId(request) ?? randomUUID(), trace };
    contexts.set(request, context);
  }
  return context;
}

function parseTraceparent(header: string | string[] | undefined): TraceContext | null {
  // Node joins repeated headers with ", " (W3C: two traceparents make it invalid), so the
  // pattern refuses them too.
  if (typeof header !== 'string') return null;
  const match = TRACEPARENT.exec(header);
  if (match === null) return null;
  const [, traceId, parentId] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId) || mayHoldNik(header)) return null;
  return { traceparent: header, traceId };
}

function offeredRequestId(request: IncomingMessage): string | undefined {
  const offered = request.headers['x-request-id'];
  return typeof offered === 'string' && SANE_ID.test(offered) && !mayHoldNik(offered)
    ? offered
    : undefined;
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
