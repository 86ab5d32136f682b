import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLog } from '../audit/event-log';
import { RetentionDue, retentionCutOff, type DueRecipient } from '../audit/retention/retention-due';
import { jsonArrayLines, tableLines, terminalJson } from '../audit/text-output';
import { parseAppConfig, type AppConfig, type TokenGrant } from '../config/app.config';
import { systemClock } from '../platform/clock';
import { createEventStore } from '../platform/event-store/create-event-store';
import { witaTimestamp } from '../read/wita-time';
import {
  choice,
  commandOf,
  HELP_OPTION,
  parseCommandLine,
  printUsage,
  runCommandLine,
  TABLE_FORMATS,
  UsageError,
  escapedForTerminal,
  writeStdout,
} from './command-line';
import { requireExistingLedger } from './existing-data-dir';

/** What every erasure made at the end of the retention period records as its legal reason. */
const RETENTION_REASON = 'retention period ended';

const RETENTION_ENV = 'RETENTION_DAYS_AFTER_LAST_EVENT';

/** The service's API_PREFIX (configure-app.ts, not imported: it brings the whole HTTP layer). */
const API_PATH = '/api/v1';

const COMMAND_NAMES = ['due', 'erase'] as const;
type Command = (typeof COMMAND_NAMES)[number];

const HELP: Record<'personal-data' | Command, string> = {
  'personal-data': `Usage: bansos-personal-data <command> [options]
       bansos-personal-data <command> --help

Personal data at the end of its retention period. Commands:
  due     list the recipients whose retention period has ended and who are not erased yet
  erase   erase their personal data: a dry run that only lists them, unless --apply

The retention period is ${RETENTION_ENV} days after the last event of the programme for a
recipient (or --retention-days N); unset, personal data is erased only on request
(POST /api/v1/recipients/{id}/erasure). Run a command with -h or --help for its options.
Exit status 2: bad usage (the message and the usage on stderr).`,
  due: `Usage: bansos-personal-data due [--retention-days N] [--format table|json]

Lists, without names, each recipient (id, kind, regency/city, when the last event for her was
recorded, whether her data is encrypted) whose last event is older than the retention period and
whose personal data is not erased yet; the longest idle first. Reads the event log as configured
for the service (DATA_DIR, EVENTSTORE_URL). A recipient registered before personal data was
encrypted cannot be erased until the log is migrated (bansos-personal-data-migrate).

  --retention-days  days after the last event; default: ${RETENTION_ENV}
  --format          table (default), or json: one array of {recipientId, kind, regencyCode,
                    lastEventAt, encrypted}
  -h, --help        this text`,
  erase: `Usage: bansos-personal-data erase --reference REF [--retention-days N] [--apply]
                                  [--url URL] [--token TOKEN] [--format table|json]

Erases the personal data of every recipient that "due" lists, through the running service's
erasure route (the same command as POST /api/v1/recipients/{id}/erasure), each with the reason
"${RETENTION_REASON}" and the reference given. Without --apply, only prints what it would do.
Exit status 0: all erased (or a dry run); 1: some erasure refused (each is listed); 2: bad usage.

  --reference       the reference number of the decision to erase (required)
  --apply           erase; without it, a dry run
  --retention-days  days after the last event; default: ${RETENTION_ENV}
  --url             the service (default http://localhost:$PORT, PORT defaulting to 3000)
  --token           a bearer token with the admin role (default: $API_TOKEN, else the admin
                    development token in $DATA_DIR/dev-tokens.json)
  --format          table (default), or json: one document {dryRun, retentionDays, reference,
                    recipients} for a dry run, {dryRun, retentionDays, reference, erased,
                    refused: [{recipientId, status, code, message}]} with --apply
  -h, --help        this text`,
};

const DUE_OPTIONS = {
  ...HELP_OPTION,
  'retention-days': { type: 'string' },
  format: { type: 'string' },
} as const;

const ERASE_OPTIONS = {
  ...DUE_OPTIONS,
  reference: { type: 'string' },
  apply: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

/** The retention period in days: the flag, else the environment; none is a usage error. */
function retentionDays(flag: string | undefined, usage: string): number {
  const text = flag ?? process.env[RETENTION_ENV]?.trim();
  if (!text) {
    throw new UsageError(
      `No retention period: pass --retention-days N or set ${RETENTION_ENV} ` +
        '(without one, personal data is erased only on request)',
      usage,
    );
  }
  const days = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(days) || days < 1) {
    throw new UsageError(
      `The retention period must be a whole number of days, 1 or more (got "${text}")`,
      usage,
    );
  }
  return days;
}

/** The configuration of the service; its ledger must exist (DATA_DIR mistyped, else). */
function ledgerConfig(): AppConfig {
  const config = parseAppConfig(process.env);
  requireExistingLedger(config);
  return config;
}

/** Everyone due, read from the ledger's store: ids, kinds, regencies and dates only. */
async function dueRecipients(config: AppConfig, days: number): Promise<DueRecipient[]> {
  const ledger = createEventStore(config.eventStore, systemClock);
  try {
    const due = new RetentionDue();
    for await (const page of readLog(ledger)) due.add(page);
    return due.dueBefore(retentionCutOff(systemClock.now(), days));
  } finally {
    await ledger.close();
  }
}

