import {
  AccessDeniedError,
  AppendRecordSizeExceededError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError as KurrentStreamDeletedError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnknownError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidPositionError,
  StreamNotWritableError,
} from '../event-store.errors';

/** gRPC status codes the client can leave untyped (appends go through grpc-js directly). */
const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, ABORTED: 10, UNAVAILABLE: 14 } as const;

/**
 * What reads through the client's native bridge say when the server did not, or may not have,
 * answered: the bridge types only connection errors and passes every other failure as an
 * UnknownError carrying the Rust client's message ("Deadline exceeded", "Server-side error: …"
 * for UNAVAILABLE / INTERNAL / UNKNOWN statuses such as the server's "Server Is Not Ready" and
 * "Server Is Too Busy", "Connection is closed.", a timeout's "Operation timed out"). Appends
 * add the server's answer during a leader election, status UNKNOWN "No leader info available
 * in response" (KurrentDB RpcExceptions.NoLeaderInfo), which the client leaves untyped.
 */
const TRANSIENT_MESSAGE =
  /deadline|server is not ready|server is too busy|server-side error|connection is closed|connection error|timed out|timeout|unavailable|cancel|no leader/i;

/** The server's answer to a read or subscription from a position that is not an event's. */
const INVALID_POSITION_MESSAGE = /invalid position/i;

/** Where a failure happened: the stream an append wrote, or the position a read started after. */
export interface FailureContext {
  streamName?: string;
  position?: bigint;
}

/**
 * Maps the client's failures onto the port's errors. Where the server certainly or possibly did
 * not answer, EventStoreUnavailableError (retry later; for an append the outcome is unknown).
 * Where it answered with a refusal that wrote nothing, the port's refusal, so that nobody treats
 * the outcome as unknown. Anything else passes through unchanged.
 */
export function mapKurrentError(error: unknown, context: FailureContext = {}): unknown {
  const refusal = refusalOf(error, context);
  if (refusal) return refusal;
  if (isTransient(error)) {
    return new EventStoreUnavailableError(
      'KurrentDB did not answer (unreachable, busy or no leader)',
      {
        cause: error,
      },
    );
  }
  return error;
}

function refusalOf(error: unknown, { streamName, position }: FailureContext): Error | undefined {
  if (error instanceof MaxAppendSizeExceededError) {
    return new EventTooLargeError(`at most ${error.maxAppendSize} bytes per append`, {
      cause: error,
    });
  }
  if (error instanceof AppendRecordSizeExceededError) {
    return new EventTooLargeError(`an event of ${error.size} bytes, at most ${error.maxSize}`, {
      cause: error,
    });
  }
  if (error instanceof TransactionMaxSizeExceededError) {
    return new EventTooLargeError(`${error.size} bytes, at most ${error.maxSize} per append`, {
      cause: error,
    });
  }
  if (error instanceof StreamTombstonedError) {
    return new StreamNotWritableError(error.stream, 'it is tombstoned (hard-deleted)', {
      cause: error,
    });
  }
  if (error instanceof KurrentStreamDeletedError) {
    const name = error.streamName || streamName || 'unknown';
    return new StreamNotWritableError(name, 'it is deleted', { cause: error });
  }
  if (position !== undefined && INVALID_POSITION_MESSAGE.test(messageOf(error))) {
    return new InvalidPositionError(position, { cause: error });
  }
  return undefined;
}

function isTransient(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  ) {
    return true;
  }
  // A refusal the client typed (access denied, a bad argument) is no reason to retry.
  if (error instanceof AccessDeniedError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (Object.values(GRPC).some((transient) => transient === code)) return true;
  return error instanceof UnknownError && TRANSIENT_MESSAGE.test(messageOf(error));
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // grpc-js keeps the server's own text in `details`; the message prefixes the status.
  const details = (error as { details?: unknown }).details;
  return typeof details === 'string' ? `${error.message} ${details}` : error.message;
}
