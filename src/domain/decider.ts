/**
 * A domain event as the domain sees it: a `type` literal and plain JSON data. Unions of these,
 * discriminated by `type`, are the events of each context.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * The whole of one consistency boundary's behaviour, with no I/O: `decide` answers a command with
 * the events it causes (or throws a domain error), `evolve` folds one event into the state, and
 * `initialState` is the state of a stream with no events.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The state after `events`, starting from the decider's initial state. */
export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
