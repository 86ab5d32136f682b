import { AppendsInFlight } from '../event-store/appends-in-flight';
import { appendToOneStream } from '../event-store/append-to-stream';
import { EventStoreUnavailableError } from '../event-store/event-store.errors';
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
} from '../event-store/event-store.port';
import { PersonalDataCodec, type KeyLookup } from './personal-data-codec';

/**
 * The event store the application uses: the ledger's store (`ledger`) with personal fields
 * encrypted on their way in and decrypted on their way out. The ledger computes its hashes and
 * seals over what it stores, the ciphertext, so they still verify once a key is destroyed; a
 * field of a destroyed key reads as ERASED_TEXT, and an append that needs one is refused with
 * PersonalDataErasedError before anything is written.
 */
export class PersonalDataEventStore implements EventStore {
  private readonly codec: PersonalDataCodec;
  /** Appends under way (encrypting, or in the ledger): `close` lets them finish first. */
  private readonly appending = new AppendsInFlight();
  private closing?: Promise<void>;

  constructor(
    readonly ledger: EventStore,
    keyStore: KeyLookup,
    /** Runs once the ledger is closed, e.g. closing a key store opened for this store alone. */
    private readonly afterClose: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.codec = new PersonalDataCodec(keyStore);
  }

  get adapter(): string {
    return this.ledger.adapter;
  }

  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return appendToOneStream(this, streamName, events, options);
  }

  appendToStreams(
    appends: readonly StreamAppend[],
    options: MultiStreamAppendOptions,
  ): Promise<MultiStreamAppendResult> {
    return this.inFlight(async () => {
      // One key lookup for the whole commit, then each stream takes its events back.
      const encrypted = await this.codec.encryptEvents(appends.flatMap((append) => append.events));
      let next = 0;
      const encryptedAppends = appends.map((append) => {
        const events = encrypted.slice(next, next + append.events.length);
        next += append.events.length;
        return { ...append, events };
      });
      return this.ledger.appendToStreams(encryptedAppends, options);
    });
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.codec.decryptEvents(await this.ledger.readStream(streamName, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.codec.decryptEvents(await this.ledger.readAll(options));
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return new DecryptingSubscription(this.ledger.subscribeToAll(options), this.codec);
  }

  headPosition(): Promise<bigint> {
    return this.ledger.headPosition();
  }

  countEventsAfter(after: bigint, limit: number): Promise<number> {
    return this.ledger.countEventsAfter(after, limit);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.appending.settled();
      await this.ledger.close();
      await this.afterClose();
    })();
    return this.closing;
  }

  /** Runs an append, which `close` waits for; refused once closing, as the ledger would. */
  private async inFlight<Result>(append: () => Promise<Result>): Promise<Result> {
    if (this.closing) throw new EventStoreUnavailableError('The event store is closed');
    return this.appending.track(append());
  }
}

/** The ledger's subscription, each batch decrypted with one key lookup before it is handed on. */
class DecryptingSubscription implements Subscription {
  constructor(
    private readonly inner: Subscription,
    private readonly codec: PersonalDataCodec,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<readonly StoredEvent[]> {
    for await (const batch of this.inner) yield await this.codec.decryptEvents(batch);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
