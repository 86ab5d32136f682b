/**
 * What every command-line tool does alike, as a shell user expects: -h/--help prints the usage on
 * stdout (exit status 0); a command line the tool cannot run prints what is wrong and the usage
 * on stderr (exit status 2), an unknown flag named; stdout holds the answer only.
 */
import { once } from 'node:events';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Logger } from '@nestjs/common';
import { terminalText } from '../audit/text-output';
import { StderrLogger } from './stderr-logger';

/** The exit status of a command line the tool cannot run. */
const USAGE_ERROR_STATUS = 2;

/** A command line the tool cannot run: its message and the usage of the command. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The option every command takes. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** The formats of a command that prints a table: for a reader, or one JSON document. */
export const TABLE_FORMATS = ['table', 'json'] as const;

/**
 * A command's options and positional arguments; an unknown or malformed flag, or more positional
 * arguments than `maxPositionals`, is a UsageError with the command's usage.
 */
export function parseCommandLine<const Options extends OptionsConfig>(
  args: readonly string[],
  options: Options,
  usage: string,
  maxPositionals = 0,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's message for an unknown flag goes on to explain '--': the flag is what matters.
    const message = (error as Error).message.replace(/^(Unknown option '[^']*')\. .*$/s, '$1');
    throw new UsageError(message, usage);
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined && !('help' in parsed.values && parsed.values.help)) {
    throw new UsageError(`Unexpected argument "${extra}"`, usage);
  }
  return parsed;
}

/** A flag's value, one of those allowed; `fallback` when it is not given. */
export function choice<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  usage?: string,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`, usage);
  }
  return value as T;
}

/**
 * The command a tool's command line names first, and the arguments after it; null when it asks
 * for the tool's usage (-h, --help, help). Options before the command, no command or an unknown
 * one are usage errors.
 */
export function commandOf<Command extends string>(
  args: readonly string[],
  commands: readonly Command[],
  usage: string,
): { command: Command; rest: string[] } | null {
  const [first, ...rest] = args;
  if (first === '-h' || first === '--help' || first === 'help') return null;
  if (first === undefined) throw new UsageError('No command given', usage);
  if (first.startsWith('-')) {
    throw new UsageError(`Unknown option '${first}': the command comes first`, usage);
  }
  if (!(commands as readonly string[]).includes(first)) {
    throw new UsageError(`Unknown command "${first}"`, usage);
  }
  return { command: first as Command, rest };
}

/** Prints a usage that was asked for: on stdout, exit status 0. */
export function printUsage(usage: string): number {
  process.stdout.write(`${usage}\n`);
  return 0;
}

/** Pieces of text with whatever would not show as itself on a terminal escaped. */
export function* escapedForTerminal(pieces: Iterable<string>): Generator<string> {
  for (const piece of pieces) yield terminalText(piece);
}

/**
 * Writes to standard output a piece at a time, waiting while the reader is behind: on a pipe the
 * writes are asynchronous, and a large answer would otherwise pile up in memory whole.
 */
export async function writeStdout(pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
  }
}

/**
 * Exits with `status` once stdout and stderr have written everything queued on them: on a pipe
 * Node writes asynchronously, so exiting at once would cut the answer off. The exit is explicit
 * rather than left to the event loop, which a store's client may keep alive.
 */
function exitWhenWritten(status: number): void {
  let pending = 2;
  // A write's callback runs after every earlier write on the stream, with an error if it failed.
  const written = () => {
    if (--pending === 0) process.exit(status);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

/** 128 + SIGPIPE: what a shell reports for a program whose reader went away (`| head`). */
const BROKEN_PIPE_STATUS = 141;

/**
 * Runs a tool's main with the process's arguments and exits with the status it answers, once its
 * output is written; Nest's log lines go to stderr. A usage error prints its message and the
 * usage on stderr and exits 2; any other error prints its message and exits 1.
 */
export function runCommandLine(main: (args: string[]) => Promise<number>): void {
  Logger.overrideLogger(new StderrLogger());
  // The reader of a pipe went away: nothing more can be written, so the tool stops there.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(BROKEN_PIPE_STATUS);
    throw error;
  });
  main(process.argv.slice(2)).then(exitWhenWritten, (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.usage ? `${error.message}\n\n${error.usage}` : error.message);
      exitWhenWritten(USAGE_ERROR_STATUS);
      return;
    }
    console.error(error instanceof Error ? error.message : error);
    exitWhenWritten(1);
  });
}
