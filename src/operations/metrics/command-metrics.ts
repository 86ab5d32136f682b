import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { tap, type Observable } from 'rxjs';
import { InvalidInputException } from '../../http/field-errors';
import { httpErrorOf } from '../../http/http-error.filter';
import { ServiceMetrics } from './service-metrics';

const COMMAND_NAME = 'bansos:command-name';

/**
 * Counts and times the command a route runs, by outcome: `accepted`, or the code the client is
 * answered (QUOTA_EXHAUSTED, CONCURRENCY_CONFLICT, …). Bound to the route method, so it runs
 * inside the Idempotency-Key's replay (a replay runs no command) and after the request's DTO
 * was accepted (a refused DTO never became a command).
 */
export const MeasuredCommand = (name: string) =>
  applyDecorators(SetMetadata(COMMAND_NAME, name), UseInterceptors(CommandMetricsInterceptor));

@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const command = this.reflector.get<string>(COMMAND_NAME, context.getHandler());
    const start = process.hrtime.bigint();
    const count = (outcome: string) => {
      const labels = { command, outcome };
      this.metrics.commands.inc(labels);
      this.metrics.commandDuration.observe(labels, ServiceMetrics.secondsSince(start));
    };
    return next.handle().pipe(
      tap({
        complete: () => count('accepted'),
        error: (error: unknown) => {
          if (!(error instanceof InvalidInputException))
            count(httpErrorOf(error)?.body.code ?? 'INTERNAL_ERROR');
        },
      }),
    );
  }
}
