import { FixedWindowStorage } from './fixed-window-storage';

describe('FixedWindowStorage', () => {
  let now: number;
  let storage: FixedWindowStorage;
  const hit = (key = 'token:a') => storage.increment(key, 60_000, 2);

  beforeEach(() => {
    now = 1_000_000;
    storage = new FixedWindowStorage(() => now);
  });

  it('allows `limit` hits in a window, then blocks until the window ends', async () => {
    expect(await hit()).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    now += 10_000;
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    now += 500;
    expect(await hit()).toEqual({
      totalHits: 3,
      timeToExpire: 50,
      isBlocked: true,
      timeToBlockExpire: 50,
    });
    now += 49_499;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    now += 1;
    expect(await hit()).toEqual({
      totalHits: 1,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('counts each key apart', async () => {
    await hit('token:a');
    await hit('token:a');
    expect(await hit('token:a')).toMatchObject({ isBlocked: true });
    expect(await hit('ip:10.0.0.1')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('forgets callers whose window has ended', async () => {
    for (let n = 0; n < 100; n++) await hit(`token:${n}`);
    expect(storage.size).toBe(100);
    now += 60_000;
    await hit('token:late');
    expect(storage.size).toBe(1);
  });
});
