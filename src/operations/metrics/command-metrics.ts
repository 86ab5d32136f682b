import { HttpException, HttpStatus, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus, type ICommand } from '@nestjs/cqrs';
import { DomainError } from '../../domain/domain-error';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../platform/event-store/event-store.errors';
import { ServiceMetrics } from './service-metrics';

/**
 * Counts and times every command dispatched on the command bus, by type and outcome: `accepted`,
 * or the error code the client is answered (QUOTA_EXHAUSTED, CONCURRENCY_CONFLICT, …). The bus
 * has no middleware, so its `execute` is wrapped once, when the module starts.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  constructor(
    private readonly bus: CommandBus,
    private readonly metrics: ServiceMetrics,
  ) {}

  onModuleInit(): void {
    const execute = this.bus.execute.bind(this.bus);
    this.bus.execute = ((command: ICommand, ...rest: unknown[]) =>
      this.measure(command, () =>
        (execute as (...args: unknown[]) => Promise<unknown>)(command, ...rest),
      )) as CommandBus['execute'];
  }

  private async measure(command: ICommand, execute: () => Promise<unknown>): Promise<unknown> {
    const type = command.constructor.name.replace(/Command$/, '');
    const start = process.hrtime.bigint();
    let outcome = 'accepted';
    try {
      return await execute();
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      const labels = { command: type, outcome };
      this.metrics.commands.inc(labels);
      this.metrics.commandDuration.observe(labels, ServiceMetrics.secondsSince(start));
    }
  }
}

/** The `code` the HTTP error filter answers for this error. */
function outcomeOf(error: unknown): string {
  if (error instanceof DomainError) return error.code;
  if (error instanceof WrongExpectedVersionError) return 'CONCURRENCY_CONFLICT';
  if (error instanceof EventStoreUnavailableError) return 'EVENT_STORE_UNAVAILABLE';
  if (error instanceof HttpException) {
    const answer = error.getResponse() as { code?: unknown };
    if (typeof answer === 'object' && typeof answer.code === 'string') return answer.code;
    return (HttpStatus[error.getStatus()] as string | undefined) ?? `HTTP_${error.getStatus()}`;
  }
  return 'INTERNAL_ERROR';
}
