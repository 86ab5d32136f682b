import type { EventStore } from '../../event-store/event-store.port';
import { WrongExpectedVersionError } from '../../event-store/event-store.errors';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import {
  SlotsFull,
  slotsDecider,
  type SlotsCommand,
  type SlotsEvent,
  type SlotsState,
} from '../../../test/helpers/fixtures/slots.decider';
import { handleCommand } from './handle-command';
import { StreamStateCache } from './stream-state-cache';

const context = { actor: 'operator', correlationId: 'c', causationId: 'c', commandId: 'c' };

type Options = Parameters<typeof handleCommand<SlotsCommand, SlotsEvent, SlotsState>>[5];

let store: EventStore;

/** Runs one command on the toy slots stream. */
const slots = (command: SlotsCommand, options?: Options) =>
  handleCommand(store, 'slots-1', slotsDecider, command, context, options);

describe('handleCommand', () => {
  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
  });

  afterEach(() => store.close());

  it('creates a new stream and appends what was decided', async () => {
    const result = await slots({ type: 'Open', limit: 2 });
    expect(result).toMatchObject({
      revision: 0n,
      position: 1n,
      state: { limit: 2, claimants: [] },
    });
    expect((await store.readStream('slots-1')).map((e) => e.type)).toEqual(['SlotsOpened']);
  });

  it('folds the stream and appends at the revision it read', async () => {
    await slots({ type: 'Open', limit: 2 });
    const result = await slots({ type: 'Claim', claimant: 'a' });
    expect(result.revision).toBe(1n);
    expect(result.state.claimants).toEqual(['a']);
  });

  it('appends nothing when the decision is empty', async () => {
    await slots({ type: 'Open', limit: 2 });
    const result = await slots({ type: 'Open', limit: 9 });
    expect(result).toMatchObject({ events: [], revision: 0n });
    expect(result.position).toBeUndefined();
    expect(await store.headPosition()).toBe(1n);
  });

  it('lets a domain error through and writes nothing', async () => {
    await expect(slots({ type: 'Claim', claimant: 'a' })).rejects.toThrow('Not open');
    expect(await store.headPosition()).toBe(0n);
  });

  it('re-reads and re-decides after a conflict, so concurrent commands never exceed the rule', async () => {
    await slots({ type: 'Open', limit: 3 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        handleCommand(
          store,
          'slots-1',
          slotsDecider,
          { type: 'Claim', claimant: `c${n}` },
          context,
          {
            maxAttempts: 10,
          },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(SlotsFull);
    expect(await store.readStream('slots-1')).toHaveLength(4);
  });

  it('gives up with the conflict after maxAttempts', async () => {
    await slots({ type: 'Open', limit: 10 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, n) =>
        handleCommand(
          store,
          'slots-1',
          slotsDecider,
          { type: 'Claim', claimant: `c${n}` },
          context,
          {
            maxAttempts: 1,
          },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
    }
  });

  it('upcasts stored events before folding them', async () => {
    await store.appendToStream(
      'slots-1',
      [{ type: 'SlotsOpened', data: { max: 1 }, schemaVersion: 0 }],
      {
        expectedRevision: 'no_stream',
        context,
      },
    );
    const result = await handleCommand(
      store,
      'slots-1',
      slotsDecider,
      { type: 'Claim', claimant: 'a' },
      context,
      {
        toDomainEvent: (stored): SlotsEvent =>
          stored.type === 'SlotsOpened' && stored.metadata.schemaVersion === 0
            ? { type: 'SlotsOpened', data: { limit: (stored.data as { max: number }).max } }
            : ({ type: stored.type, data: stored.data } as SlotsEvent),
      },
    );
    expect(result.state).toEqual({ limit: 1, claimants: ['a'] });
  });
});

describe('handleCommand with a trusted cache', () => {
  let cache: StreamStateCache<SlotsState>;
  const trusting = {
    trustCache: true,
    get cache() {
      return cache;
    },
  };

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
    cache = new StreamStateCache<SlotsState>();
  });

  afterEach(() => store.close());

  it('decides on the cached state without reading the stream', async () => {
    await slots({ type: 'Open', limit: 3 }, trusting);
    const reads = jest.spyOn(store, 'readStream');
    await slots({ type: 'Claim', claimant: 'a' }, trusting);
    expect(reads).not.toHaveBeenCalled();
    expect(cache.get('slots-1')?.revision).toBe(1n);
  });

  it('catches up through the expected revision when another writer appended meanwhile', async () => {
    await slots({ type: 'Open', limit: 2 }, trusting);
    await slots({ type: 'Claim', claimant: 'other' });
    const result = await slots({ type: 'Claim', claimant: 'a' }, trusting);
    expect(result.state.claimants).toEqual(['other', 'a']);
    await expect(slots({ type: 'Claim', claimant: 'b' }, trusting)).rejects.toBeInstanceOf(
      SlotsFull,
    );
  });

  it('believes a refusal only after a fresh read', async () => {
    // The cache last saw the stream before anything was written; another writer opened it since.
    cache.set('slots-1', { state: slotsDecider.initialState(), revision: 'no_stream' });
    await slots({ type: 'Open', limit: 1 });
    const result = await slots({ type: 'Claim', claimant: 'a' }, trusting);
    expect(result.state).toEqual({ limit: 1, claimants: ['a'] });
  });

  it('believes a no-op only after a fresh read', async () => {
    await slots({ type: 'Open', limit: 2 }, trusting);
    const reads = jest.spyOn(store, 'readStream');
    const result = await slots({ type: 'Open', limit: 2 }, trusting);
    expect(result.events).toEqual([]);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
