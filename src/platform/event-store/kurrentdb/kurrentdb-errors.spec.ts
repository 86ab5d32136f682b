import {
  AccessDeniedError,
  convertToCommandError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  StreamTombstonedError,
  TransactionMaxSizeExceededError,
  UnknownError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  EventTooLargeError,
  InvalidPositionError,
  StreamNotWritableError,
} from '../event-store.errors';
import { mapKurrentError } from './kurrentdb-errors';

/** The gRPC status codes used here (grpc-js `status`). */
const status = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

type ServiceError = NonNullable<ConstructorParameters<typeof UnknownError>[0]>;

/**
 * A failure as grpc-js reports it (appends, subscriptions), typed by the client's own
 * convertToCommandError. The metadata offers what the client reads of grpc-js's Metadata.
 */
function grpcFailure(code: number, details: string, exception: Record<string, string> = {}) {
  const metadata = {
    getMap: () => exception,
    get: (key: string) => (key in exception ? [exception[key]] : []),
  };
  const error = Object.assign(new Error(`${code}: ${details}`), { code, details, metadata });
  return convertToCommandError(error);
}

/**
 * A failure as the client's native bridge reports a read: everything but connection errors
 * becomes an UnknownError carrying the Rust client's text (KurrentDB-Client-Rust, types.rs:
 * `Error::from_grpc` and its Display strings; KurrentDB-Bridge-Client, crates/bridge/src/error.rs).
 */
const bridged = (message: string) =>
  new UnknownError(
    Object.assign(new Error(message), { name: 'UnknownError' }) as unknown as ServiceError,
  );

/** How the client builds the errors it decodes from a status's details (no gRPC error kept). */
const decoded = undefined as unknown as ServiceError;

describe('KurrentDB adapter: what the client’s failures mean to the port', () => {
  it.each([
    [
      'gRPC UNAVAILABLE "Server Is Not Ready"',
      grpcFailure(status.UNAVAILABLE, 'Server Is Not Ready'),
    ],
    [
      'gRPC UNAVAILABLE "Server Is Too Busy"',
      grpcFailure(status.UNAVAILABLE, 'Server Is Too Busy'),
    ],
    ['gRPC DEADLINE_EXCEEDED', grpcFailure(status.DEADLINE_EXCEEDED, 'Deadline exceeded')],
    ['gRPC ABORTED (a server-side timeout)', grpcFailure(status.ABORTED, 'Operation timed out')],
    ['gRPC CANCELLED by the server', grpcFailure(status.CANCELLED, 'Cancelled on server')],
    [
      'gRPC UNKNOWN "No leader info available" (an append during a leader election)',
      grpcFailure(status.UNKNOWN, 'No leader info available in response'),
    ],
    [
      'gRPC NOT_FOUND with not-leader',
      grpcFailure(status.NOT_FOUND, 'Leader info available', {
        exception: 'not-leader',
        'leader-endpoint-host': 'node-2',
        'leader-endpoint-port': '2113',
      }),
    ],
    ['a bridged read past its deadline', bridged('Deadline exceeded')],
    [
      'a bridged read the server was not ready for',
      bridged('Server-side error: status: Unavailable, message: "Server Is Not Ready"'),
    ],
    [
      'a bridged read the server was too busy for',
      bridged('Server-side error: status: Unavailable, message: "Server Is Too Busy"'),
    ],
    ['a bridged read on a closed connection', bridged('Connection is closed.')],
  ])('%s: unavailable, retry later', (_name, failure) => {
    const mapped = mapKurrentError(failure);
    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as Error).cause).toBe(failure);
  });

  it.each([
    ['MaxAppendSizeExceeded', MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576)],
    [
      'AppendTransactionSizeExceeded',
      new TransactionMaxSizeExceededError(decoded, { size: 2_000_000, maxSize: 1_048_576 }),
    ],
  ])('%s: too large, nothing written', (_name, failure) => {
    const mapped = mapKurrentError(failure);
    expect(mapped).toBeInstanceOf(EventTooLargeError);
    expect(String(mapped)).toMatch(/1048576.*nothing was written/);
  });

  it.each([
    [
      'a deleted stream (gRPC)',
      grpcFailure(status.FAILED_PRECONDITION, 'Event stream is deleted.', {
        exception: 'stream-deleted',
        'stream-name': 'recipient-1',
      }),
    ],
    ['a deleted stream (bridged read)', StreamDeletedError.fromStreamName('recipient-1')],
    ['a tombstoned stream', new StreamTombstonedError(decoded, { stream: 'recipient-1' })],
  ])('%s: the stream is not writable, nothing written', (_name, failure) => {
    const mapped = mapKurrentError(failure, { streamName: 'recipient-1' });
    expect(mapped).toBeInstanceOf(StreamNotWritableError);
    expect(mapped).toMatchObject({ streamName: 'recipient-1' });
    expect(String(mapped)).toMatch(/nothing was written/);
  });

  it('a read from a position that starts no event: InvalidPosition, naming the position', () => {
    const subscription = grpcFailure(
      status.INVALID_ARGUMENT,
      'Trying to read from an invalid position.',
    );
    const read = bridged(
      'Unmapped gRPC error: code: Client specified an invalid argument, message: Trying to read from an invalid position..',
    );
    for (const failure of [subscription, read]) {
      const mapped = mapKurrentError(failure, { position: 1234n });
      expect(mapped).toBeInstanceOf(InvalidPositionError);
      expect(mapped).toMatchObject({ position: 1234n });
    }
  });

  it('leaves refusals that a retry cannot help, and unknown failures, as they are', () => {
    const denied = new AccessDeniedError(undefined);
    const unknown = bridged('Unexpected ReadAllResult: Error');
    expect(mapKurrentError(denied)).toBe(denied);
    expect(mapKurrentError(unknown)).toBe(unknown);
  });
});
