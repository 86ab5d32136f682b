import type { Decider, DomainEvent } from '../../domain/decider';
import type { EventContext } from '../../event-store/event-metadata';
import {
  NO_STREAM,
  type EventStore,
  type ExpectedRevision,
  type StoredEvent,
} from '../../event-store/event-store.port';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../event-store/event-store.errors';
import type { CachedState, StreamStateCache } from './stream-state-cache';

export interface HandleCommandOptions<Event extends DomainEvent, State> {
  /** Read, decide and append at most this many times when other writers get in first. */
  maxAttempts?: number;
  /** Turns a stored event into the domain's current shape; upcasters live here. */
  toDomainEvent?: (stored: StoredEvent) => Event;
  /** Folded states of earlier commands: only the events after them are read. */
  cache?: StreamStateCache<State>;
  /**
   * Decide on the cached state without reading first. Safe: an append on a stale state fails its
   * expected revision, and a refusal or a no-op is only believed after a fresh read.
   */
  trustCache?: boolean;
}

export interface CommandResult<Event extends DomainEvent, State> {
  /** What the command caused; empty when the state already satisfied it. */
  events: Event[];
  state: State;
  /** The stream's revision after the command (unchanged when nothing was appended). */
  revision: ExpectedRevision;
  /** The global position of the last event appended, if any. */
  position?: bigint;
}

const DEFAULT_ATTEMPTS = 10;

/**
 * Runs one command against one stream: read it, fold it into state, decide, and append with the
 * revision that was read. When another writer appended in between, the state the decision rested
 * on is stale: read again and decide again, up to `maxAttempts` times, then give up with the
 * WrongExpectedVersionError. Domain errors thrown by `decide` pass through and nothing is written.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: EventContext,
  options: HandleCommandOptions<Event, State> = {},
): Promise<CommandResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  const toDomainEvent = options.toDomainEvent ?? defaultToDomainEvent<Event>;
  const read = () => readState(store, streamName, decider, toDomainEvent, options.cache);
  let trusted = options.trustCache ? options.cache?.get(streamName) : undefined;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = trusted ?? (await read());
    let events: Event[];
    try {
      events = decider.decide(command, state);
    } catch (error) {
      if (!trusted) throw error;
      events = [];
    }
    if (events.length === 0 && trusted) {
      // Only a fresh read may refuse a command or find it already done.
      trusted = undefined;
      attempt--;
      continue;
    }
    trusted = undefined;
    if (events.length === 0) return { events, state, revision };
    try {
      const appended = await store.appendToStream(streamName, events, {
        expectedRevision: revision,
        context,
      });
      const newState = events.reduce(decider.evolve, state);
      options.cache?.set(streamName, { state: newState, revision: appended.revision });
      return { events, state: newState, revision: appended.revision, position: appended.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
      await backOff(attempt);
    }
  }
}

/**
 * A random pause, growing with each conflict in a row (up to 2, 4, 8 … 100 ms). Another process
 * that has just appended to the stream trusts its cached state and appends again at once, while
 * this one must read first: without a pause it can lose every race for as long as the other has
 * commands queued for the stream.
 */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The stream's current state and revision: from the cache plus what came after, or from scratch. */
export async function readState<Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  toDomainEvent: (stored: StoredEvent) => Event = defaultToDomainEvent<Event>,
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
    if (error instanceof StreamNotFoundError) return start;
    throw error;
  }
  if (stored.length === 0) return start;
  const current: CachedState<State> = {
    state: stored.reduce(
      (state, event) => decider.evolve(state, toDomainEvent(event)),
      start.state,
    ),
    revision: stored[stored.length - 1].revision,
  };
  cache?.set(streamName, current);
  return current;
}

function defaultToDomainEvent<Event extends DomainEvent>(stored: StoredEvent): Event {
  return { type: stored.type, data: stored.data } as Event;
}
