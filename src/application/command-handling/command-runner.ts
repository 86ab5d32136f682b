import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Decider, DomainEvent } from '../../domain/decider';
import type { EventContext } from '../../event-store/event-metadata';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { MeasuredEventStore } from '../../observability/metrics/measured-event-store';
import { ServiceMetrics } from '../../observability/metrics/service-metrics';
import { handleCommand, readState, type CommandResult } from './handle-command';
import { KeyedLock } from './keyed-lock';
import type { CachedState } from './stream-state-cache';
import { StreamStateCache } from './stream-state-cache';

/**
 * handleCommand for the service: commands on one stream run one at a time in this process, and
 * each decider's folded states are cached and trusted, so a command on a busy stream usually
 * costs no read at all; other processes' appends surface as expected-revision conflicts.
 */
@Injectable()
export class CommandRunner {
  private readonly locks = new KeyedLock();
  private readonly caches = new WeakMap<object, StreamStateCache<unknown>>();

  private readonly store: EventStore;

  constructor(@Inject(EVENT_STORE) store: EventStore, @Optional() metrics?: ServiceMetrics) {
    // Every append of the service goes through here, so this is where its latency is measured.
    this.store = metrics ? new MeasuredEventStore(store, metrics) : store;
  }

  run<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
    context: EventContext,
  ): Promise<CommandResult<Event, State>> {
    return this.locks.run(streamName, () =>
      handleCommand(this.store, streamName, decider, command, context, {
        cache: this.cacheFor(decider),
        trustCache: true,
      }),
    );
  }

  /** The current state of a stream, without deciding anything. */
  read<Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<never, Event, State>,
  ): Promise<CachedState<State>> {
    return readState(this.store, streamName, decider, undefined, this.cacheFor(decider));
  }

  private cacheFor<State>(decider: object): StreamStateCache<State> {
    let cache = this.caches.get(decider);
    if (!cache) {
      cache = new StreamStateCache<unknown>();
      this.caches.set(decider, cache);
    }
    return cache as StreamStateCache<State>;
  }
}
