import type { ActualRevision, ExpectedRevision } from './event-store.port';

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`Stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';

  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
  }
}

/** The store cannot be reached or has been closed; the operation may be retried later. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A position given to read or subscribe from that is neither START nor the position of an event
 * of this store (on KurrentDB positions are byte offsets, and only an event's own is a place to
 * resume from).
 */
export class InvalidPositionError extends Error {
  override readonly name = 'InvalidPositionError';

  constructor(
    readonly position: bigint,
    options?: { cause?: unknown },
  ) {
    super(`Position ${position} is not the position of an event of this store`, options);
  }
}

/** The store refused an append for its size: nothing was written, and a retry cannot help. */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';

  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `The change is larger than the event store accepts (${detail}); nothing was written`,
      options,
    );
  }
}

/**
 * The store refused an append to a stream it will not let this service chain to: deleted,
 * tombstoned, or with earlier events hidden. Nothing was written; an operator must act.
 */
export class StreamNotWritableError extends Error {
  override readonly name = 'StreamNotWritableError';

  constructor(
    readonly streamName: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Stream ${streamName} cannot be appended to: ${reason}; nothing was written`, options);
  }
}
