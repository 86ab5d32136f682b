import { createHash } from 'node:crypto';
import {
  BadRequestException,
  HttpStatus,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { EVENT_STORE, type EventStore } from '../../platform/event-store/event-store.port';
import type { AuthenticatedRequest } from '../auth/principal';
import { CommandRunner, KeyedLock } from '../../platform/command-handling/command-runner';
import type { IdempotencyClaim } from '../../platform/command-handling/command-context';
import { attachIdempotencyClaim, commandContext } from '../command-context';
import { NIK_HASHER, type NikHasher } from '../../platform/command-handling/nik-hasher';
import { canonicalJson } from './canonical-json';
import {
  IdempotencyKeyAnswered,
  idempotencyDecider,
  idempotencyStream,
  type IdempotencyState,
} from '../../platform/command-handling/idempotency-record';

type Replay = { statusCode: number; body: unknown };

/**
 * Honours the Idempotency-Key header on POST: the same key with the same body returns the first
 * successful answer and writes nothing more; the same key with another body is refused with 422.
 * Keys are scoped to the caller's actor. The answer is recorded in the command's own atomic
 * append (expecting its key's stream not to exist), so a key takes effect at most once across any
 * number of processes and a retry after any crash gets the original answer. Stream names and
 * request fingerprints are keyed hashes (HMAC under the service's secret key): a body holds NIKs.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys = new KeyedLock();

  constructor(
    private readonly runner: CommandRunner,
    private readonly reflector: Reflector,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new BadRequestException({
        code: 'INVALID_IDEMPOTENCY_KEY',
        message: 'Idempotency-Key must be 1 to 200 visible ASCII characters',
      });
    }
    const response = context.switchToHttp().getResponse<Response>();
    const scopedKey = `${request.principal.actor}\n${key}`;
    const requestText = `${request.method} ${request.originalUrl}\n${canonicalJson(request.body)}`;
    const claim: IdempotencyClaim = {
      streamName: idempotencyStream(this.hasher.keyedHash('idempotency-key', scopedKey)),
      requestHash: this.hasher.keyedHash('idempotency-request', requestText),
      statusCode:
        this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
        HttpStatus.CREATED,
    };
    const replay = (answer: Replay) => {
      response.status(answer.statusCode);
      response.setHeader('Idempotent-Replayed', 'true');
      return answer.body;
    };

    return from(
      this.keys.run(claim.streamName, async () => {
        const recorded =
          (await this.recordedAnswer(claim)) ??
          (await this.legacyAnswer(sha256(scopedKey), sha256(requestText)));
        if (recorded) return replay(recorded);
        attachIdempotencyClaim(request, claim);
        let body: unknown;
        try {
          body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        } catch (error) {
          // Another process answered this key first: its answer is this request's answer too.
          if (!(error instanceof IdempotencyKeyAnswered)) throw error;
          return replay((await this.recordedAnswer(claim)) as Replay);
        }
        // A route that runs no command (a seal) records its answer after the effect.
        if (!claim.recorded) await this.recordAfterwards(claim, body, request);
        return body;
      }),
    );
  }

  /**
   * The answer recorded for this key, with the position of the record: the last event of the
   * command's append, which is what the first answer carried.
   */
  private async recordedAnswer(claim: IdempotencyClaim): Promise<Replay | null> {
    const { state } = await this.runner.read(claim.streamName, idempotencyDecider);
    const answer = answerToReplay(state, claim.requestHash);
    if (!answer || !isObject(answer.body) || 'position' in answer.body) return answer;
    const [record] = await this.store.readStream(claim.streamName, { maxCount: 1 });
    return { ...answer, body: { ...answer.body, position: record.position.toString() } };
  }

  /** Keys answered before keyed hashes: an unkeyed stream name and request hash. */
  private async legacyAnswer(keyHash: string, requestHash: string): Promise<Replay | null> {
    const { state } = await this.runner.read(idempotencyStream(keyHash), idempotencyDecider);
    return answerToReplay(state, requestHash);
  }

  private async recordAfterwards(
    claim: IdempotencyClaim,
    body: unknown,
    request: AuthenticatedRequest,
  ): Promise<void> {
    const { streamName, requestHash, statusCode } = claim;
    const { idempotency: _claim, ...context } = commandContext(request);
    await this.runner
      .execute(
        context,
        async (unit) => {
          await unit.decide(streamName, idempotencyDecider, {
            type: 'RecordAnswer',
            requestHash,
            statusCode,
            body,
          });
          return {};
        },
        { locks: [streamName] },
      )
      .catch(() => undefined); // The effect stands either way; a repeat runs it again.
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

/** The recorded answer to replay for this request, if any; refuses a key reused with another request. */
function answerToReplay(
  state: IdempotencyState,
  requestHash: string,
): { statusCode: number; body: unknown } | null {
  if (state.status === 'unanswered') return null;
  if (state.requestHash !== requestHash) throw new IdempotencyKeyReused();
  return { statusCode: state.statusCode, body: state.body };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
