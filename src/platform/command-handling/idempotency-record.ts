import type { Decider, DomainEvent } from '../../domain/decider';

/**
 * One stream per (actor, Idempotency-Key) holding the answer of the request that first succeeded
 * with the key, appended in that request's own atomic append. Only successes are recorded: a
 * refused request wrote nothing, so it leaves no trace here either, and repeating it simply runs
 * it again.
 */
/** The stream of one (actor, key): named by the key's keyed hash, never the key itself. */
export const idempotencyStream = (keyHash: string) => `idempotency-${keyHash}`;

export type IdempotencyCommand = {
  type: 'RecordAnswer';
  requestHash: string;
  statusCode: number;
  body: unknown;
  /** Every other event of the command's append, so that verify can tell each one is there. */
  effects?: { streamName: string; revision: string }[];
};

export type IdempotencyEvent = DomainEvent<
  'IdempotentRequestAnswered',
  {
    requestHash: string;
    statusCode: number;
    body: unknown;
    effects?: { streamName: string; revision: string }[];
  }
>;

export type IdempotencyState =
  | { status: 'unanswered' }
  | { status: 'answered'; requestHash: string; statusCode: number; body: unknown };

/** The key was answered already, maybe by another process a moment ago: replay that answer. */
export class IdempotencyKeyAnswered extends Error {
  override readonly name = 'IdempotencyKeyAnswered';
}

export const idempotencyDecider: Decider<IdempotencyCommand, IdempotencyEvent, IdempotencyState> = {
  initialState: () => ({ status: 'unanswered' }),

  decide(command, state) {
    if (state.status === 'answered') throw new IdempotencyKeyAnswered();
    const { type: _type, ...answer } = command;
    return [{ type: 'IdempotentRequestAnswered', data: answer }];
  },

  evolve(_state, event) {
    const { requestHash, statusCode, body } = event.data;
    return { status: 'answered', requestHash, statusCode, body };
  },
};
