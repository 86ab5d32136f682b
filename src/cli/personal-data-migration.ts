import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { readLog } from '../audit/event-log';
import { projectionAsOf } from '../audit/replay-as-of';
import { LogSealer, type SealRecord } from '../audit/sealing/log-sealer';
import { SEAL_STREAM } from '../audit/sealing/seal';
import { verifyLog, type VerifyReport } from '../audit/verify/verify-log';
import { parseAppConfig, type AppConfig } from '../config/app.config';
import type { Clock } from '../platform/clock';
import { createEventStore } from '../platform/event-store/create-event-store';
import {
  NO_STREAM,
  type EventStore,
  type NewEvent,
  type StoredEvent,
  type StreamAppend,
} from '../platform/event-store/event-store.port';
import { isCiphertext } from '../platform/personal-data/field-cipher';
import { openDataKeyStore } from '../platform/personal-data/open-data-key-store';
import {
  DATA_KEY_FILE,
  DATA_KEY_PROPERTY,
  DEV_MASTER_KEY_FILE,
  ERASED_TEXT,
  type DataKeyStore,
} from '../platform/personal-data/personal-data';
import { PersonalDataCodec } from '../platform/personal-data/personal-data-codec';
import {
  PRIVATE_FILE_MODE,
  ensurePrivateFile,
  ensurePrivateFolder,
} from '../platform/private-files';
import { SqliteReadStore } from '../platform/read-store/sqlite/sqlite-read-store';
import { terminalJson, terminalText } from '../audit/text-output';
import {
  choice,
  HELP_OPTION,
  parseCommandLine,
  printUsage,
  runCommandLine,
  TABLE_FORMATS,
  UsageError,
} from './command-line';
import { requireExistingLedger } from './existing-data-dir';
import { ProgressBar } from './progress-bar';

/**
 * The one-off migration of a log written before personal data was encrypted: every event copied,
 * in its `$all` order, into a new store in a new data directory, each person given a data key of
 * her own as the log first meets her and her personal fields encrypted with it. Event ids, types,
 * metadata and revisions stay; the new store chains the hashes afresh over the ciphertext.
 */

const HELP = `Usage: bansos-personal-data-migrate --to NEW_DATA_DIR [--format table|json]

Copies the event log of DATA_DIR into a new, empty data directory with every person's data
encrypted under a key of her own (RSE women, KUBe groups and each member), so that her data can be
erased later while the ledger still verifies. The old directory is only read, so no dry run is
needed: a failed run leaves it as it was. The old seals are not copied (they digest the old log): one fresh seal of the new log is
written at the end. Both logs are then verified and their figures printed side by side.

Exit status 0: migrated, both logs verify and every figure agrees; 1: they do not (nothing in the
old directory changed: delete the new one and look into it); 2: bad usage.

Then stop the service, point DATA_DIR at the new directory, start it (the read models rebuild
from the new log), and destroy the old directory as printed.

  --to          the new data directory: missing or empty
  --format      table (default: the figures of both logs side by side), or json: the whole
                report as one document {ok, toDir, copy, seal, verify: {old, new}, figures,
                differing}
  -h, --help    this text

Configuration comes from the environment, as for the service (DATA_DIR, PERSONAL_DATA_KEY,
NIK_HMAC_SECRET). The embedded SQLite ledger only: see docs/privacy-migration.md for KurrentDB.`;

const OPTIONS = { ...HELP_OPTION, to: { type: 'string' }, format: { type: 'string' } } as const;

/** Who the fresh seal names, as every event names who wrote it. */
const MIGRATION_ACTOR = 'personal-data-migration';

/** Files of DATA_DIR the new directory needs as they are: the NIK key, dev tokens, master key. */
const CARRIED_FILES = ['nik-hmac.key', 'dev-tokens.json', DEV_MASTER_KEY_FILE];

/** The time the store stamps on each copied commit: the time the old store stamped on it. */
export class ReplayClock implements Clock {
  recordedAt = new Date(0);

  now(): Date {
    return new Date(this.recordedAt.getTime());
  }
}

/** One person's keys as the migration meets her: her own (RSE woman, KUBe group), her members'. */
interface Person {
  keyId?: string;
  /** Current and former members, by the keyed hash of their NIK. */
  members: Map<string, string>;
}

type Data = Record<string, unknown>;

