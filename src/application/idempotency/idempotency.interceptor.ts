import { createHash } from 'node:crypto';
import {
  BadRequestException,
  HttpStatus,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { CLOCK, type Clock } from '../../common/clock';
import type { EventContext } from '../../event-store/event-metadata';
import type { AuthenticatedRequest } from '../auth/principal';
import { CommandRunner } from '../command-handling/command-runner';
import { commandContext } from '../command-context';
import { streams } from '../streams';
import { idempotencyDecider, RequestInProgress } from './idempotency.decider';

/** A request older than this that never answered is presumed dead. */
const STALE_AFTER_MS = 60_000;
/** How long a repeat waits for the first request with its key to answer. */
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 20;

/**
 * Honours the Idempotency-Key header on POST: the same key with the same body returns the first
 * answer and writes nothing more (also when both arrive at once); the same key with another body
 * is refused with 422. Keys are scoped to the caller's actor.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly runner: CommandRunner,
    private readonly reflector: Reflector,
    @Inject(CLOCK) private readonly clock: Clock,
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
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      HttpStatus.CREATED;
    const stream = streams.idempotency(sha256(`${request.principal.actor}\n${key}`));
    const requestHash = sha256(
      `${request.method} ${request.originalUrl}\n${canonicalJson(request.body)}`,
    );
    const eventContext = commandContext(request);

    return from(
      (async () => {
        const replay = await this.begin(stream, requestHash, eventContext);
        if (replay) {
          response.status(replay.statusCode);
          response.setHeader('Idempotent-Replayed', 'true');
          return replay.body;
        }
        let body: unknown;
        try {
          body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        } catch (error) {
          await this.runner.run(
            stream,
            idempotencyDecider,
            { type: 'Fail', requestHash },
            eventContext,
          );
          throw error;
        }
        await this.runner.run(
          stream,
          idempotencyDecider,
          { type: 'Complete', requestHash, statusCode: successStatus, body },
          eventContext,
        );
        return body;
      })(),
    );
  }

  /** Starts the request, or answers what the first request with this key answered. */
  private async begin(
    stream: string,
    requestHash: string,
    context: EventContext,
  ): Promise<{ statusCode: number; body: unknown } | null> {
    const deadline = this.clock.now().getTime() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const now = this.clock.now();
      try {
        const { state, events } = await this.runner.run(
          stream,
          idempotencyDecider,
          {
            type: 'Begin',
            requestHash,
            now: now.toISOString(),
            staleBefore: new Date(now.getTime() - STALE_AFTER_MS).toISOString(),
          },
          context,
        );
        if (events.length > 0) return null;
        if (state.status === 'completed') return { statusCode: state.statusCode, body: state.body };
      } catch (error) {
        if (!(error instanceof RequestInProgress) || now.getTime() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
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
