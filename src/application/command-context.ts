import { randomUUID } from 'node:crypto';
import type { EventContext } from '../event-store/event-metadata';
import type { AuthenticatedRequest } from './auth/principal';

const requestIds = new WeakMap<object, string>();

/**
 * The metadata every event of one HTTP request carries: the actor from its token, its request id
 * as correlation id (X-Request-Id when the caller sends one), and one command id per request,
 * which is also the cause of the events.
 */
export function commandContext(request: AuthenticatedRequest): EventContext {
  let commandId = requestIds.get(request);
  if (!commandId) {
    commandId = randomUUID();
    requestIds.set(request, commandId);
  }
  const requestId = request.header('x-request-id');
  const correlationId = requestId && /^[\x21-\x7e]{1,128}$/.test(requestId) ? requestId : commandId;
  return {
    actor: request.principal?.actor ?? 'anonymous',
    correlationId,
    causationId: commandId,
    commandId,
  };
}
