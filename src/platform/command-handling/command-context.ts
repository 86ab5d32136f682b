import type { EventContext } from '../event-store/event-metadata';

/**
 * A request's Idempotency-Key, as the command that honours it needs it: the stream its answer is
 * recorded in (in the command's own append, expecting no stream), the keyed fingerprint of the
 * request, and the status its answer will have.
 */
export interface IdempotencyClaim {
  streamName: string;
  requestHash: string;
  statusCode: number;
  /** Set by the command runner once the answer is part of an append. */
  recorded?: boolean;
}

/** What a command carries besides its input: who and what caused it, and its key if any. */
export interface CommandContext extends EventContext {
  idempotency?: IdempotencyClaim;
}
