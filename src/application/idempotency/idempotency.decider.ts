import { UnprocessableEntityException } from '@nestjs/common';
import type { Decider, DomainEvent } from '../../domain/decider';

/**
 * One stream per (actor, Idempotency-Key) holding the answer of the request that first succeeded
 * with the key. Only successes are recorded: a refused request wrote nothing, so it leaves no
 * trace here either, and repeating it simply runs it again.
 */
export type IdempotencyCommand = {
  type: 'RecordAnswer';
  requestHash: string;
  statusCode: number;
  body: unknown;
};

export type IdempotencyEvent = DomainEvent<
  'IdempotentRequestAnswered',
  { requestHash: string; statusCode: number; body: unknown }
>;

export type IdempotencyState =
  | { status: 'unanswered' }
  | { status: 'answered'; requestHash: string; statusCode: number; body: unknown };

export class IdempotencyKeyReused extends UnprocessableEntityException {
  constructor() {
    super({
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used with a different request',
    });
  }
}

/** The recorded answer to replay for this request, if any; refuses a key reused with another request. */
export function answerToReplay(
  state: IdempotencyState,
  requestHash: string,
): { statusCode: number; body: unknown } | null {
  if (state.status === 'unanswered') return null;
  if (state.requestHash !== requestHash) throw new IdempotencyKeyReused();
  return { statusCode: state.statusCode, body: state.body };
}

export const idempotencyDecider: Decider<IdempotencyCommand, IdempotencyEvent, IdempotencyState> = {
  initialState: () => ({ status: 'unanswered' }),

  decide(command, state) {
    if (answerToReplay(state, command.requestHash)) return [];
    const { requestHash, statusCode, body } = command;
    return [{ type: 'IdempotentRequestAnswered', data: { requestHash, statusCode, body } }];
  },

  evolve(_state, event) {
    return { status: 'answered', ...event.data };
  },
};
