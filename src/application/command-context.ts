import { randomUUID } from 'node:crypto';
import type { EventContext } from '../event-store/event-metadata';
import { requestIdOf } from '../observability/logging/request-context';
import type { AuthenticatedRequest } from './auth/principal';

const commandIds = new WeakMap<object, string>();

/**
 * The metadata every event of one HTTP request carries: the actor from its token, the request id
 * (the one its log lines carry and X-Request-Id echoes) as correlation id, and one command id per
 * request, which is also the cause of the events.
 */
export function commandContext(request: AuthenticatedRequest): EventContext {
  let commandId = commandIds.get(request);
  if (!commandId) {
    commandId = randomUUID();
    commandIds.set(request, commandId);
  }
  return {
    actor: request.principal?.actor ?? 'anonymous',
    correlationId: requestIdOf(request),
    causationId: commandId,
    commandId,
  };
}
