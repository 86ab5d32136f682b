import type { IncomingMessage } from 'node:http';
import { mayHoldNik, requestIdOf } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const requestWith = (id?: string): IncomingMessage =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

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
});
