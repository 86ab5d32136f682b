import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import type { Decider, DomainEvent } from '../../domain/decider';

/**
 * One stream per (actor, Idempotency-Key): the first request with the key records that it
 * started, then its answer; a repeat gets that answer back. A request that failed frees the key
 * (it wrote nothing, so running it again is safe); one that started and went silent for longer
 * than a request can take is presumed dead and may be taken over.
 */
export type IdempotencyCommand =
  | { type: 'Begin'; requestHash: string; now: string; staleBefore: string }
  | { type: 'Complete'; requestHash: string; statusCode: number; body: unknown }
  | { type: 'Fail'; requestHash: string };

export type IdempotencyEvent =
  | DomainEvent<'IdempotentRequestStarted', { requestHash: string; startedAt: string }>
  | DomainEvent<
      'IdempotentRequestCompleted',
      { requestHash: string; statusCode: number; body: unknown }
    >
  | DomainEvent<'IdempotentRequestFailed', { requestHash: string }>;

export type IdempotencyState =
  | { status: 'free' }
  | { status: 'started'; requestHash: string; startedAt: string }
  | { status: 'completed'; requestHash: string; statusCode: number; body: unknown };

export class RequestInProgress extends ConflictException {
  constructor() {
    super({
      code: 'REQUEST_IN_PROGRESS',
      message: 'A request with this Idempotency-Key is still being processed; retry shortly',
    });
  }
}

export class IdempotencyKeyReused extends UnprocessableEntityException {
  constructor() {
    super({
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This Idempotency-Key was used with a different request',
    });
  }
}

export const idempotencyDecider: Decider<IdempotencyCommand, IdempotencyEvent, IdempotencyState> = {
  initialState: () => ({ status: 'free' }),

  decide(command, state) {
    switch (command.type) {
      case 'Begin': {
        if (state.status !== 'free' && state.requestHash !== command.requestHash) {
          throw new IdempotencyKeyReused();
        }
        if (state.status === 'completed') return [];
        if (state.status === 'started' && state.startedAt >= command.staleBefore) {
          throw new RequestInProgress();
        }
        return [
          {
            type: 'IdempotentRequestStarted',
            data: { requestHash: command.requestHash, startedAt: command.now },
          },
        ];
      }
      case 'Complete':
        return [
          {
            type: 'IdempotentRequestCompleted',
            data: {
              requestHash: command.requestHash,
              statusCode: command.statusCode,
              body: command.body,
            },
          },
        ];
      case 'Fail':
        return [{ type: 'IdempotentRequestFailed', data: { requestHash: command.requestHash } }];
      default: {
        const unhandled: never = command;
        throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'IdempotentRequestStarted':
        return { status: 'started', ...event.data };
      case 'IdempotentRequestCompleted':
        return { status: 'completed', ...event.data };
      case 'IdempotentRequestFailed':
        return { status: 'free' };
    }
  },
};
