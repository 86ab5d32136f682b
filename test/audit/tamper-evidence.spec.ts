import { rebuildReadModel } from '../helpers/read-model-comparison';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { PROJECTIONS } from '../../projections';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { LogSealer } from '../../src/audit/sealing/log-sealer';
import { readSealAnchors, type NumberedAnchor } from '../../src/audit/sealing/seal-anchor';
import { verifyLog } from '../../src/audit/verify/verify-log';
import { eventHash } from '../../src/platform/event-store/event-hash';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import type { AnyProjection } from '../../src/platform/projection-engine/projection';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { appendLedgerLog, appendQuotaDefinitions } from './ledger-log';

/**
 * Tampering done the way someone with the file would do it, straight in SQLite, and verify
 * expected to name each kind: an edited, deleted or reordered event, a removed stream, streams
 * that no longer agree with each other, and a removed seals stream held against its anchors.
 */
describe('tamper evidence on the embedded event store', () => {
  let dir: string;
  let sealed: string;
  let anchorFile: string;
  let file: string;

  /**
   * Older recipients written as the old write side did, newer ones as the new one does; sealed
   * twice (each seal anchored), then a last batch of aid, some of it reversed, left unsealed.
   */
  beforeAll(async () => {
    // The rebuild below reports its progress; not wanted among the test results.
    Logger.overrideLogger(false);
    dir = mkdtempSync(join(tmpdir(), 'bansos-tamper-'));
    sealed = join(dir, 'sealed.sqlite');
    anchorFile = join(dir, 'seal-anchors.jsonl');
    const store = new SqliteEventStore({ file: sealed });
    const sealer = new LogSealer(store, { anchorFile });
    await appendQuotaDefinitions(store);
    await appendLedgerLog(store, { first: 0, count: 100, legacy: true });
    await appendLedgerLog(store, { first: 100, count: 150 });
    await sealer.seal();
    await appendLedgerLog(store, { first: 250, count: 30 });
    await sealer.seal();
    await appendLedgerLog(store, { first: 280, count: 20, reversalRate: 0.5, maxVisits: 0 });
    await store.close();
  });

  afterAll(() => {
    Logger.overrideLogger(new ConsoleLogger());
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    file = join(dir, `case-${Math.random().toString(36).slice(2)}.sqlite`);
    copyFileSync(sealed, file);
  });

  async function verify({
    anchors,
    rebuilt,
  }: { anchors?: NumberedAnchor[]; rebuilt?: AnyProjection } = {}) {
    const eventStore = new SqliteEventStore({ file });
    const readStore = new SqliteReadStore({ file: ':memory:' });
    try {
      if (rebuilt) await rebuildReadModel(eventStore, readStore, rebuilt);
      const report = await verifyLog(eventStore, readStore, PROJECTIONS, { anchors });
      return {
        ok: report.ok,
        findings: report.chains.findings,
        seals: report.chains.seals,
        links: report.links.findings,
        report,
      };
    } finally {
      await eventStore.close();
      await readStore.close();
    }
  }

  function tamper(change: (db: Database.Database) => void): void {
    const db = new Database(file);
    change(db);
    db.close();
  }

  /** A recipient stream of at least four events, all before the seal. */
  function sealedStream(db: Database.Database): { id: number; name: string; positions: number[] } {
    const sealPosition = db
      .prepare(
        `SELECT e.position FROM events e JOIN streams s ON s.id = e.stream_id
         WHERE s.name = 'audit-seals'`,
      )
      .pluck()
      .get() as number;
    const stream = db
      .prepare(
        `SELECT s.id, s.name FROM streams s JOIN events e ON e.stream_id = s.id
         WHERE s.name LIKE 'recipient-%' GROUP BY s.id
         HAVING count(*) >= 4 AND max(e.position) < ? ORDER BY s.id LIMIT 1`,
      )
      .get(sealPosition) as { id: number; name: string };
    const positions = db
      .prepare('SELECT position FROM events WHERE stream_id = ? ORDER BY revision')
      .pluck()
      .all(stream.id) as number[];
    return { ...stream, positions };
  }

  /** The position of the last seal: events after it are protected by their chains and links only. */
  function lastSealPosition(db: Database.Database): number {
    return db
      .prepare(
        `SELECT max(e.position) FROM events e JOIN streams s ON s.id = e.stream_id
         WHERE s.name = 'audit-seals'`,
      )
      .pluck()
      .get() as number;
  }

  /** A recipient stream after the last seal whose last event has this type. */
  function unsealedStreamEndingIn(db: Database.Database, type: string) {
    const stream = db
      .prepare(
        `SELECT s.id, s.name, e.position, e.revision FROM streams s JOIN events e ON e.stream_id = s.id
         WHERE s.name LIKE 'recipient-%' AND e.type = ? AND e.position > ?
           AND e.revision = (SELECT max(revision) FROM events WHERE stream_id = s.id)
         ORDER BY e.position LIMIT 1`,
      )
      .get(type, lastSealPosition(db)) as
      { id: number; name: string; position: number; revision: number } | undefined;
    if (!stream) throw new Error(`The log has no unsealed stream ending in ${type}`);
    return stream;
  }

  it('finds nothing wrong with an untouched log, old and new events alike, and checks its seals and anchors', async () => {
    const anchors = await readSealAnchors(anchorFile);
    const { ok, findings, seals, links, report } = await verify({ anchors });
    expect({ ok, findings, seals, links }).toEqual({ ok: true, findings: [], seals: 2, links: [] });
    expect(report.links).toMatchObject({
      registrations: 300,
      recordsWithoutEffects: expect.any(Number),
    });
    expect(report.links.recordsWithoutEffects).toBeGreaterThan(0);
    expect(report.links.idempotencyRecords).toBeGreaterThan(report.links.recordsWithoutEffects);
    expect(report.anchors).toMatchObject({ anchors: 2, findings: [] });
    expect(report.anchors?.contiguousUpTo).toBe(anchors[1].sealedPosition);
  });

  it('names an edited event', async () => {
    let target!: { name: string; position: number };
    tamper((db) => {
      const stream = sealedStream(db);
      target = { name: stream.name, position: stream.positions[1] };
      db.prepare(
        `UPDATE events SET data = json_set(data, '$.valueRupiah', 1) WHERE position = ?`,
      ).run(target.position);
    });
    const { ok, findings } = await verify();
    expect(ok).toBe(false);
    expect(findings[0]).toMatchObject({
      kind: 'altered',
      position: String(target.position),
      streamName: target.name,
      revision: '1',
    });
  });

  it('names an event edited and rehashed by the link that no longer holds', async () => {
    let target!: { name: string; next: number };
    tamper((db) => {
      const stream = sealedStream(db);
      target = { name: stream.name, next: stream.positions[2] };
      rehash(db, stream.positions[1], (data) => ({ ...data, valueRupiah: 1 }));
    });
    const { findings } = await verify();
    expect(findings[0]).toMatchObject({
      kind: 'broken-link',
      position: String(target.next),
      streamName: target.name,
    });
    // The first seal no longer matches; the second, built on it, still does: one break, named once.
    expect(findings.filter((finding) => finding.kind === 'seal-mismatch')).toHaveLength(1);
  });

  it('names a deleted event', async () => {
    let target!: { name: string };
    tamper((db) => {
      const stream = sealedStream(db);
      target = stream;
      db.prepare('DELETE FROM events WHERE position = ?').run(stream.positions[2]);
    });
    const { findings } = await verify();
    expect(findings[0]).toMatchObject({ kind: 'missing', streamName: target.name, revision: '2' });
    const seal = findings.find((finding) => finding.kind === 'seal-mismatch');
    expect(seal?.message).toMatch(/1 event\(s\) and 0 stream\(s\) fewer than when sealed/);
  });

  it('names the last event of a stream cut off, through the seal', async () => {
    tamper((db) => {
      const stream = sealedStream(db);
      db.prepare('DELETE FROM events WHERE position = ?').run(stream.positions.at(-1));
    });
    const { findings } = await verify();
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe('seal-mismatch');
    expect(findings[0].message).toMatch(/events or whole streams were removed/);
  });

  it('names a reordered stream', async () => {
    let target!: { name: string; positions: number[] };
    tamper((db) => {
      target = sealedStream(db);
      const [, first, second] = target.positions;
      const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
      move.run(-1, first);
      move.run(first, second);
      move.run(second, -1);
    });
    const { findings } = await verify();
    const reordered = findings.find((finding) => finding.kind === 'reordered');
    expect(reordered).toMatchObject({
      streamName: target.name,
      revision: '1',
      position: String(target.positions[2]),
    });
    expect(reordered?.message).toMatch(/the stream was reordered/);
    expect(findings.map((finding) => finding.kind)).not.toContain('missing');
    expect(findings.map((finding) => finding.kind)).toContain('seal-mismatch');
  });

  it('names a forged revision far ahead without walking every revision in between', async () => {
    let target!: { name: string; position: number };
    tamper((db) => {
      const stream = sealedStream(db);
      target = { name: stream.name, position: stream.positions.at(-1) as number };
      db.prepare('UPDATE events SET revision = revision + 1000000000000 WHERE position = ?').run(
        target.position,
      );
    });
    const { findings } = await verify();
    const atTarget = findings.filter((finding) => finding.position === String(target.position));
    expect(atTarget.map((finding) => finding.kind).sort()).toEqual(['altered', 'missing']);
    expect(atTarget.find((finding) => finding.kind === 'missing')?.message).toMatch(
      new RegExp(`revisions \\d+ to \\d+ of ${target.name} are missing`),
    );
  });

  it('names a removed stream', async () => {
    tamper((db) => {
      const stream = sealedStream(db);
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(stream.id);
      db.prepare('DELETE FROM streams WHERE id = ?').run(stream.id);
    });
    const { findings } = await verify();
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe('seal-mismatch');
    expect(findings[0].message).toMatch(/event\(s\) and 1 stream\(s\) fewer than when sealed/);
  });

  it('names an altered seal', async () => {
    tamper((db) => {
      db.prepare(
        `UPDATE events SET data = json_set(data, '$.eventCount', 1) WHERE revision = 0 AND
           stream_id = (SELECT id FROM streams WHERE name = 'audit-seals')`,
      ).run();
    });
    const { findings } = await verify();
    // The altered seal fails its own hash and no longer matches the log; the next seal, built on
    // what the first recorded before the change, no longer follows from what it claims now.
    expect(findings.map((finding) => finding.kind).sort()).toEqual([
      'altered',
      'seal-mismatch',
      'seal-mismatch',
    ]);
    expect(findings.every((finding) => finding.streamName === 'audit-seals')).toBe(true);
  });

  it('names a reversal cut off the tail of its recipient stream, after the last seal', async () => {
    let target!: { name: string; position: number };
    tamper((db) => {
      target = unsealedStreamEndingIn(db, 'DisbursementReversed');
      db.prepare('DELETE FROM events WHERE position = ?').run(target.position);
    });
    const { ok, findings, links } = await verify();
    expect(ok).toBe(false);
    // The chains cannot see a cut-off tail, and no seal covers it.
    expect(findings).toEqual([]);
    const release = links.find((finding) => finding.kind === 'release-without-reversal');
    expect(release).toMatchObject({
      streamName: expect.stringMatching(/^quota-/),
      counterpart: { streamName: target.name, position: null },
    });
    expect(Number(release?.position)).toBeGreaterThan(target.position);
    // Sent with a key, its answer record also lists the reversal as an effect that is gone.
    for (const other of links.filter((finding) => finding !== release)) {
      expect(other).toMatchObject({
        kind: 'missing-effect',
        counterpart: { streamName: target.name, position: null },
      });
    }
  });

  it('names an AidDisbursed whose rupiah were edited and its hash recomputed, even after a rebuild', async () => {
    let target!: { name: string; position: number };
    tamper((db) => {
      target = unsealedStreamEndingIn(db, 'AidDisbursed');
      rehash(db, target.position, (data) => ({ ...data, valueRupiah: 1 }));
    });
    const { ok, findings, links, report } = await verify({ rebuilt: quotaProgressProjection });
    expect(ok).toBe(false);
    expect(findings).toEqual([]);
    // The read model rebuilt from the edited events agrees with them.
    expect(report.readModels.find((model) => model.projection === 'quota-progress')).toMatchObject({
      differenceCount: 0,
    });
    expect(links).toEqual([
      expect.objectContaining({
        kind: 'slot-mismatch',
        position: String(target.position),
        streamName: target.name,
        counterpart: { streamName: expect.stringMatching(/^quota-/), position: expect.any(String) },
        message: expect.stringMatching(/rupiah 1 recorded, \d+ in the slot/),
      }),
    ]);
  });

  it('names every event of a keyed command whose idempotency stream was deleted', async () => {
    let target!: { name: string; effects: number[] };
    tamper((db) => {
      const record = db
        .prepare(
          `SELECT s.id, s.name, e.data FROM streams s JOIN events e ON e.stream_id = s.id
           WHERE s.name LIKE 'idempotency-%' AND json_extract(e.data, '$.effects') IS NOT NULL
             AND e.position > ? ORDER BY e.position LIMIT 1`,
        )
        .get(lastSealPosition(db)) as { id: number; name: string; data: string };
      const effects = (JSON.parse(record.data) as { effects: unknown[] }).effects;
      target = {
        name: record.name,
        effects: db
          .prepare(
            `SELECT e.position FROM events e JOIN streams s ON s.id = e.stream_id
             WHERE e.causation_id = ? AND s.id != ? ORDER BY e.position`,
          )
          .pluck()
          .all(record.name, record.id) as number[],
      };
      expect(target.effects).toHaveLength(effects.length);
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(record.id);
      db.prepare('DELETE FROM streams WHERE id = ?').run(record.id);
    });
    const { ok, findings, links } = await verify();
    expect(ok).toBe(false);
    expect(findings).toEqual([]);
    expect(links).toEqual(
      target.effects.map((position) =>
        expect.objectContaining({
          kind: 'missing-answer',
          position: String(position),
          counterpart: { streamName: target.name, position: null },
        }),
      ),
    );
  });

  it('names the seals stream deleted, against the anchor file kept elsewhere', async () => {
    tamper((db) => {
      const id = db.prepare(`SELECT id FROM streams WHERE name = 'audit-seals'`).pluck().get();
      db.prepare('DELETE FROM events WHERE stream_id = ?').run(id);
      db.prepare('DELETE FROM streams WHERE id = ?').run(id);
    });
    // Without the anchors, the log looks as if it had never been sealed.
    expect(await verify()).toMatchObject({ ok: true, findings: [], seals: 0, links: [] });

    const { ok, report } = await verify({ anchors: await readSealAnchors(anchorFile) });
    expect(ok).toBe(false);
    expect(report.anchors?.findings.map((finding) => [finding.kind, finding.line])).toEqual([
      ['seal-missing', 1],
      ['seal-missing', 2],
      // The first seal's own event was part of the log the second one sealed.
      ['log-mismatch', 2],
    ]);
  });

  function rehash(
    db: Database.Database,
    position: number,
    change: (data: Record<string, unknown>) => Record<string, unknown>,
  ): void {
    const row = db
      .prepare(
        `SELECT e.*, s.name AS stream_name FROM events e JOIN streams s ON s.id = e.stream_id
         WHERE e.position = ?`,
      )
      .get(position) as Record<string, string | number | Buffer | null>;
    const data = JSON.stringify(change(JSON.parse(row.data as string)));
    const hash = eventHash({
      streamName: row.stream_name as string,
      revision: BigInt(row.revision as number),
      type: row.type as string,
      dataJson: data,
      eventId: row.event_id as string,
      actor: row.actor as string,
      correlationId: row.correlation_id as string,
      causationId: row.causation_id as string,
      commandId: row.command_id as string,
      recordedAt: row.recorded_at as string,
      schemaVersion: row.schema_version as number,
      previousHash:
        row.previous_hash === null ? null : (row.previous_hash as Buffer).toString('hex'),
    });
    db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(
      data,
      Buffer.from(hash, 'hex'),
      position,
    );
  }
});