/**
 * Names the data key of each person in the events that carry her data (the field convention
 * of src/platform/personal-data/personal-data.ts): her registration, the corrections of her details, her group's replaced and
 * new members, monitoring notes. A key already named (a person registered after the upgrade) is
 * kept; a fresh one is taken where the log names none.
 */
class KeyAssigner {
  private readonly people = new Map<string, Person>();
  newKeys = 0;

  constructor(private readonly keyStore: DataKeyStore) {}

  async withKeys(event: StoredEvent): Promise<unknown> {
    if (!event.streamName.startsWith('recipient-')) return event.data;
    const data = event.data as Data;
    const person = this.personOf(String(data.recipientId));
    switch (event.type) {
      case 'RecipientRegistered':
        return this.registered(data, person);
      case 'RecipientDetailsCorrected':
        return {
          ...data,
          changes: (data.changes as Data[]).map((change) => this.corrected(change, person)),
        };
      case 'NikCorrected':
        return this.nikCorrected(data, person);
      case 'MemberReplaced':
        return this.memberReplaced(data, person);
      case 'MonitoringRecorded':
        return typeof data.notes === 'string' ? this.named(data, person.keyId) : data;
      default:
        return data;
    }
  }

  private personOf(recipientId: string): Person {
    let person = this.people.get(recipientId);
    if (!person) this.people.set(recipientId, (person = { members: new Map() }));
    return person;
  }

  private async keyFor(data: Data): Promise<string> {
    const named = data[DATA_KEY_PROPERTY];
    if (typeof named === 'string') return named;
    this.newKeys++;
    return this.keyStore.newKeyId();
  }

  private async registered(data: Data, person: Person): Promise<Data> {
    person.keyId = await this.keyFor(data);
    if (data.kind !== 'KUBE') return { ...data, [DATA_KEY_PROPERTY]: person.keyId };
    const members: Data[] = [];
    for (const member of data.members as Data[]) {
      const keyId = await this.keyFor(member);
      person.members.set(String(member.nikHash), keyId);
      members.push({ ...member, [DATA_KEY_PROPERTY]: keyId });
    }
    return { ...data, [DATA_KEY_PROPERTY]: person.keyId, members };
  }

  private corrected(change: Data, person: Person): Data {
    switch (change.field) {
      case 'name':
      case 'groupName':
      case 'phone':
      case 'address':
        return this.named(change, person.keyId);
      case 'memberName':
        return this.named(change, person.members.get(String(change.memberNikHash)));
      default:
        return change;
    }
  }

  /** A member's NIK corrected: her key follows her to the new hash. */
  private nikCorrected(data: Data, person: Person): Data {
    const before = String((data.before as Data).nikHash);
    const keyId = person.members.get(before);
    if (keyId !== undefined) person.members.set(String((data.after as Data).nikHash), keyId);
    return data;
  }

  /** The member who left keeps her key (her name is in the event too); the newcomer gets one. */
  private async memberReplaced(data: Data, person: Person): Promise<Data> {
    const left = data.left as Data;
    const joined = data.joined as Data;
    const joinedKey = await this.keyFor(joined);
    person.members.set(String(joined.nikHash), joinedKey);
    return {
      ...data,
      left: this.named(left, person.members.get(String(left.nikHash))),
      joined: { ...joined, [DATA_KEY_PROPERTY]: joinedKey },
    };
  }

  private named(object: Data, keyId: string | undefined): Data {
    if (typeof object[DATA_KEY_PROPERTY] === 'string') return object;
    if (keyId === undefined) {
      // A recipient stream whose registration is not in the log: the log itself is broken.
      throw new Error('An event names a person the log never registered; run audit verify on it');
    }
    return { ...object, [DATA_KEY_PROPERTY]: keyId };
  }
}

/**
 * A field the migration encrypts: not one encrypted already, nor ERASED_TEXT (what an erased
 * member who left is named in her MemberReplaced: her key is gone).
 */
function needsEncryption(text: string): boolean {
  return !isCiphertext(text) && text !== ERASED_TEXT;
}

/** Consecutive events of one commit (one command, one time): appended again as one commit. */
function sameCommit(a: StoredEvent, b: StoredEvent): boolean {
  return (
    a.metadata.commandId === b.metadata.commandId &&
    a.metadata.recordedAt === b.metadata.recordedAt &&
    a.metadata.actor === b.metadata.actor &&
    a.metadata.correlationId === b.metadata.correlationId &&
    a.metadata.causationId === b.metadata.causationId
  );
}

