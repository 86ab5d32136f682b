import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Ids that are safe to log and to keep in event metadata: a UUID, a trace id and the like. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A W3C trace context (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `<version>-<trace-id>-<parent-id>-<flags>`, lower-case hex. Version 00 is exactly that; a
 * later version may append fields after a `-`, which are not read (the standard's rule for a
 * version this service does not know); version ff is invalid.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A trace context the request carried and this service accepted. */
export interface TraceContext {
  /** The four fields as read (any later version's extra fields left out): safe to log. */
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
 * The request's `traceparent` when it is a valid one whose ids are not all zeros (invalid per
 * W3C) and that holds no NIK; otherwise null, and the header is ignored, never refused nor logged.
 */
export function traceContextOf(request: IncomingMessage): TraceContext | null {
  return contextOf(request).trace;
}

/**
 * The request's own id, the same for every part of the service that asks (log line, response
 * header, the log line of a 500): the caller's X-Request-Id when it is a sane one, else a fresh
 * UUID. It names one request; a trace names many (a page load, a retry loop), so a traceparent
 * does not replace it.
 */
export function requestIdOf(request: IncomingMessage): string {
  return contextOf(request).id;
}

/**
 * What the events a request writes record as their correlation id: the trace-id of a valid
 * `traceparent`, which joins them to the caller's trace across every service it passed, else
 * the request's id.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const { trace, id } = contextOf(request);
  return trace?.traceId ?? id;
}

function contextOf(request: IncomingMessage): RequestContext {
  let context = contexts.get(request);
  if (context === undefined) {
    const trace = parseTraceparent(request.headers.traceparent);
    context = { id: offeredRequestId(request) ?? randomUUID(), trace };
    contexts.set(request, context);
  }
  return context;
}

function parseTraceparent(header: string | string[] | undefined): TraceContext | null {
  // Node joins repeated headers with ", " (W3C: two traceparents make it invalid); version 00
  // has no extra fields, so the pattern refuses them for it.
  if (typeof header !== 'string') return null;
  const match = TRACEPARENT.exec(header);
  if (match === null) return null;
  const [, version, traceId, parentId, flags, extra] = match;
  if (version === 'ff' || (version === '00' && extra !== undefined)) return null;
  const traceparent = `${version}-${traceId}-${parentId}-${flags}`;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId) || mayHoldNik(traceparent)) return null;
  return { traceparent, traceId };
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
