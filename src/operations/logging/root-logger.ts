import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../../config/app.config';

/** The pino logger every log line of the process goes through (Nest's and the requests'). */
export const ROOT_LOGGER = Symbol('RootLogger');

/**
 * One JSON object per line on stdout (or `destination`). Nothing here logs request or response
 * bodies; credentials are censored in case a header ever reaches a log line.
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'bansos-ledger' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    // Synchronous writes to stdout: no line is lost when the process exits.
    destination ?? pino.destination(1),
  );
}
