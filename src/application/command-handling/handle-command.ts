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

export interface HandleCommandOptions<Event extends DomainEvent> {
  /** Read, decide and append at most this many times when other writers get in first. */
  maxAttempts?: number;
  /** Turns a stored event into the domain's current shape; upcasters live here. */
  toDomainEvent?: (stored: StoredEvent) => Event;
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

const DEFAULT_ATTEMPTS = 5;

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
  options: HandleCommandOptions<Event> = {},
): Promise<CommandResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_ATTEMPTS;
  const toDomainEvent = options.toDomainEvent ?? defaultToDomainEvent<Event>;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await readState(store, streamName, decider, toDomainEvent);
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision };
    try {
      const appended = await store.appendToStream(streamName, events, {
        expectedRevision: revision,
        context,
      });
      return {
        events,
        state: events.reduce(decider.evolve, state),
        revision: appended.revision,
        position: appended.position,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
    }
  }
}

async function readState<Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<unknown, Event, State>,
  toDomainEvent: (stored: StoredEvent) => Event,
): Promise<{ state: State; revision: ExpectedRevision }> {
  let stored: StoredEvent[];
  try {
    stored = await store.readStream(streamName);
  } catch (error) {
    if (error instanceof StreamNotFoundError) {
      return { state: decider.initialState(), revision: NO_STREAM };
    }
    throw error;
  }
  const state = stored.reduce(
    (current, event) => decider.evolve(current, toDomainEvent(event)),
    decider.initialState(),
  );
  return { state, revision: stored[stored.length - 1].revision };
}

function defaultToDomainEvent<Event extends DomainEvent>(stored: StoredEvent): Event {
  return { type: stored.type, data: stored.data } as Event;
}
