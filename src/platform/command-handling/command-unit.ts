import type { Decider, DomainEvent } from '../../domain/decider';
import {
  NO_STREAM,
  type ExpectedRevision,
  type StreamAppend,
} from '../event-store/event-store.port';
import type { CachedState } from './stream-states';

type AnyDecider = Decider<never, DomainEvent, unknown>;

/** Where a unit gets a stream's state, and tells what it committed. */
export interface StateSource {
  load(streamName: string, decider: AnyDecider): Promise<CachedState<unknown>>;
  remember(streamName: string, decider: AnyDecider, entry: CachedState<unknown>): void;
}

interface StreamWork {
  decider: AnyDecider;
  state: unknown;
  /** The revision the state was read at: the append expects exactly this. */
  revision: ExpectedRevision;
  events: DomainEvent[];
}

/**
 * One attempt at a command: the streams it read and what it decided on each. Nothing is written
 * here; the runner appends every decision of the unit in one atomic append, each stream at the
 * revision it was read at, so a decision made on a state another writer changed meanwhile is
 * refused whole.
 */
export class CommandUnit {
  private readonly streams = new Map<string, StreamWork>();
  /** Streams in the order the unit first decided events on them: the order of the append. */
  private readonly written: string[] = [];

  constructor(private readonly source: StateSource) {}

  /** The stream's state (read once per unit; later calls see this unit's own decisions). */
  async read<Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<never, Event, State>,
  ): Promise<State> {
    return (await this.work(streamName, decider)).state as State;
  }

  /** A stream this unit creates under a fresh id: nothing to read, and it must not exist. */
  create(streamName: string, decider: Decider<never, DomainEvent, unknown>): void {
    this.streams.set(streamName, {
      decider,
      state: decider.initialState(),
      revision: NO_STREAM,
      events: [],
    });
  }

  /** Decides `command` on the stream's state; the events go into this unit's append. */
  async decide<Command, Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
  ): Promise<State> {
    const work = await this.work(streamName, decider as Decider<never, Event, State>);
    const events = decider.decide(command, work.state as State);
    if (events.length > 0 && work.events.length === 0) this.written.push(streamName);
    work.state = events.reduce(decider.evolve, work.state as State);
    work.events.push(...events);
    return work.state as State;
  }

  /** What to append, stream by stream in the order the unit first decided events on them. */
  appends(): StreamAppend[] {
    return this.written.map((streamName) => {
      const work = this.streams.get(streamName) as StreamWork;
      return { streamName, expectedRevision: work.revision, events: work.events };
    });
  }

  /** Every event this unit will append, by stream and revision. */
  effects(): { streamName: string; revision: string }[] {
    return this.appends().flatMap(({ streamName, expectedRevision, events }) => {
      const first = expectedRevision === NO_STREAM ? 0n : (expectedRevision as bigint) + 1n;
      return events.map((_, index) => ({ streamName, revision: String(first + BigInt(index)) }));
    });
  }

  /** After the append: the new states, at the revisions the store gave, for the next command. */
  committed(revisions: readonly bigint[]): void {
    this.appends().forEach(({ streamName }, index) => {
      const work = this.streams.get(streamName) as StreamWork;
      this.source.remember(streamName, work.decider, {
        state: work.state,
        revision: revisions[index],
      });
    });
  }

  private async work(streamName: string, decider: AnyDecider): Promise<StreamWork> {
    let work = this.streams.get(streamName);
    if (!work) {
      const { state, revision } = await this.source.load(streamName, decider);
      work = { decider, state, revision, events: [] };
      this.streams.set(streamName, work);
    }
    return work;
  }
}
