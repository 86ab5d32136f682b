import type { EventStore } from '../event-store/event-store.port';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import {
  SlotsFull,
  slotsDecider,
  type SlotsCommand,
} from '../../../test/helpers/fixtures/slots.decider';
import type { CommandContext } from './command-context';
import { IdempotencyKeyAnswered } from './idempotency-record';
import { CommandRunner } from './command-runner';

const context: CommandContext = {
  actor: 'operator',
  correlationId: 'req-1',
  causationId: 'cmd-1',
  commandId: 'cmd-1',
};

let store: EventStore;
let runner: CommandRunner;

/** One command on two toy streams: claim a slot on each, or on `only` alone. */
function claimBoth(claimant: string, streams = ['slots-a', 'slots-b'], options = {}) {
  return runner.execute(
    context,
    async (unit) => {
      for (const stream of streams) {
        await unit.decide(stream, slotsDecider, { type: 'Claim', claimant } as SlotsCommand);
      }
      return { claimant };
    },
    { locks: streams, ...options },
  );
}

async function open(stream: string, limit: number) {
  await runner.execute(context, async (unit) => {
    await unit.decide(stream, slotsDecider, { type: 'Open', limit });
    return {};
  });
}

const typesOf = async (stream: string) => (await store.readStream(stream)).map((e) => e.type);

