import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSealAnchors } from './seal-anchor';

const HASH = 'a'.repeat(64);
const anchor = {
  sealPosition: '12',
  sealRevision: '0',
  sealedPosition: '11',
  eventCount: 11,
  streamCount: 3,
  logHash: HASH,
  previous: { sealedPosition: '0', eventCount: 0, streamCount: 0, logHash: '0'.repeat(64) },
  anchoredAt: '2025-06-20T02:00:00.000Z',
};

describe('readSealAnchors', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-anchor-file-'));
    file = join(dir, 'seal-anchors.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (...items: unknown[]) =>
    writeFileSync(
      file,
      items.map((item) => `${typeof item === 'string' ? item : JSON.stringify(item)}\n`).join(''),
    );

  it('reads every line, numbered from 1', async () => {
    lines(anchor, { ...anchor, sealPosition: '20', sealRevision: '1' });
    expect(await readSealAnchors(file)).toEqual([
      { ...anchor, line: 1 },
      { ...anchor, sealPosition: '20', sealRevision: '1', line: 2 },
    ]);
  });

  it.each([
    ['a cut-off line', '{"sealPosition":"12",', /line 2: not a JSON object/],
    ['an array', [1, 2], /line 2: not a JSON object/],
    ['a number', { ...anchor, sealPosition: 12 }, /line 2: sealPosition must be a decimal string/],
    ['a bad hash', { ...anchor, logHash: 'xyz' }, /line 2: logHash must be 64 hexadecimal digits/],
    [
      'a negative count',
      { ...anchor, eventCount: -1 },
      /line 2: eventCount must be a whole number/,
    ],
    ['no previous', { ...anchor, previous: undefined }, /line 2: previous must be the seal/],
    [
      'a bad previous',
      { ...anchor, previous: { ...anchor.previous, logHash: '' } },
      /line 2: previous.logHash/,
    ],
    [
      'a previous after it',
      { ...anchor, previous: { ...anchor.previous, sealedPosition: '99' } },
      /line 2: previous.sealedPosition is after/,
    ],
  ])('names the line that is not an anchor: %s', async (_name, bad, message) => {
    lines(anchor, bad, anchor);
    await expect(readSealAnchors(file)).rejects.toThrow(message);
  });

  it('names a file it cannot read', async () => {
    await expect(readSealAnchors(join(dir, 'none.jsonl'))).rejects.toThrow(
      /Cannot read the anchor file .*none\.jsonl/,
    );
  });

  it('reads an empty file as no anchors', async () => {
    writeFileSync(file, '');
    expect(await readSealAnchors(file)).toEqual([]);
  });
});
