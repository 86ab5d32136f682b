import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Decider, DomainEvent } from '../../domain/decider';
import type { EventContext } from '../event-store/event-metadata';
import {
  EVENT_STORE,
  type EventStore,
  type MultiStreamAppendResult,
  type StreamAppend,
} from '../event-store/event-store.port';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import type { CommandContext, IdempotencyClaim } from './command-context';
import { IdempotencyKeyAnswered, idempotencyDecider } from './idempotency-record';
import { CommandUnit, type StateSource } from './command-unit';
import { readState, StreamStateCache, type CachedState } from './stream-states';

export interface ExecuteOptions {
  /** Streams the command will touch: commands sharing one run one at a time in this process. */
  locks?: readonly string[];
  /** Read, decide and append at most this many times when other writers get in first. */
  maxAttempts?: number;
}

/** A command's answer, with the position of its last event ("0" when it wrote nothing). */
export type Answered<Answer> = Answer & { position: string };

const DEFAULT_ATTEMPTS = 10;

/** Told how each append of a command went (`failure` unset when it was stored): metrics. */
export interface AppendObserver {
  appended(append: { adapter: string; seconds: number; failure?: unknown }): void;
}
export const APPEND_OBSERVER = Symbol('AppendObserver');

/**
 * Runs every command of the service as ONE atomic append: the command reads the streams it needs
 * and decides on each (a CommandUnit), then everything it decided, across its streams, and the
 * answer to its Idempotency-Key go to the store together, each stream expecting the revision it
 * was read at. Either all of it is stored or none, so a crash at any instant leaves nothing to
 * repair. When another writer got in first the append is refused whole and the command is read
 * and decided again.
 *
 * Folded states are cached per decider and trusted at first, so a command on a busy stream
 * usually reads nothing: a stale state of a stream the command writes fails its expected
 * revision, and a refusal, or finding nothing to do on a stream, is believed only after a fresh
 * read. Every state a command rests on is thus either checked by the append or read afresh.
 */
@Injectable()
export class CommandRunner {
  private readonly locks = new KeyedLock();
  private readonly caches = new WeakMap<object, StreamStateCache<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(APPEND_OBSERVER) private readonly observer?: AppendObserver,
  ) {}

  execute<Answer extends object>(
    context: CommandContext,
    work: (unit: CommandUnit) => Promise<Answer>,
    { locks = [], maxAttempts = DEFAULT_ATTEMPTS }: ExecuteOptions = {},
  ): Promise<Answered<Answer>> {
    return this.locks.runAll(locks, () => this.attempt(context, work, maxAttempts));
  }

  /** The usual command: one decision on one stream, under that stream's lock. */
  decideOn<Command, Event extends DomainEvent, State>(
    context: CommandContext,
    streamName: string,
    decider: Decider<Command, Event, State>,
    command: Command,
  ): Promise<Answered<object>> {
    return this.execute(
      context,
      async (unit) => {
        await unit.decide(streamName, decider, command);
        return {};
      },
      { locks: [streamName] },
    );
  }

  /** The current state of a stream, without deciding anything. */
  read<Event extends DomainEvent, State>(
    streamName: string,
    decider: Decider<never, Event, State>,
  ): Promise<CachedState<State>> {
    return readState(this.store, streamName, decider, this.cacheFor(decider));
  }

  private async attempt<Answer extends object>(
    context: CommandContext,
    work: (unit: CommandUnit) => Promise<Answer>,
    maxAttempts: number,
  ): Promise<Answered<Answer>> {
    const { idempotency, ...eventContext } = context;
    // Every event of a keyed command names its key's stream as cause, so verify can tell that
    // the answer recorded there is still in the log.
    const appendContext = idempotency
      ? { ...eventContext, causationId: idempotency.streamName }
      : eventContext;
    let trusting = true;
    for (let attempt = 1; ; attempt++) {
      const source = this.stateSource(trusting);
      const unit = new CommandUnit(source);
      let answer: Answer;
      try {
        if (idempotency) await this.refuseIfAnswered(unit, idempotency);
        answer = await work(unit);
        if (idempotency) await this.recordAnswer(unit, idempotency, answer);
      } catch (error) {
        if (error instanceof IdempotencyKeyAnswered) throw error;
        // Only a fresh read may refuse a command.
        if (source.cached.size > 0) {
          trusting = false;
          attempt--;
          continue;
        }
        // The refusal may be this key's own effect, appended by another process since the key
        // was read: then the key's answer is this request's answer too.
        if (idempotency) {
          const { state } = await this.read(idempotency.streamName, idempotencyDecider);
          if (state.status === 'answered') throw new IdempotencyKeyAnswered();
        }
        throw error;
      }
      const appends = unit.appends();
      // The append checks only the streams it writes: a cached state the command wrote nothing
      // on (nothing to do there, it found) must be read afresh before it is believed.
      const written = new Set(appends.map((append) => append.streamName));
      if ([...source.cached].some((streamName) => !written.has(streamName))) {
        trusting = false;
        attempt--;
        continue;
      }
      if (appends.length === 0) return { ...answer, position: '0' };
      try {
        const { position, revisions } = await this.append(appends, appendContext);
        unit.committed(revisions);
        if (idempotency) idempotency.recorded = true;
        return { ...answer, position: position.toString() };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
        trusting = false;
        await backOff(attempt);
      }
    }
  }

  /** Every append of the service goes through here, so this is where appends are timed. */
  private async append(
    appends: readonly StreamAppend[],
    context: EventContext,
  ): Promise<MultiStreamAppendResult> {
    const start = process.hrtime.bigint();
    let failure: unknown;
    try {
      return await this.store.appendToStreams(appends, { context });
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.observer?.appended({ adapter: this.store.adapter, seconds, failure });
    }
  }

  private async refuseIfAnswered(unit: CommandUnit, claim: IdempotencyClaim): Promise<void> {
    const state = await unit.read(claim.streamName, idempotencyDecider);
    if (state.status === 'answered') throw new IdempotencyKeyAnswered();
  }

  private async recordAnswer(
    unit: CommandUnit,
    { streamName, requestHash, statusCode }: IdempotencyClaim,
    body: object,
  ): Promise<void> {
    const effects = unit.effects();
    await unit.decide(streamName, idempotencyDecider, {
      type: 'RecordAnswer',
      requestHash,
      statusCode,
      body,
      effects,
    });
  }

  /** States from the cache (when trusting) or the store; `cached` names the streams trusted. */
  private stateSource(trusting: boolean): StateSource & { cached: Set<string> } {
    const source = {
      cached: new Set<string>(),
      load: async (streamName: string, decider: Decider<never, DomainEvent, unknown>) => {
        const cache = this.cacheFor(decider);
        const cached = trusting ? cache.get(streamName) : undefined;
        if (cached) {
          source.cached.add(streamName);
          return cached;
        }
        return readState(this.store, streamName, decider, cache);
      },
      remember: (
        streamName: string,
        decider: Decider<never, DomainEvent, unknown>,
        entry: CachedState<unknown>,
      ) => this.cacheFor(decider).set(streamName, entry),
    };
    return source;
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

/**
 * Runs tasks one at a time per key, in arrival order. Commands on one stream in this process
 * queue here instead of racing to the store and retrying on conflicts; other processes are still
 * kept honest by the expected revision of each append.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Holds every key for the task; keys are taken in sorted order, so two tasks never deadlock. */
  runAll<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const hold = (index: number): Promise<T> =>
      index === sorted.length ? task() : this.run(sorted[index], () => hold(index + 1));
    return hold(0);
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