export interface CopyReport {
  events: number;
  /** The old seals, left behind. */
  sealsLeft: number;
  /** Data keys taken for people the log named none for. */
  newKeys: number;
}

/**
 * Copies every event of `source` but its seals into the empty `target`, in `$all` order, with
 * each person's key named and her fields encrypted. `clock` must be the target's clock: each
 * commit is stamped with the time the old store stamped on it. Any EventStore adapter will do:
 * the target's expected revisions are the events' own, so a target that is not empty refuses.
 */
export async function copyLedger(
  source: EventStore,
  target: EventStore,
  clock: ReplayClock,
  keyStore: DataKeyStore,
  onPage?: (position: bigint) => void,
): Promise<CopyReport> {
  const assigner = new KeyAssigner(keyStore);
  const codec = new PersonalDataCodec(keyStore);
  const report: CopyReport = { events: 0, sealsLeft: 0, newKeys: 0 };
  let commit: { first: StoredEvent; appends: StreamAppend[] } | undefined;
  const flush = async () => {
    if (!commit) return;
    const { actor, correlationId, causationId, commandId, recordedAt } = commit.first.metadata;
    clock.recordedAt = new Date(recordedAt);
    await target.appendToStreams(commit.appends, {
      context: { actor, correlationId, causationId, commandId },
    });
    commit = undefined;
  };
  for await (const page of readLog(source, { onPage })) {
    const events = page.filter((event) => event.streamName !== SEAL_STREAM);
    report.sealsLeft += page.length - events.length;
    const clear: NewEvent[] = [];
    for (const event of events) {
      clear.push({
        id: event.metadata.eventId,
        type: event.type,
        data: (await assigner.withKeys(event)) as object,
        schemaVersion: event.metadata.schemaVersion,
      });
    }
    // One key lookup a page.
    const copies = await codec.encryptEvents(clear, needsEncryption);
    for (const [index, event] of events.entries()) {
      const copy = copies[index];
      // Within one commit: the same stream goes on, or a stream not in it yet joins it.
      const appends = commit && sameCommit(commit.first, event) ? commit.appends : undefined;
      const last = appends?.at(-1);
      if (last?.streamName === event.streamName) {
        (last.events as NewEvent[]).push(copy);
      } else if (appends && !appends.some(({ streamName }) => streamName === event.streamName)) {
        appends.push(appendFor(event, copy));
      } else {
        await flush();
        commit = { first: event, appends: [appendFor(event, copy)] };
      }
      report.events++;
    }
  }
  await flush();
  report.newKeys = assigner.newKeys;
  return report;
}

function appendFor(event: StoredEvent, copy: NewEvent): StreamAppend {
  return {
    streamName: event.streamName,
    // The revision the old stream was at: the copy must land exactly where the original was.
    expectedRevision: event.revision === 0n ? NO_STREAM : event.revision - 1n,
    events: [copy],
  };
}

/** A figure of the ledger, named, e.g. `events AidDisbursed` or `rupiah 2025 RSE`. */
export type Figures = Map<string, number>;

/**
 * What the programme's figures are in a log, from the fields that are never personal: events per
 * type (seals apart), registrations, disbursements and reversals, rupiah per year and kind, and
 * every quota-progress document's counts as its projection computes them.
 */
export async function ledgerFigures(ledger: EventStore): Promise<Figures> {
  const figures: Figures = new Map();
  const add = (name: string, amount = 1) => figures.set(name, (figures.get(name) ?? 0) + amount);
  for await (const page of readLog(ledger)) {
    for (const event of page) {
      if (event.streamName === SEAL_STREAM) continue;
      add(`events ${event.type}`);
      const data = event.data as Data;
      if (event.type === 'RecipientRegistered') add(`recipients ${String(data.kind)}`);
      if (event.type === 'AidDisbursed') {
        add('disbursements');
        add(`rupiah ${String(data.year)} ${String(data.kind)}`, Number(data.valueRupiah));
      }
      if (event.type === 'DisbursementReversed') {
        add('reversals');
        add(`rupiah ${String(data.year)} ${String(data.kind)}`, -Number(data.valueRupiah));
      }
    }
  }
  const progress = await projectionAsOf(ledger, quotaProgressProjection, undefined);
  for (const [id, document] of [...progress].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const field of ['target', 'allocated', 'disbursed', 'reversed', 'valueDisbursedRupiah']) {
      const value = document[field as keyof typeof document];
      if (typeof value === 'number') figures.set(`quota ${id} ${field}`, value);
    }
  }
  return figures;
}

