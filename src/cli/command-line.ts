/**
 * What every command-line tool does alike, as a shell user expects: -h/--help prints the usage on
 * stdout (exit status 0); a command line the tool cannot run prints what is wrong and the usage
 * on stderr (exit status 2), an unknown flag named; stdout holds the answer only.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The exit status of a command line the tool cannot run. */
export const USAGE_ERROR_STATUS = 2;

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

/**
 * Runs a tool's main with the process's arguments and exits with the status it answers. A usage
 * error prints its message and the usage on stderr and exits 2; any other error prints its
 * message and exits 1.
 */
export function runCommandLine(main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(error.usage ? `${error.message}\n\n${error.usage}` : error.message);
        process.exit(USAGE_ERROR_STATUS);
      }
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
