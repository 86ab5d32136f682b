import { Logger } from '@nestjs/common';
import { FixedClock } from '../clock';
import type { LeaseStore } from '../read-store/read-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { LeaseKeeper, processHolderId, type LeaseOptions } from './lease-keeper';
import { until } from '../../../test/helpers/until';

const NAME = 'projections';
const T0 = new Date('2025-06-20T02:00:00.000Z').getTime();

describe('LeaseKeeper', () => {
  let clock: FixedClock;
  let store: SqliteReadStore;
  let keepers: LeaseKeeper[];
  /** Every acquireLease call, by holder: a standby's tries, counted to wait for the next one. */
  let tries: jest.SpiedFunction<LeaseStore['acquireLease']>;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(() => {
    clock = new FixedClock(new Date(T0));
    store = new SqliteReadStore({ file: ':memory:', clock });
    tries = jest.spyOn(store, 'acquireLease');
    keepers = [];
  });

  afterEach(async () => {
    await Promise.all(keepers.map((keeper) => keeper.stop()));
    await store.close();
  });

  const triesOf = (holder: string) => tries.mock.calls.filter(([, by]) => by === holder).length;

  /**
   * Resolves once `holder` has finished a whole try begun after this call: ticks run one at a
   * time, so the second try to start began after the first one ended.
   */
  async function nextTryOf(holder: string): Promise<void> {
    const before = triesOf(holder);
    await until(() => triesOf(holder) >= before + 2);
  }

  /** A keeper whose work is a flag: on while it holds the lease. */
  function keeper(holder: string, options: Partial<LeaseOptions> = {}, leases: LeaseStore = store) {
    const work = { running: false, gained: 0, lost: 0 };
    const created = new LeaseKeeper(
      leases,
      NAME,
      { holder, ttlMs: 2_000, renewEveryMs: 50, ...options },
      {
        gained: async () => {
          work.running = true;
          work.gained++;
        },
        lost: async () => {
          work.running = false;
          work.lost++;
        },
      },
      clock,
    );
    keepers.push(created);
    return { keeper: created, work };
  }

  it('the first to start takes the lease and works; the second stands by and does not', async () => {
    const a = keeper('a');
    const b = keeper('b');
    await a.keeper.start();
    await b.keeper.start();
    expect(a.work).toEqual({ running: true, gained: 1, lost: 0 });
    expect(b.work).toEqual({ running: false, gained: 0, lost: 0 });
    expect(a.keeper.status()).toMatchObject({ name: NAME, holder: 'a', holding: true });
    expect(b.keeper.status()).toEqual({ name: NAME, holder: 'b', holding: false });
    expect((await store.lease(NAME))?.holder).toBe('a');
  });

  it('the holder renews the lease, so a standby never gets it while the holder lives', async () => {
    const a = keeper('a', { ttlMs: 2_000 });
    const b = keeper('b', { ttlMs: 2_000 });
    await a.keeper.start();
    await b.keeper.start();
    expect((await store.lease(NAME))?.expiresAt).toEqual(new Date(T0 + 2_000));
    // Three times three quarters of the TTL: past the first expiry, had a not renewed it.
    for (let step = 1; step <= 3; step++) {
      clock.advance(1_500);
      const renewedUntil = T0 + step * 1_500 + 2_000;
      await until(async () => (await store.lease(NAME))?.expiresAt.getTime() === renewedUntil);
      await nextTryOf('b');
    }
    expect(b.work.gained).toBe(0);
    expect(a.work).toEqual({ running: true, gained: 1, lost: 0 });
    expect(a.keeper.status().expiresAt).toBe(new Date(T0 + 4_500 + 2_000).toISOString());
  });

  it('a standby takes over once a holder that stopped renewing (it died) lets the lease expire', async () => {
    const a = keeper('a', { ttlMs: 300 });
    const b = keeper('b', { ttlMs: 300 });
    await a.keeper.start();
    await b.keeper.start();
    await a.keeper.stop();
    clock.advance(299);
    await nextTryOf('b');
    expect(b.work.running).toBe(false);
    clock.advance(1);
    await until(() => b.work.running);
    expect(await store.lease(NAME)).toEqual({
      name: NAME,
      holder: 'b',
      expiresAt: new Date(T0 + 600),
    });
  });

  it('a standby takes over at its next try when the holder releases the lease', async () => {
    const a = keeper('a', { ttlMs: 60_000 });
    const b = keeper('b', { ttlMs: 60_000 });
    await a.keeper.start();
    await b.keeper.start();
    await a.keeper.stop();
    await a.keeper.release();
    expect(a.keeper.status().holding).toBe(false);
    await until(() => b.work.running, 2_000);
    expect((await store.lease(NAME))?.holder).toBe('b');
  });

  it('a holder whose lease was taken stops working at its next renewal, and stands by', async () => {
    const a = keeper('a', { ttlMs: 60_000 });
    await a.keeper.start();
    // As if a paused holder's lease had expired and another process had taken it meanwhile.
    await store.releaseLease(NAME, 'a');
    await store.acquireLease(NAME, 'c', 60_000);
    await until(() => !a.work.running);
    expect(a.work).toEqual({ running: false, gained: 1, lost: 1 });
    await nextTryOf('a');
    expect(a.work.gained).toBe(1);
    expect((await store.lease(NAME))?.holder).toBe('c');
  });

  it('a renewal the store fails counts as lost; the holder takes the lease back once it answers', async () => {
    let failing = false;
    const flaky = new Proxy<LeaseStore>(store, {
      get(target, property, receiver) {
        if (failing && (property === 'renewLease' || property === 'acquireLease')) {
          return () => Promise.reject(new Error('read store unreachable'));
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const a = keeper('a', { ttlMs: 60_000 }, flaky);
    await a.keeper.start();
    failing = true;
    await until(() => a.work.lost === 1);
    expect(a.work.running).toBe(false);
    failing = false;
    await until(() => a.work.running);
    expect(a.work).toEqual({ running: true, gained: 2, lost: 1 });
  });

  it('a store that does not answer in time counts as lost too', async () => {
    let hanging = false;
    const slow = new Proxy<LeaseStore>(store, {
      get(target, property, receiver) {
        if (hanging && (property === 'renewLease' || property === 'acquireLease')) {
          return () => new Promise(() => undefined);
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const a = keeper('a', { ttlMs: 60_000 }, slow);
    await a.keeper.start();
    hanging = true;
    await until(() => a.work.lost === 1);
    expect(a.work.running).toBe(false);
    expect(a.keeper.status().holding).toBe(false);
  });

  it('holder ids name the host and process and differ between keepers of one process', () => {
    const one = processHolderId();
    expect(one.split('/')[1]).toBe(String(process.pid));
    expect(processHolderId()).not.toBe(one);
  });
});