export interface FigureRow {
  figure: string;
  old: number | null;
  new: number | null;
}

/** Every figure of either log, with the rows that differ. */
export function compareFigures(
  old: Figures,
  fresh: Figures,
): { rows: FigureRow[]; differing: FigureRow[] } {
  const names = [...new Set([...old.keys(), ...fresh.keys()])].sort();
  const rows = names.map((figure) => ({
    figure,
    old: old.get(figure) ?? null,
    new: fresh.get(figure) ?? null,
  }));
  return { rows, differing: rows.filter((row) => row.old !== row.new) };
}

export interface MigrationOptions {
  /** The service's configuration as it runs now: its DATA_DIR is read, never written. */
  from: AppConfig;
  /** The new data directory: missing or empty. */
  toDir: string;
  /** Progress on a terminal; silent elsewhere. */
  progress?: boolean;
}

export interface MigrationReport {
  ok: boolean;
  toDir: string;
  copy: CopyReport;
  seal: SealRecord;
  verify: { old: VerifyReport; new: VerifyReport };
  figures: FigureRow[];
  differing: FigureRow[];
}

export class MigrationRefused extends Error {
  override readonly name = 'MigrationRefused';
}

/** The configuration the service will run with on the new directory. */
function configFor(from: AppConfig, toDir: string): AppConfig {
  return {
    ...from,
    dataDir: toDir,
    eventStore: { kind: 'sqlite', file: join(toDir, 'events.sqlite') },
    readStore: { kind: 'sqlite', file: join(toDir, 'read-models.sqlite') },
    sealAnchorFile: join(toDir, 'seal-anchors.jsonl'),
  };
}

/**
 * The migration of the embedded default: DATA_DIR's events.sqlite into `toDir`. The keys the old
 * directory holds already (people registered since the upgrade) come along in a compacted copy
 * of its key store, so their fields, encrypted already, stay as they are.
 */
export async function runMigration({
  from,
  toDir,
  progress = false,
}: MigrationOptions): Promise<MigrationReport> {
  const target = resolve(toDir);
  if (from.eventStore.kind !== 'sqlite' || from.readStore.kind !== 'sqlite') {
    throw new MigrationRefused(
      'This command migrates the embedded SQLite ledger only (EVENTSTORE_URL and MONGODB_URL unset); see docs/privacy-migration.md',
    );
  }
  if (target === resolve(from.dataDir))
    throw new MigrationRefused('--to must not be DATA_DIR itself');
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new MigrationRefused(
      `${target} is not empty: the migration writes only into a new, empty directory`,
    );
  }
  if (!existsSync(from.eventStore.file))
    throw new MigrationRefused(`No event log at ${from.eventStore.file}`);
  ensurePrivateFolder(target);
  carryFiles(from.dataDir, target);
  const to = configFor(from, target);

  const keyStore = await openDataKeyStore(to);
  const clock = new ReplayClock();
  const source = createEventStore(from.eventStore, clock);
  const ledger = createEventStore(to.eventStore, clock);
  try {
    const bar = progress
      ? new ProgressBar('migrate', Number(await source.headPosition()))
      : undefined;
    const copy = await copyLedger(source, ledger, clock, keyStore, (position) =>
      bar?.update(Number(position)),
    );
    bar?.finish(Number(await source.headPosition()));
    // The seal is stamped now, not at an old commit's time.
    clock.recordedAt = new Date();
    const seal = await new LogSealer(ledger, { anchorFile: to.sealAnchorFile }).seal(
      MIGRATION_ACTOR,
    );
    const verify = { old: await verifyLedger(source), new: await verifyLedger(ledger) };
    const { rows, differing } = compareFigures(
      await ledgerFigures(source),
      await ledgerFigures(ledger),
    );
    return {
      ok: verify.old.ok && verify.new.ok && differing.length === 0,
      toDir: target,
      copy,
      seal,
      verify,
      figures: rows,
      differing,
    };
  } finally {
    await source.close();
    await ledger.close();
    await keyStore.close();
  }
}

