import { createHash } from 'node:crypto';
import {
  BadRequestException,
  HttpStatus,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/principal';
import { CommandRunner } from '../command-handling/command-runner';
import { KeyedLock } from '../command-handling/keyed-lock';
import { commandContext } from '../command-context';
import { streams } from '../streams';
import { answerToReplay, idempotencyDecider } from './idempotency.decider';

/**
 * Honours the Idempotency-Key header on POST: the same key with the same body returns the first
 * successful answer and writes nothing more; the same key with another body is refused with 422.
 * Keys are scoped to the caller's actor. Requests with one key run one at a time in this process,
 * so repeats sent together wait for the first and replay its answer. Across processes the
 * programme's own rules (one registration per NIK, one live disbursement per recipient) keep a
 * simultaneous repeat from having a second effect; it is refused instead of replayed.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys = new KeyedLock();
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly runner: CommandRunner,
    private readonly reflector: Reflector,
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
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      HttpStatus.CREATED;
    const stream = streams.idempotency(sha256(`${request.principal.actor}\n${key}`));
    const requestHash = sha256(
      `${request.method} ${request.originalUrl}\n${canonicalJson(request.body)}`,
    );

    return from(
      this.keys.run(stream, async () => {
        const { state } = await this.runner.read(stream, idempotencyDecider);
        const replay = answerToReplay(state, requestHash);
        if (replay) {
          response.status(replay.statusCode);
          response.setHeader('Idempotent-Replayed', 'true');
          return replay.body;
        }
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        try {
          await this.runner.run(
            stream,
            idempotencyDecider,
            { type: 'RecordAnswer', requestHash, statusCode, body },
            commandContext(request),
          );
        } catch (error) {
          // The command took effect: its answer is the truth, even if a repeat cannot replay it.
          this.logger.warn(
            `Could not record the answer of an idempotent request: ${(error as Error).name}`,
          );
        }
        return body;
      }),
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so the same body written in another key order matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
