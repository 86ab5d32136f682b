import { randomUUID } from 'node:crypto';
import type {
  CommandContext,
  IdempotencyClaim,
} from '../platform/command-handling/command-context';
import { correlationIdOf } from './request-context';
import type { AuthenticatedRequest } from './auth/principal';

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
    correlationId: correlationIdOf(request),
    causationId: commandId,
    commandId,
    ...(idempotency ? { idempotency } : {}),
  };
}

/** Hands the request's Idempotency-Key claim to the command it runs. */
export function attachIdempotencyClaim(request: object, claim: IdempotencyClaim): void {
  claims.set(request, claim);
}
