import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { correlationIdOf, mayHoldNik, requestIdOf, traceContextOf } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const requestWith = (id?: string): IncomingMessage =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

const requestWithHeaders = (headers: Record<string, string>): IncomingMessage =>
  ({ headers }) as IncomingMessage;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('requestIdOf', () => {
  it.each([
    'log-privacy-e2e-0001',
    '6f1c2a4e-8b1d-4c53-9a07-2e5b8d3c1f90',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'order:2025.06.30_batch-7',
    '647205410590000', // fifteen digits: no NIK
    '6472.0541.0590.000',
  ])('keeps the caller’s id %s', (id) => {
    expect(requestIdOf(requestWith(id))).toBe(id);
  });

  it.each([
    ['in a row', '6472054105900001'],
    ['in a longer id', 'req-6472054105900001-x'],
    ['written with dots', '6472.0541.0590.0001'],
    ['written with dashes', '6472-0541-0590-0001'],
    ['written with underscores', '6472_0541_0590_0001'],
    ['written with colons', '64:72:05:41:05:90:00:01'],
    ['in the parts of a region code', '64.72.05.410590.0001'],
    ['in the shape of a UUID', '64720541-0590-0001-8000-00000000abcd'],
    ['mixed separators', 'id:6472.05-41_0590.0001'],
  ])('replaces an id with a NIK %s by a fresh one', (_label, id) => {
    const given = requestWith(id);
    expect(requestIdOf(given)).toMatch(UUID);
    expect(requestIdOf(given)).toBe(requestIdOf(given));
  });

  it.each([
    ['none', undefined],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['an escape', 'a\u001bb'],
    ['too long', 'x'.repeat(129)],
  ])('replaces %s by a fresh id', (_label, id) => {
    expect(requestIdOf(requestWith(id))).toMatch(UUID);
  });
});

describe('mayHoldNik', () => {
  it('reads digits across any separator, spaces and slashes included', () => {
    expect(mayHoldNik('6472 0541 0590 0001')).toBe(true);
    expect(mayHoldNik('6472/0541/0590/0001')).toBe(true);
  });

  it('does not join digits across letters', () => {
    expect(mayHoldNik('6472a0541b0590c0001')).toBe(false);
  });

  // The rates README.md and request-context.ts quote: about one random UUID in 220 and one
  // random traceparent in 120 is dropped. 100 000 draws each; the bounds sit over 5 standard
  // deviations out, so chance alone does not fail this.
  it('drops about one random UUID in 220 and one random traceparent in 120', () => {
    const draws = 100_000;
    let uuidsDropped = 0;
    let traceparentsDropped = 0;
    for (let draw = 0; draw < draws; draw++) {
      const uuid = randomUUID();
      if (requestIdOf(requestWith(uuid)) !== uuid) uuidsDropped++;
      const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
      if (traceContextOf(requestWithHeaders({ traceparent })) === null) traceparentsDropped++;
    }
    expect(draws / uuidsDropped).toBeGreaterThan(170);
    expect(draws / uuidsDropped).toBeLessThan(300);
    expect(draws / traceparentsDropped).toBeGreaterThan(95);
    expect(draws / traceparentsDropped).toBeLessThan(150);
  });
});

describe('a W3C traceparent', () => {
  const traced = (traceparent: string, requestId?: string): IncomingMessage =>
    requestWithHeaders({
      traceparent,
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    });

  it('gives the correlation id, and is kept for the logs; the request keeps its own id', () => {
    const request = traced(TRACEPARENT);
    expect(correlationIdOf(request)).toBe(TRACE_ID);
    expect(traceContextOf(request)).toEqual({ traceparent: TRACEPARENT, traceId: TRACE_ID });
    expect(requestIdOf(request)).toMatch(UUID);
    expect(requestIdOf(request)).toBe(requestIdOf(request));
  });

  it('leaves X-Request-Id naming the one request, while the trace names many', () => {
    const first = traced(TRACEPARENT, 'gw-0001');
    const retry = traced(TRACEPARENT, 'gw-0002');
    expect([requestIdOf(first), requestIdOf(retry)]).toEqual(['gw-0001', 'gw-0002']);
    expect([correlationIdOf(first), correlationIdOf(retry)]).toEqual([TRACE_ID, TRACE_ID]);
  });

  it('without one, the correlation id is the request id', () => {
    const request = requestWith('gw-0003');
    expect(correlationIdOf(request)).toBe('gw-0003');
  });

  it.each([
    ['unsampled flags', `00-${TRACE_ID}-00f067aa0ba902b7-00`],
    ['other flags', `00-${TRACE_ID}-00f067aa0ba902b7-ff`],
  ])('is accepted with %s', (_label, traceparent) => {
    expect(correlationIdOf(traced(traceparent))).toBe(TRACE_ID);
  });

  it.each([
    ['a later version', `01-${TRACE_ID}-00f067aa0ba902b7-01`],
    [
      'a later version with fields of its own',
      `cc-${TRACE_ID}-00f067aa0ba902b7-01-what-the-future-holds`,
    ],
  ])('is read as far as it is known with %s, and logged without the rest', (_label, header) => {
    const request = traced(header);
    expect(correlationIdOf(request)).toBe(TRACE_ID);
    expect(traceContextOf(request)?.traceparent).toBe(header.slice(0, 55));
  });

  it.each([
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent-id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['a later version run into its next field', `01-${TRACE_ID}-00f067aa0ba902b7-01x`],
    ['a short trace-id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['a long parent-id', `00-${TRACE_ID}-00f067aa0ba902b7a-01`],
    ['a trailing field on version 00', `${TRACEPARENT}-extra`],
    ['surrounding space', ` ${TRACEPARENT}`],
    ['two of them, as Node joins them', `${TRACEPARENT}, ${TRACEPARENT}`],
    ['a non-hex character', `00-${TRACE_ID.slice(0, 31)}g-00f067aa0ba902b7-01`],
    ['a control character', `00-${TRACE_ID}-00f067aa0ba902b7-01\u001b[31m`],
    ['a NIK as the parent-id', `00-${TRACE_ID}-6472054105900001-01`],
    ['a NIK inside the trace-id', '00-a6472054105900001bcdefabcdefabcd-00f067aa0ba902b7-01'],
    ['a NIK across trace-id and parent-id', `00-${'a'.repeat(24)}64720541-05900001abcdef12-01`],
    ['nothing', ''],
  ])('is ignored with %s: the correlation id is the request id', (_label, traceparent) => {
    const withId = traced(traceparent, 'gw-0001');
    expect(correlationIdOf(withId)).toBe('gw-0001');
    expect(traceContextOf(withId)).toBeNull();
    const without = traced(traceparent);
    expect(correlationIdOf(without)).toBe(requestIdOf(without));
    expect(requestIdOf(without)).toMatch(UUID);
  });
});