describe('CommandRunner', () => {
  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
    runner = new CommandRunner(store);
  });

  afterEach(() => store.close());

  it('appends what a command decided on several streams as one commit, answering its last position', async () => {
    await open('slots-a', 2);
    await open('slots-b', 2);
    const answer = await claimBoth('siti');
    expect(answer).toEqual({ claimant: 'siti', position: '4' });
    expect(await typesOf('slots-a')).toEqual(['SlotsOpened', 'SlotClaimed']);
    expect(await typesOf('slots-b')).toEqual(['SlotsOpened', 'SlotClaimed']);
    const [a, b] = [(await store.readStream('slots-a'))[1], (await store.readStream('slots-b'))[1]];
    expect(a.metadata.commandId).toBe(b.metadata.commandId);
    expect(a.metadata.recordedAt).toBe(b.metadata.recordedAt);
  });

  it('writes nothing anywhere when the decision on one stream refuses', async () => {
    await open('slots-a', 5);
    await open('slots-b', 1);
    await claimBoth('siti', ['slots-b']);
    const head = await store.headPosition();
    await expect(claimBoth('aminah')).rejects.toBeInstanceOf(SlotsFull);
    expect(await store.headPosition()).toBe(head);
  });

  it('answers position "0" and writes nothing when the command changes nothing', async () => {
    await open('slots-a', 2);
    const head = await store.headPosition();
    await expect(
      runner.execute(context, async (unit) => {
        await unit.decide('slots-a', slotsDecider, { type: 'Open', limit: 9 });
        return {};
      }),
    ).resolves.toEqual({ position: '0' });
    expect(await store.headPosition()).toBe(head);
  });

  it('decides again on fresh states when another process appended in between, never exceeding a rule', async () => {
    await open('slots-a', 3);
    await open('slots-b', 10);
    // Two runners on one store: two processes, each with its own cache and locks.
    const other = new CommandRunner(store);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, n) =>
        (n % 2 ? runner : other).execute(
          context,
          async (unit) => {
            for (const stream of ['slots-a', 'slots-b']) {
              await unit.decide(stream, slotsDecider, { type: 'Claim', claimant: `c${n}` });
            }
            return {};
          },
          { locks: ['slots-a', 'slots-b'] },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(SlotsFull);
    expect(await store.readStream('slots-a')).toHaveLength(4);
    // Every claim on b came with its claim on a, in the same commit.
    expect(await store.readStream('slots-b')).toHaveLength(4);
  });

  it('gives up with the conflict after maxAttempts', async () => {
    await open('slots-a', 10);
    const racers = Array.from({ length: 4 }, () => new CommandRunner(store));
    const outcomes = await Promise.allSettled(
      racers.map((racer, n) =>
        racer.execute(
          context,
          async (unit) => {
            await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant: `c${n}` });
            return {};
          },
          { maxAttempts: 1 },
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersionError);
    }
  });

  it('decides on a cached state without reading, and believes a refusal only after a fresh read', async () => {
    await open('slots-a', 1);
    const reads = jest.spyOn(store, 'readStream');
    await claimBoth('siti', ['slots-a']);
    expect(reads).not.toHaveBeenCalled();
    // Another process frees nothing, but appends to the stream: the cache is now stale.
    const other = new CommandRunner(store);
    await other.execute(context, async (unit) => {
      await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant: 'siti' });
      return {};
    });
    await expect(claimBoth('aminah', ['slots-a'])).rejects.toBeInstanceOf(SlotsFull);
    expect(reads).toHaveBeenCalled();
  });

  it('reads afresh a cached stream it decided nothing on, since the append does not check it', async () => {
    await open('slots-a', 5);
    await open('slots-b', 5);
    const other = new CommandRunner(store);
    // This runner has slots-b cached with no claimant; the other process claims one since.
    await runner.read('slots-b', slotsDecider);
    await other.execute(context, async (unit) => {
      await unit.decide('slots-b', slotsDecider, { type: 'Claim', claimant: 'siti' });
      return {};
    });
    // Claim on a only while b has no claimant: a decision resting on b without writing b.
    const claimAIfBEmpty = () =>
      runner.execute(context, async (unit) => {
        const b = await unit.read('slots-b', slotsDecider);
        if (b.claimants.length > 0) throw new SlotsFull('b is taken');
        await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant: 'aminah' });
        return {};
      });
    await expect(claimAIfBEmpty()).rejects.toBeInstanceOf(SlotsFull);
    expect(await typesOf('slots-a')).toEqual(['SlotsOpened']);
  });

  describe('with an Idempotency-Key', () => {
    const keyed = (streamName = 'idempotency-k1'): CommandContext => ({
      ...context,
      idempotency: { streamName, requestHash: 'h1', statusCode: 201 },
    });

    it('records the answer in the same commit, naming every effect, with the key as cause', async () => {
      await open('slots-a', 2);
      const claim = keyed();
      const answer = await runner.execute(claim, async (unit) => {
        await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant: 'siti' });
        return { claimant: 'siti' };
      });
      expect(claim.idempotency?.recorded).toBe(true);
      const [record] = await store.readStream('idempotency-k1');
      expect(record.position.toString()).toBe(answer.position);
      expect(record.data).toEqual({
        requestHash: 'h1',
        statusCode: 201,
        body: { claimant: 'siti' },
        effects: [{ streamName: 'slots-a', revision: '1' }],
      });
      const [, claimed] = await store.readStream('slots-a');
      expect(claimed.metadata).toMatchObject({
        causationId: 'idempotency-k1',
        commandId: record.metadata.commandId,
      });
    });

    it('takes effect once when two processes run one key at once: the other is told it is answered', async () => {
      await open('slots-a', 10);
      const outcomes = await Promise.allSettled(
        [runner, new CommandRunner(store)].map((racer, n) =>
          racer.execute(keyed(), async (unit) => {
            await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant: `c${n}` });
            return {};
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(IdempotencyKeyAnswered);
      expect(await store.readStream('slots-a')).toHaveLength(2);
      expect(await store.readStream('idempotency-k1')).toHaveLength(1);
    });

    it('answers "key answered", not the refusal, when the refusal is the key’s own effect from another process', async () => {
      const other = new CommandRunner(store);
      await other.execute(context, async (unit) => {
        await unit.decide('slots-a', slotsDecider, { type: 'Open', limit: 1 });
        return {};
      });
      const claim = (racer: CommandRunner, claimant: string, beforeDeciding = async () => {}) =>
        racer.execute(keyed(), async (unit) => {
          await beforeDeciding();
          await unit.decide('slots-a', slotsDecider, { type: 'Claim', claimant });
          return {};
        });
      // This runner has read the key (unanswered) when the other process commits the same key,
      // taking the last slot: deciding afresh, this one is refused (SlotsFull).
      const outcome = claim(runner, 'siti', async () => {
        await claim(other, 'aminah');
      });
      await expect(outcome).rejects.toBeInstanceOf(IdempotencyKeyAnswered);
      expect(await store.readStream('slots-a')).toHaveLength(2);
    });

    it('records the answer alone when the command changed nothing', async () => {
      await open('slots-a', 2);
      const answer = await runner.execute(keyed(), async (unit) => {
        await unit.decide('slots-a', slotsDecider, { type: 'Open', limit: 2 });
        return {};
      });
      expect(await typesOf('idempotency-k1')).toEqual(['IdempotentRequestAnswered']);
      expect(answer.position).toBe((await store.headPosition()).toString());
    });
  });
});