/** The NIK key, dev tokens and master key as they are; the key store compacted (no free pages). */
function carryFiles(fromDir: string, toDir: string): void {
  for (const name of CARRIED_FILES) {
    const file = join(fromDir, name);
    if (!existsSync(file)) continue;
    // Created owner-only, whatever the mode of the old file.
    writeFileSync(join(toDir, name), readFileSync(file), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  }
  const keys = join(fromDir, DATA_KEY_FILE);
  if (!existsSync(keys)) return;
  const copy = join(toDir, DATA_KEY_FILE);
  // VACUUM INTO writes only live rows: no destroyed key survives in the copy's free pages.
  ensurePrivateFile(copy);
  const db = new Database(keys, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(copy);
  } finally {
    db.close();
  }
}

/** Chains, seals and the links between streams; no read model (the new log has none yet). */
async function verifyLedger(ledger: EventStore): Promise<VerifyReport> {
  const noReadModels = new SqliteReadStore({ file: ':memory:' });
  try {
    return await verifyLog(ledger, noReadModels, []);
  } finally {
    await noReadModels.close();
  }
}

function formatReport(report: MigrationReport, fromDir: string): string {
  const n = (value: number | null) => (value === null ? '-' : value.toLocaleString('en-US'));
  const width = Math.max(...report.figures.map((row) => row.figure.length), 6);
  const verdict = (verify: VerifyReport) =>
    verify.ok
      ? `ok (${n(verify.chains.events)} events in ${n(verify.chains.streams)} streams)`
      : `FAILED: ${verify.chains.findings.length + verify.links.findings.length} findings (bansos-audit verify)`;
  return [
    `Copied ${n(report.copy.events)} events into ${report.toDir}; ${n(report.copy.newKeys)} data keys made; ` +
      `${n(report.copy.sealsLeft)} old seals left behind.`,
    `Sealed the new log up to position ${report.seal.sealedPosition}: log hash ${report.seal.logHash}.`,
    `Verify, old log: ${verdict(report.verify.old)}`,
    ...(report.verify.old.chains.latestSeal
      ? [
          `  its latest seal: log hash ${report.verify.old.chains.latestSeal.logHash} ` +
            `(up to position ${report.verify.old.chains.latestSeal.sealedPosition}): record it with the new one`,
        ]
      : []),
    `Verify, new log: ${verdict(report.verify.new)}`,
    '',
    `${'figure'.padEnd(width)}  ${'old'.padStart(15)}  ${'new'.padStart(15)}`,
    ...report.figures.map(
      (row) =>
        `${row.figure.padEnd(width)}  ${n(row.old).padStart(15)}  ${n(row.new).padStart(15)}` +
        (row.old === row.new ? '' : '  DIFFERS'),
    ),
    '',
    report.ok
      ? [
          'The logs agree. Stop the service, set DATA_DIR to the new directory and start it.',
          `Then destroy the old clear-text log, which still holds every name:`,
          `  shred -u ${['events.sqlite', 'read-models.sqlite', DATA_KEY_FILE].map((file) => `${join(fromDir, file)}*`).join(' ')}`,
          '  and every backup or copy of it (snapshots, off-site copies): see docs/privacy-migration.md.',
        ].join('\n')
      : `The logs differ (${report.differing.length} figures): keep the old directory, delete the new one and look into it.`,
  ].join('\n');
}

async function main(args: string[]): Promise<number> {
  const { values } = parseCommandLine(args, OPTIONS, HELP);
  if (values.help) return printUsage(HELP);
  if (!values.to) throw new UsageError('--to NEW_DATA_DIR is required', HELP);
  const format = choice('format', values.format, TABLE_FORMATS, 'table', HELP);
  const from = parseAppConfig(process.env);
  requireExistingLedger(from);
  let report: MigrationReport;
  try {
    report = await runMigration({ from, toDir: values.to, progress: true });
  } catch (error) {
    if (!(error instanceof MigrationRefused)) throw error;
    throw new UsageError(error.message);
  }
  console.log(
    format === 'json' ? terminalJson(report, 2) : terminalText(formatReport(report, from.dataDir)),
  );
  return report.ok ? 0 : 1;
}

// Run as a command; imported by the tests for runMigration and its parts.
if (require.main === module) runCommandLine(main);
