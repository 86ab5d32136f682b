import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { PinoNestLogger } from './nest-logger';
import { requestContext, requestIdOf } from '../../http/request-context';
import { createRootLogger } from './root-logger';

function capture(): { lines: Record<string, unknown>[]; logger: PinoNestLogger } {
  const lines: Record<string, unknown>[] = [];
  const root = createRootLogger('trace', { write: (line) => void lines.push(JSON.parse(line)) });
  return { lines, logger: new PinoNestLogger(root) };
}

function incoming(headers: Record<string, string> = {}): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  return request;
}

describe('requestContext', () => {
  it('gives the request its id and echoes it', () => {
    const request = incoming({ 'x-request-id': 'trace-0001' });
    const response = new ServerResponse(request);
    let called = false;
    requestContext(request, response, () => (called = true));
    expect(called).toBe(true);
    expect(response.getHeader('X-Request-Id')).toBe('trace-0001');
    expect(requestIdOf(request)).toBe('trace-0001');
  });

  it('replaces an id that could carry a NIK', () => {
    const id = requestIdOf(incoming({ 'x-request-id': 'req-6472055203900001' }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('PinoNestLogger', () => {
  it('writes Nest levels as pino levels, with the Nest context', () => {
    const { lines, logger } = capture();
    logger.log('started', 'Bootstrap');
    logger.warn('slow', 'Projections');
    logger.verbose('detail');
    expect(lines.map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 'info', msg: 'started', context: 'Bootstrap' },
      { level: 'warn', msg: 'slow', context: 'Projections' },
      { level: 'trace', msg: 'detail', context: undefined },
    ]);
    expect(lines[0]).toMatchObject({ service: 'bansos-ledger', time: expect.any(String) });
  });

  it('tells a stack from a context in error(message, stack?, context?)', () => {
    const { lines, logger } = capture();
    const stack = 'Error: boom\n    at handler (file.ts:1:1)';
    logger.error('Unhandled Error', stack, 'HttpError');
    logger.error('Unhandled Error', undefined, 'HttpError');
    logger.error('failed', 'Projections');
    logger.error('failed', stack);
    expect(lines.map(({ context, stack }) => ({ context, stack }))).toEqual([
      { context: 'HttpError', stack },
      { context: 'HttpError', stack: undefined },
      { context: 'Projections', stack: undefined },
      { context: undefined, stack },
    ]);
  });

  it('puts the fields of a { msg, ...fields } message on the line', () => {
    const { lines, logger } = capture();
    logger.error(
      { msg: 'Unhandled TypeError', reqId: 'trace-0001' },
      'TypeError: x\n    at y (z.ts:1:1)',
      'HttpError',
    );
    expect(lines[0]).toMatchObject({
      msg: 'Unhandled TypeError',
      reqId: 'trace-0001',
      context: 'HttpError',
      stack: expect.stringContaining('TypeError: x'),
    });
  });
});

describe('requestIdOf', () => {
  it('keeps a sane X-Request-Id, and gives one id per request', () => {
    const request = incoming({ 'x-request-id': '0af7651916cd43dd8448eb211c80319c' });
    expect(requestIdOf(request)).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(requestIdOf(incoming())).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = incoming();
    expect(requestIdOf(fresh)).toBe(requestIdOf(fresh));
  });

  it.each(['', 'has space', 'quote"d', 'x'.repeat(129), 'nama\nbaris'])(
    'replaces an unusable X-Request-Id (case %#) with a UUID',
    (offered) => {
      expect(requestIdOf(incoming({ 'x-request-id': offered }))).toMatch(/^[0-9a-f-]{36}$/);
    },
  );
});
