import type { Decider, DomainEvent } from '../../domain/decider';
import { StreamNotFoundError } from '../event-store/event-store.errors';
import {
  NO_STREAM,
  type EventStore,
  type ExpectedRevision,
  type StoredEvent,
} from '../event-store/event-store.port';

export interface CachedState<State> {
  state: State;
  revision: ExpectedRevision;
}

/**
 * The folded state of recently used streams, so a busy stream (a yearly quota) is not re-read
 * from its first event on every command: only the events after the cached revision are read.
 * Least recently used entries are dropped past `capacity`. States must be immutable.
 */
export class StreamStateCache<State> {
  private readonly entries = new Map<string, CachedState<State>>();

  constructor(private readonly capacity = 10_000) {}

  get(streamName: string): CachedState<State> | undefined {
    const entry = this.entries.get(streamName);
    if (entry) {
      this.entries.delete(streamName);
      this.entries.set(streamName, entry);
    }
    return entry;
  }

  set(streamName: string, entry: CachedState<State>): void {
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/** The stream's current state and revision: from the cache plus what came after, or from scratch. */
export async function readState<Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  cache?: StreamStateCache<State>,
): Promise<CachedState<State>> {
  const cached = cache?.get(streamName);
  const start: CachedState<State> = cached ?? {
    state: decider.initialState(),
    revision: NO_STREAM,
  };
  let stored: StoredEvent[];
  try {
    stored = await store.readStream(streamName, {
      fromRevision: start.revision === NO_STREAM ? 0n : (start.revision as bigint) + 1n,
    });
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
    // Remembered too: a command that trusts it and finds the stream created meanwhile fails its
    // expected revision and reads again.
    cache?.set(streamName, start);
    return start;
  }
  if (stored.length === 0) return start;
  const current: CachedState<State> = {
    state: stored.reduce(
      (state, event) => decider.evolve(state, { type: event.type, data: event.data } as Event),
      start.state,
    ),
    revision: stored[stored.length - 1].revision,
  };
  cache?.set(streamName, current);
  return current;
}