function dueTable(recipients: readonly DueRecipient[]): Iterable<string> {
  return tableLines(
    ['recipient', 'kind', 'regency', 'last event (WITA)', 'encrypted'],
    recipients.map((r) => [
      r.recipientId,
      r.kind,
      r.regencyCode,
      witaTimestamp(r.lastEventAt).slice(0, 19),
      r.encrypted ? 'yes' : 'no: migrate first',
    ]),
    { rule: true },
  );
}

function print(pieces: Iterable<string>): Promise<void> {
  return writeStdout(escapedForTerminal(pieces));
}

async function due(args: string[]): Promise<number> {
  const usage = HELP.due;
  const { values } = parseCommandLine(args, DUE_OPTIONS, usage);
  if (values.help) return printUsage(usage);
  const format = choice('format', values.format, TABLE_FORMATS, 'table', usage);
  const days = retentionDays(values['retention-days'], usage);
  const recipients = await dueRecipients(ledgerConfig(), days);
  if (format === 'json') {
    await print(jsonArrayLines(recipients));
    return 0;
  }
  await print(dueTable(recipients));
  console.log(`\n${recipients.length} recipients due (last event more than ${days} days ago)`);
  return 0;
}

/** The admin development token the embedded service wrote, when no token is given. */
function devAdminToken(): string {
  const file = join(resolve(process.env.DATA_DIR ?? './data'), 'dev-tokens.json');
  let grants: TokenGrant[];
  try {
    grants = JSON.parse(readFileSync(file, 'utf8')) as TokenGrant[];
  } catch {
    throw new UsageError(`No development tokens in ${file}: pass --token (an admin's)`);
  }
  const grant = grants.find((candidate) => candidate.roles.includes('admin'));
  if (!grant) throw new UsageError(`${file} holds no token with the admin role; pass --token`);
  return grant.token;
}

interface Refusal {
  status: number;
  code?: string;
  message?: string;
}

/** Asks the service to erase one recipient; the refusal, if any. */
async function eraseOne(
  url: string,
  token: string,
  recipientId: string,
  reference: string,
): Promise<Refusal | null> {
  const response = await fetch(
    `${url}${API_PATH}/recipients/${encodeURIComponent(recipientId)}/erasure`,
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: RETENTION_REASON, reference }),
    },
  );
  if (response.ok) return null;
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  return { status: response.status, code: body.code, message: body.message };
}

async function erase(args: string[]): Promise<number> {
  const usage = HELP.erase;
  const { values } = parseCommandLine(args, ERASE_OPTIONS, usage);
  if (values.help) return printUsage(usage);
  const reference = values.reference?.trim();
  if (!reference) throw new UsageError('--reference is required', usage);
  const format = choice('format', values.format, TABLE_FORMATS, 'table', usage);
  const days = retentionDays(values['retention-days'], usage);
  const url = (values.url ?? `http://localhost:${process.env.PORT?.trim() || '3000'}`).replace(
    /\/+$/,
    '',
  );
  const summary = { retentionDays: days, reference };
  const config = ledgerConfig();
  const token = values.apply
    ? (values.token ?? (process.env.API_TOKEN?.trim() || devAdminToken()))
    : '';
  const recipients = await dueRecipients(config, days);
  if (!values.apply) {
    if (format === 'json') {
      await print([`${terminalJson({ dryRun: true, ...summary, recipients }, 2)}\n`]);
      return 0;
    }
    await print(dueTable(recipients));
    console.log(
      `\nDry run: would erase the personal data of ${recipients.length} recipients ` +
        `(last event more than ${days} days ago), reason "${RETENTION_REASON}", ` +
        `reference "${reference}". Run again with --apply to erase them.`,
    );
    return 0;
  }
  const erased: string[] = [];
  const refused: (Refusal & { recipientId: string })[] = [];
  for (const { recipientId } of recipients) {
    const refusal = await eraseOne(url, token, recipientId, reference);
    if (refusal) refused.push({ recipientId, ...refusal });
    else erased.push(recipientId);
    if (format === 'json') continue;
    const why = refusal && [refusal.code, refusal.message].filter(Boolean).join(': ');
    await print([
      refusal
        ? `${recipientId}: refused (${refusal.status}${why ? ` ${why}` : ''})\n`
        : `${recipientId}: erased\n`,
    ]);
  }
  if (format === 'json') {
    await print([`${terminalJson({ dryRun: false, ...summary, erased, refused }, 2)}\n`]);
  } else {
    console.log(
      `\nErased ${erased.length} of ${recipients.length} recipients due` +
        (refused.length > 0 ? `; ${refused.length} refused (listed above)` : ''),
    );
  }
  return refused.length > 0 ? 1 : 0;
}

const COMMANDS: Record<Command, (args: string[]) => Promise<number>> = { due, erase };

async function main(args: string[]): Promise<number> {
  const chosen = commandOf(args, COMMAND_NAMES, HELP['personal-data']);
  if (chosen === null) return printUsage(HELP['personal-data']);
  return COMMANDS[chosen.command](chosen.rest);
}

runCommandLine(main);
