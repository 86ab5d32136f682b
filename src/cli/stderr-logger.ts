import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/**
 * Nest's console logger with every level on stderr (it writes all but errors to stdout): the
 * projection engine logs through Nest's Logger, and a tool's stdout holds its answer only.
 * Colours only on a terminal.
 */
export class StderrLogger extends ConsoleLogger {
  constructor() {
    super({ colors: process.stderr.isTTY === true });
  }

  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
