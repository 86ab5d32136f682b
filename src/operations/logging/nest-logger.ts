import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/**
 * Nest's logger, written through pino: `context` is the Nest context (`Projections`,
 * `HttpError`, …). A message given as `{ msg, ...fields }` (the request id of a line written for
 * a request, say) puts those fields on the line.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context), the stack possibly undefined, or one of the two.
    const [first, second] = params;
    const stack = params.length > 1 || isStack(first) ? first : undefined;
    const context = params.length > 1 ? second : isStack(first) ? undefined : first;
    this.write('error', message, context === undefined ? [] : [context], stack);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[], stack?: unknown): void {
    const context = typeof params[params.length - 1] === 'string' ? params.pop() : undefined;
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields.context = context;
    if (typeof stack === 'string') fields.stack = stack;
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'string') {
      this.logger[level](fields, message);
    } else if (isFieldsWithMessage(message)) {
      const { msg, ...own } = message;
      this.logger[level]({ ...fields, ...own }, msg);
    } else {
      this.logger[level]({ ...fields, data: message });
    }
  }
}

function isFieldsWithMessage(value: unknown): value is { msg: string } & Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { msg?: unknown }).msg === 'string'
  );
}

function isStack(value: unknown): boolean {
  return typeof value === 'string' && /\n\s+at /.test(value);
}
