import { DomainError } from '../../domain/domain-error';
import { WrongExpectedVersionError } from '../../event-store/event-store.errors';

/**
 * Whether a failed append certainly wrote nothing: a rule refused it, or the expected revision did
 * not hold. Any other failure (unreachable store, timeout, disk) leaves the outcome unknown, and
 * undoing the steps before it could undo a write that did happen.
 */
export function certainlyNotWritten(error: unknown): boolean {
  return error instanceof DomainError || error instanceof WrongExpectedVersionError;
}
