import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { PROJECTIONS } from '../../projections';
import { endOfDay } from '../audit/as-of';
import {
  historyTable,
  historyText,
  HISTORY_FORMATS,
  type HistoryFormat,
} from '../audit/history/history-format';
import { CSV_DELIMITERS, type CsvDelimiter } from '../read/export/csv-writer';
import type { ExportTable } from '../read/export/export-table';
import { writeXlsx } from '../read/export/xlsx-writer';
import { historyAsOf, projectionAsOf } from '../audit/replay-as-of';
import { jsonArrayLines, tableLines, terminalJson, terminalText } from '../audit/text-output';
import { LogSealer } from '../audit/sealing/log-sealer';
import { AnchorFileError, readSealAnchors } from '../audit/sealing/seal-anchor';
import { formatVerifyReport } from '../audit/verify/verify-report-format';
import { verifyLog } from '../audit/verify/verify-log';
import { VERIFY_READ_STORE } from '../audit/verify/verify-part';
import { systemClock } from '../platform/clock';
import { parseAppConfig } from '../config/app.config';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { findRegency } from '../domain/programme/regencies';
import { createEventStore } from '../platform/event-store/create-event-store';
import type { EventStore } from '../platform/event-store/event-store.port';
import { openDataKeyStore } from '../platform/personal-data/open-data-key-store';
import type { DataKeyStore } from '../platform/personal-data/personal-data';
import { PersonalDataEventStore } from '../platform/personal-data/personal-data-event-store';
import { createReadStore } from '../platform/read-store/create-read-store';
import {
  choice,
  commandOf,
  HELP_OPTION,
  parseCommandLine,
  printUsage,
  runCommandLine,
  UsageError,
  escapedForTerminal,
  writeStdout,
} from './command-line';
import { requireExistingLedger } from './existing-data-dir';
import { namedProjection, PROJECTION_NAMES } from './projection-argument';
import { ProgressBar } from './progress-bar';

const ENVIRONMENT =
  'Configuration comes from the environment, as for the service (DATA_DIR, EVENTSTORE_URL, MONGODB_URL).';

const COMMAND_NAMES = ['history', 'projection', 'verify', 'seal'] as const;
type Command = (typeof COMMAND_NAMES)[number];

const HELP: Record<'audit' | Command, string> = {
  audit: `Usage: bansos-audit <command> [options]
       bansos-audit <command> --help

Answers from the event log itself, for auditors. Commands:
  history      every disbursement as known on a day, with its reversal
  projection   any read model as it stood on a day
  verify       check every hash chain and seal; recompute every read model and compare
  seal         seal the log now

Run a command with -h or --help for its options. Exit status 2: bad usage (the message and the
usage on stderr). ${ENVIRONMENT}`,
  history: `Usage: bansos-audit history [--as-of YYYY-MM-DD] [--disbursed-from YYYY-MM-DD]
                            [--disbursed-until YYYY-MM-DD] [--kind RSE|KUBE] [--regency 64.72]
                            [--format table|csv|json|xlsx] [--delimiter ,|;] [--out FILE]

Days are calendar days in Kalimantan Timur (WITA, UTC+8). Two clocks: recorded time is when the
ledger wrote an event; the business date is the day of the handover.

  --as-of            recorded time: what the system knew at the end of that day; default: now
  --disbursed-from   business date: only aid handed over on or after this day
  --disbursed-until  business date: only aid handed over on or before this day
  --kind, --regency  only this kind of aid, only this regency/city (Kemendagri code)
  --format           table (default), csv (UTF-8 with BOM, ISO dates, timestamps in WITA
                     +08:00, whole rupiah), json (one array, a disbursement per item), or xlsx
                     (needs --out)
  --delimiter        csv only: , (default) or ; (for spreadsheets set to Indonesian)
  --out              write to this file instead of standard output
  -h, --help         this text`,
  projection: `Usage: bansos-audit projection <name> [--as-of YYYY-MM-DD] [--business-as-of YYYY-MM-DD]
                                      [--format json|table] [--out FILE]

Runs the read model's own projection in memory over the events recorded up to the end of that day
(WITA, UTC+8).

  --as-of           recorded time: events the ledger wrote up to the end of that day; default: now
  --business-as-of  business date: leave out handovers, reversals and visits dated after that day,
                    whenever they were recorded (events without a date, such as registrations and
                    targets, count as recorded)
  --format          json (default: one array of {id, document}) or table (a column per field)
  --out             write to this file instead of standard output
  -h, --help        this text

Projections: ${PROJECTION_NAMES}`,
  verify: `Usage: bansos-audit verify [--anchors FILE] [--format text|json] [--out FILE]

Checks every event against its hash and every stream's chain, every seal against the log, what
the streams say of each other (quota slots and disbursements, reversals and releases, NIK claims,
idempotency records), and recomputes every read model from the events to compare it field by
field with the stored one. Exit status 0: all agree; 1: something differs (each difference is
listed); 2: bad usage or an unreadable anchor file.

  --anchors     an anchor file (SEAL_ANCHOR_FILE, as shipped elsewhere): every seal in it must
                still be in the seals stream, and the log must still hash to each one
  --format      text (default) or json (the whole report as one document)
  --out         write to this file instead of standard output
  -h, --help    this text`,
  seal: `Usage: bansos-audit seal

Appends a seal over the whole log as it is now, appends its digest to SEAL_ANCHOR_FILE (if set),
and prints it. Write its log hash down: the log before it cannot change afterwards without verify
naming the seal.

  -h, --help    this text`,
};

