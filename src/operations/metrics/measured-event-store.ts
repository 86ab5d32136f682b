import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../platform/event-store/event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  MultiStreamAppendOptions,
  MultiStreamAppendResult,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../../platform/event-store/event-store.port';
import { ServiceMetrics } from './service-metrics';

/** The event store, timing every append (by outcome: ok, conflict, unavailable, failed). */
export class MeasuredEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  get adapter(): string {
    return this.store.adapter;
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.timed(() => this.store.appendToStream(streamName, events, options));
  }

  appendToStreams(
    appends: readonly StreamAppend[],
    options: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    return this.timed(() => this.store.appendToStreams(appends, options));
  }

  private async timed<Result>(append: () => Promise<Result>): Promise<Result> {
    const start = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return await append();
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      this.metrics.appendDuration.observe(
        { adapter: this.store.adapter, outcome },
        ServiceMetrics.secondsSince(start),
      );
    }
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.store.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.store.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.store.subscribeToAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.store.headPosition();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function outcomeOf(error: unknown): string {
  if (error instanceof WrongExpectedVersionError) return 'conflict';
  if (error instanceof EventStoreUnavailableError) return 'unavailable';
  return 'failed';
}
