import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECTIONS } from '../../projections';
import { LogSealer } from '../../src/audit/sealing/log-sealer';
import type { ChainFinding } from '../../src/audit/verify/chain-check';
import { verifyLog } from '../../src/audit/verify/verify-log';
import { eventHash } from '../../src/event-store/event-hash';
import { SqliteEventStore } from '../../src/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/read-store/sqlite/sqlite-read-store';
import { appendProgrammeEvents } from '../helpers/programme-events';

/**
 * Tampering done the way someone with the file would do it, straight in SQLite, and verify
 * expected to name each kind: an edited, deleted or reordered event, and a removed stream.
 */
describe('tamper evidence on the embedded event store', () => {
  let dir: string;
  let sealed: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bansos-tamper-'));
    sealed = join(dir, 'sealed.sqlite');
    const store = new SqliteEventStore({ file: sealed });
    await appendProgrammeEvents(store, 1500, 8);
    await new LogSealer(store).seal();
    await appendProgrammeEvents(store, 200, 4);
    await new LogSealer(store).seal();
    await appendProgrammeEvents(store, 50, 2);
    await store.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    file = join(dir, `case-${Math.random().toString(36).slice(2)}.sqlite`);
    copyFileSync(sealed, file);
  });

  async function verify(): Promise<{ ok: boolean; findings: ChainFinding[]; seals: number }> {
    const eventStore = new SqliteEventStore({ file });
    const readStore = new SqliteReadStore({ file: ':memory:' });
    try {
      const report = await verifyLog(eventStore, readStore, PROJECTIONS);
      return { ok: report.ok, findings: report.chains.findings, seals: report.chains.seals };
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

  it('finds nothing wrong with an untouched log and checks its seal', async () => {
    const result = await verify();
    expect(result).toEqual({ ok: true, findings: [], seals: 2 });
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
      const row = db
        .prepare(
          `SELECT e.*, s.name AS stream_name FROM events e JOIN streams s ON s.id = e.stream_id
           WHERE e.position = ?`,
        )
        .get(stream.positions[1]) as Record<string, string | number | null>;
      const data = JSON.stringify({ ...JSON.parse(row.data as string), valueRupiah: 1 });
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
        previousHash: row.previous_hash as string | null,
      });
      db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(
        data,
        hash,
        row.position,
      );
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
});
