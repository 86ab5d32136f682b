import { randomUUID } from 'node:crypto';
import type { EventContext } from '../event-store/event-metadata';
import { requestIdOf } from '../../operations/logging/request-context';
import type { AuthenticatedRequest } from '../../http/auth/principal';

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

const commandIds = new WeakMap<object, string>();
const claims = new WeakMap<object, IdempotencyClaim>();

/**
 * The context of the command one HTTP request runs: the actor from its token, the request id
 * (the one its log lines carry and X-Request-Id echoes) as correlation id, one command id per
 * request, which is also the cause of the events, and the request's Idempotency-Key claim.
 */
export function commandContext(request: AuthenticatedRequest): CommandContext {
  let commandId = commandIds.get(request);
  if (!commandId) {
    commandId = randomUUID();
    commandIds.set(request, commandId);
  }
  const idempotency = claims.get(request);
  return {
    actor: request.principal?.actor ?? 'anonymous',
    correlationId: requestIdOf(request),
    causationId: commandId,
    commandId,
    ...(idempotency ? { idempotency } : {}),
  };
}

/** Hands the request's Idempotency-Key claim to the command it runs. */
export function attachIdempotencyClaim(request: object, claim: IdempotencyClaim): void {
  claims.set(request, claim);
}
