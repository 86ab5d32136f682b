import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { SqliteEventStore } from '../../platform/event-store/sqlite/sqlite-event-store';
import { LogSealer, readSeals, type StoredSeal } from '../sealing/log-sealer';
import { SEAL_STREAM } from '../sealing/seal';
import { readSealAnchors, type NumberedAnchor } from '../sealing/seal-anchor';
import { AnchorCheck } from './anchor-check';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

describe('AnchorCheck', () => {
  let dir: string;
  let store: SqliteEventStore;
  let events: StoredEvent[];
  let seals: StoredSeal[];
  let anchors: NumberedAnchor[];

  /** Three seals, each anchored, with events before, between and after them. */
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-anchor-check-'));
    store = new SqliteEventStore({ file: ':memory:' });
    const file = join(dir, 'seal-anchors.jsonl');
    const sealer = new LogSealer(store, { anchorFile: file });
    for (const stream of ['a', 'b', 'c']) {
      for (let i = 0; i < 3; i++) {
        await store.appendToStream(stream, [{ type: 'Happened', data: { i } }], {
          expectedRevision: 'any',
          context,
        });
      }
      await sealer.seal();
    }
    await store.appendToStream('d', [{ type: 'Happened', data: {} }], {
      expectedRevision: 'any',
      context,
    });
    events = await store.readAll();
    seals = await readSeals(store);
    anchors = await readSealAnchors(file);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function check(
    log: StoredEvent[] = events,
    inStream: StoredSeal[] = seals,
    given: NumberedAnchor[] = anchors,
  ) {
    const anchorCheck = new AnchorCheck(given, inStream);
    // Pages of two, so segments open and close across pages.
    for (let i = 0; i < log.length; i += 2) anchorCheck.add(log.slice(i, i + 2));
    return anchorCheck.report();
  }

  it('finds every anchored seal in the seals stream and the log hashing to each', () => {
    const last = anchors[2];
    expect(check()).toEqual({
      anchors: 3,
      latestMatching: { sealedPosition: last.sealedPosition, logHash: last.logHash },
      contiguousUpTo: last.sealedPosition,
      findings: [],
    });
  });

  it('names every seal when the seals stream is deleted, and still checks the log', () => {
    const report = check(
      events.filter((event) => event.streamName !== SEAL_STREAM),
      [],
    );
    expect(report.findings.map((finding) => [finding.kind, finding.line])).toEqual([
      ['seal-missing', 1],
      ['seal-missing', 2],
      ['log-mismatch', 2],
      ['seal-missing', 3],
      ['log-mismatch', 3],
    ]);
    // The first segment holds no seal event, so the log still matches it.
    expect(report.latestMatching?.sealedPosition).toBe(anchors[0].sealedPosition);
    expect(report.findings[1].message).toMatch(/is no longer in the seals stream/);
  });

  it('names a seal rewritten in the stream', () => {
    const forged = { ...seals[1], data: { ...seals[1].data, logHash: 'f'.repeat(64) } };
    const report = check(events, [seals[0], forged, seals[2]]);
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'seal-changed',
        line: 2,
        sealPosition: anchors[1].sealPosition,
        message: expect.stringMatching(/log hash f{64} stored; .* log hash [0-9a-f]{64} anchored/),
      }),
    ]);
  });

  it('names an anchored segment whose events were removed, and the tail of the log cut off', () => {
    const removed = events.filter((event) => event.position !== 5n);
    expect(check(removed).findings.map((finding) => [finding.kind, finding.line])).toEqual([
      ['log-mismatch', 2],
    ]);
    const cut = events.filter((event) => event.position <= BigInt(anchors[1].sealedPosition));
    const tail = check(cut).findings;
    expect(tail.map((finding) => [finding.kind, finding.line])).toEqual([['log-mismatch', 3]]);
    expect(tail[0].message).toMatch(/before the anchored position: its tail was removed/);
  });

  it('checks each anchored segment on its own when other seals were never anchored', () => {
    const report = check(events, seals, [anchors[2]]);
    expect(report).toMatchObject({
      findings: [],
      latestMatching: { sealedPosition: anchors[2].sealedPosition },
      contiguousUpTo: '0',
    });
  });
});
