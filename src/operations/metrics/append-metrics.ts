import type { AppendObserver } from '../../platform/command-handling/command-runner';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../platform/event-store/event-store.errors';
import { ServiceMetrics } from './service-metrics';

/** Times every append of the service, by adapter and outcome: ok, conflict, unavailable, failed. */
export class AppendMetrics implements AppendObserver {
  constructor(private readonly metrics: ServiceMetrics) {}

  appended({ adapter, seconds, failure }: Parameters<AppendObserver['appended']>[0]): void {
    this.metrics.appendDuration.observe({ adapter, outcome: outcomeOf(failure) }, seconds);
  }
}

function outcomeOf(failure: unknown): string {
  if (failure === undefined) return 'ok';
  if (failure instanceof WrongExpectedVersionError) return 'conflict';
  if (failure instanceof EventStoreUnavailableError) return 'unavailable';
  return 'failed';
}
