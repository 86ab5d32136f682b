import { choice, commandOf, HELP_OPTION, parseCommandLine, UsageError } from './command-line';

const USAGE = 'Usage: tool <command>';
const OPTIONS = { ...HELP_OPTION, format: { type: 'string' } } as const;

/** The UsageError `run` throws: its message and usage. */
function usageError(run: () => unknown): { message: string; usage?: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return { message: error.message, usage: error.usage };
    throw error;
  }
  throw new Error('no UsageError');
}

describe('command lines', () => {
  it('finds the command first, or a request for the usage', () => {
    expect(commandOf(['status', '--format', 'json'], ['status', 'rebuild'], USAGE)).toEqual({
      command: 'status',
      rest: ['--format', 'json'],
    });
    for (const help of ['-h', '--help', 'help']) {
      expect(commandOf([help], ['status'], USAGE)).toBeNull();
    }
  });

  it('refuses no command, an unknown one and an option before the command, with the usage', () => {
    expect(usageError(() => commandOf([], ['status'], USAGE))).toEqual({
      message: 'No command given',
      usage: USAGE,
    });
    expect(usageError(() => commandOf(['stats'], ['status'], USAGE)).message).toBe(
      'Unknown command "stats"',
    );
    expect(usageError(() => commandOf(['--format', 'json', 'status'], ['status'], USAGE))).toEqual({
      message: "Unknown option '--format': the command comes first",
      usage: USAGE,
    });
  });

  it('parses -h and the options, and names an unknown flag alone', () => {
    expect(parseCommandLine(['-h'], OPTIONS, USAGE).values).toEqual({ help: true });
    expect(parseCommandLine(['--format', 'json'], OPTIONS, USAGE).values).toEqual({
      format: 'json',
    });
    expect(usageError(() => parseCommandLine(['--frobnicate'], OPTIONS, USAGE))).toEqual({
      message: "Unknown option '--frobnicate'",
      usage: USAGE,
    });
    expect(usageError(() => parseCommandLine(['--format'], OPTIONS, USAGE)).message).toMatch(
      /--format/,
    );
  });

  it('refuses more positional arguments than the command takes, unless help is asked', () => {
    expect(parseCommandLine(['quota-progress'], OPTIONS, USAGE, 1).positionals).toEqual([
      'quota-progress',
    ]);
    expect(usageError(() => parseCommandLine(['a', 'b'], OPTIONS, USAGE, 1)).message).toBe(
      'Unexpected argument "b"',
    );
    expect(parseCommandLine(['extra', '--help'], OPTIONS, USAGE).values.help).toBe(true);
  });

  it('takes a value among those allowed, the fallback when none is given', () => {
    expect(choice('format', undefined, ['table', 'json'], 'table')).toBe('table');
    expect(choice('format', 'json', ['table', 'json'], 'table')).toBe('json');
    expect(usageError(() => choice('format', 'xml', ['table', 'json'], 'table', USAGE))).toEqual({
      message: '--format must be one of table, json (got "xml")',
      usage: USAGE,
    });
  });
});
