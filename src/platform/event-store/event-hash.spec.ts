import { createHash } from 'node:crypto';
import { appendHasher, eventHash, type HashedContent } from './event-hash';

const content: HashedContent = {
  streamName: 'recipient-ä"\\',
  revision: 12n,
  type: 'AidDisbursed',
  dataJson: JSON.stringify({ nama: 'Siti "Ā" \u2028', valueRupiah: 5_000_000 }),
  eventId: '7f0c6a3e-0000-4000-8000-000000000001',
  actor: 'operator:samarinda',
  correlationId: 'c',
  causationId: 'd',
  commandId: 'e',
  recordedAt: '2026-01-02T03:04:05.678Z',
  schemaVersion: 2,
  previousHash: 'ab'.repeat(32),
};

describe('eventHash', () => {
  it('is the layout every stored hash was made with (event-hash/1)', () => {
    const header = JSON.stringify([
      'event-hash/1',
      content.previousHash,
      content.streamName,
      '12',
      content.type,
      content.schemaVersion,
      content.eventId,
      content.recordedAt,
      content.actor,
      content.correlationId,
      content.causationId,
      content.commandId,
    ]);
    const expected = createHash('sha256')
      .update(header)
      .update('\n')
      .update(content.dataJson)
      .digest('hex');
    expect(eventHash(content)).toBe(expected);
    expect(eventHash({ ...content, previousHash: null })).not.toBe(expected);
  });

  it('gives the same hash per event when the fields of an append are shared', () => {
    const { streamName, recordedAt, actor, correlationId, causationId, commandId, ...own } =
      content;
    const hashOf = appendHasher({
      streamName,
      recordedAt,
      actor,
      correlationId,
      causationId,
      commandId,
    });
    expect(hashOf(own)).toBe(eventHash(content));
    expect(hashOf({ ...own, revision: 13n, previousHash: null })).toBe(
      eventHash({ ...content, revision: 13n, previousHash: null }),
    );
  });

  it('is pinned: a change of layout would need a new tag', () => {
    expect(eventHash(content)).toBe(PINNED);
  });
});

const PINNED = '62ead80248629a3d300adbf4b0f1a64eb5b1a72cf0cd21ee4464b0c908de036e';