const HISTORY_OPTIONS = {
  ...HELP_OPTION,
  'as-of': { type: 'string' },
  'disbursed-from': { type: 'string' },
  'disbursed-until': { type: 'string' },
  kind: { type: 'string' },
  regency: { type: 'string' },
  format: { type: 'string' },
  delimiter: { type: 'string' },
  out: { type: 'string' },
} as const;

const PROJECTION_OPTIONS = {
  ...HELP_OPTION,
  'as-of': { type: 'string' },
  'business-as-of': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

const VERIFY_OPTIONS = {
  ...HELP_OPTION,
  anchors: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

/**
 * The log seen two ways: `events` as the application reads it (personal fields decrypted,
 * '[dihapus]' once erased) for history and replays; `ledger` as stored (ciphertext, what was
 * hashed) for chains and seals.
 */
interface Stores {
  events: EventStore;
  ledger: EventStore;
  dataKeys: DataKeyStore;
}

/** A command whose command line was understood: it runs on the stores. */
type Run = (stores: Stores) => Promise<number>;

function progress(eventStore: EventStore, label: string, head: bigint): ProgressBar {
  return new ProgressBar(
    label,
    Number(head),
    eventStore.adapter === 'sqlite' ? 'events' : 'positions',
  );
}

/** Writes to the file named, or to standard output, a piece at a time. */
async function output(text: string | Iterable<string>, out: string | undefined): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : text;
  if (!out) {
    // On a terminal nothing stored may pass unescaped, CSV included (tables and JSON are escaped
    // already, for pipes too). A pipe is written asynchronously: writeStdout waits for the reader.
    await writeStdout(process.stdout.isTTY ? escapedForTerminal(pieces) : pieces);
    return;
  }
  // An audit output holds names and disbursements: readable by its owner only, like DATA_DIR.
  const fd = openSync(out, 'w', 0o600);
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** An xlsx file, created readable by its owner only as output() does. */
async function xlsxOutput<Row>(table: ExportTable<Row>, out: string): Promise<void> {
  const stream = createWriteStream(out, { mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  await writeXlsx(table, stream);
  await closed;
}

/** A day option's value: a date that exists, written YYYY-MM-DD. */
function dateOption(name: string, text: string | undefined, usage: string): string | undefined {
  if (text === undefined) return undefined;
  try {
    endOfDay(text);
  } catch {
    throw new UsageError(
      `--${name} must be a date that exists, written YYYY-MM-DD (got "${text}")`,
      usage,
    );
  }
  return text;
}

function history(args: string[]): Run | 'help' {
  const usage = HELP.history;
  const { values } = parseCommandLine(args, HISTORY_OPTIONS, usage);
  if (values.help) return 'help';
  const asOf = dateOption('as-of', values['as-of'], usage);
  const disbursedFrom = dateOption('disbursed-from', values['disbursed-from'], usage);
  const disbursedUntil = dateOption('disbursed-until', values['disbursed-until'], usage);
  if (disbursedFrom && disbursedUntil && disbursedUntil < disbursedFrom) {
    throw new UsageError(
      `--disbursed-until must not be before --disbursed-from (got ${disbursedFrom} to ${disbursedUntil})`,
      usage,
    );
  }
  const kind =
    values.kind === undefined
      ? undefined
      : choice<AidKind>('kind', values.kind, AID_KINDS, 'RSE', usage);
  if (values.regency !== undefined && !findRegency(values.regency)) {
    throw new UsageError(
      `--regency must be a regency/city code of Kalimantan Timur such as 64.72 (got "${values.regency}")`,
      usage,
    );
  }
  const format = choice<HistoryFormat>('format', values.format, HISTORY_FORMATS, 'table', usage);
  const delimiter = choice<CsvDelimiter>('delimiter', values.delimiter, CSV_DELIMITERS, ',', usage);
  if (values.delimiter !== undefined && format !== 'csv') {
    throw new UsageError(
      `--delimiter applies to --format csv only (got --format ${format})`,
      usage,
    );
  }
  const out = values.out;
  if (format === 'xlsx' && out === undefined) {
    throw new UsageError('--format xlsx writes a file: name it with --out FILE', usage);
  }
  return async ({ events: eventStore }) => {
    const bar = progress(eventStore, 'history', await eventStore.headPosition());
    const records = await historyAsOf(
      eventStore,
      {
        knownBefore: asOf && endOfDay(asOf),
        disbursedFrom,
        disbursedUntil,
        kind,
        regencyCode: values.regency,
      },
      { onPage: (position) => bar.update(Number(position)) },
    );
    bar.finish(Number(await eventStore.headPosition()));
    if (format === 'xlsx') await xlsxOutput(historyTable(records), out as string);
    else await output(historyText(records, format, delimiter), out);
    return 0;
  };
}

function projection(args: string[]): Run | 'help' {
  const usage = HELP.projection;
  const { values, positionals } = parseCommandLine(args, PROJECTION_OPTIONS, usage, 1);
  if (values.help) return 'help';
  const name = positionals[0];
  const definition = namedProjection(name, usage);
  const asOf = dateOption('as-of', values['as-of'], usage);
  const businessAsOf = dateOption('business-as-of', values['business-as-of'], usage);
  const format = choice('format', values.format, ['json', 'table'] as const, 'json', usage);
  return async ({ events: eventStore }) => {
    const bar = progress(eventStore, `projection ${name}`, await eventStore.headPosition());
    const documents = await projectionAsOf(eventStore, definition, asOf && endOfDay(asOf), {
      onPage: (position) => bar.update(Number(position)),
      happenedBy: businessAsOf,
    });
    bar.finish(Number(await eventStore.headPosition()));
    const entries = [...documents].sort(([a], [b]) => (a < b ? -1 : 1));
    await output(
      format === 'json'
        ? jsonArrayLines(entries.map(([id, document]) => ({ id, document })))
        : documentTable(entries),
      values.out,
    );
    return 0;
  };
}

/** One row per document, one column per leaf field. */
function documentTable(entries: [string, object][]): Iterable<string> {
  const rows = entries.map(
    ([id, document]) => ({ id, ...flatten(document) }) as Record<string, unknown>,
  );
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return tableLines(
    columns,
    rows.map((row) => columns.map((column) => String(row[column] ?? ''))),
  );
}

function flatten(
  value: object,
  prefix = '',
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child !== null && typeof child === 'object' && !Array.isArray(child))
      flatten(child, path, into);
    else into[path] = Array.isArray(child) ? JSON.stringify(child) : child;
  }
  return into;
}

function verify(args: string[]): Run | 'help' {
  const usage = HELP.verify;
  const { values } = parseCommandLine(args, VERIFY_OPTIONS, usage);
  if (values.help) return 'help';
  const format = choice('format', values.format, ['text', 'json'] as const, 'text', usage);
  return async ({ ledger, dataKeys }) => {
    // Read before verification begins, so that every anchor covers the log up to the head it sees.
    const anchors = values.anchors === undefined ? undefined : await anchorsFrom(values.anchors);
    const config = parseAppConfig(process.env);
    const readStore = await createReadStore(config.readStore, VERIFY_READ_STORE);
    try {
      const bar = progress(ledger, 'verify', await ledger.headPosition());
      const report = await verifyLog(ledger, readStore, PROJECTIONS, {
        onPage: (position) => bar.update(Number(position)),
        stores: config,
        anchors,
        dataKeys,
      });
      bar.finish(Number(report.headPosition));
      await output(
        format === 'json'
          ? `${terminalJson(report, 2)}\n`
          : terminalText(formatVerifyReport(report)),
        values.out,
      );
      return report.ok ? 0 : 1;
    } finally {
      await readStore.close();
    }
  };
}

async function anchorsFrom(file: string) {
  try {
    return await readSealAnchors(file);
  } catch (error) {
    if (error instanceof AnchorFileError) throw new UsageError(error.message);
    throw error;
  }
}

function seal(args: string[]): Run | 'help' {
  const { values } = parseCommandLine(args, HELP_OPTION, HELP.seal);
  if (values.help) return 'help';
  return async ({ ledger }) => {
    const { sealAnchorFile } = parseAppConfig(process.env);
    const record = await new LogSealer(ledger, { anchorFile: sealAnchorFile }).seal(
      process.env.AUDIT_ACTOR || 'auditor-cli',
    );
    console.log(
      `Sealed up to position ${record.sealedPosition}: ${record.eventCount} events in ${record.streamCount} streams, ` +
        `log hash ${record.logHash} (the seal is stored at position ${record.position})` +
        (sealAnchorFile ? `; anchored in ${sealAnchorFile}` : ''),
    );
    return 0;
  };
}

const COMMANDS: Record<Command, (args: string[]) => Run | 'help'> = {
  history,
  projection,
  verify,
  seal,
};

async function main(args: string[]): Promise<number> {
  const chosen = commandOf(args, COMMAND_NAMES, HELP.audit);
  if (chosen === null) return printUsage(HELP.audit);
  // The whole command line is understood before any store opens.
  const run = COMMANDS[chosen.command](chosen.rest);
  if (run === 'help') return printUsage(HELP[chosen.command]);
  const config = parseAppConfig(process.env);
  requireExistingLedger(config);
  const dataKeys = await openDataKeyStore(config);
  const ledger = createEventStore(config.eventStore, systemClock);
  const events = new PersonalDataEventStore(ledger, dataKeys);
  try {
    return await run({ events, ledger, dataKeys });
  } finally {
    // Closes the ledger's store too.
    await events.close();
    await dataKeys.close();
  }
}

runCommandLine(main);
