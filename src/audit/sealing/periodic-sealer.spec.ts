import { ConsoleLogger, Logger } from '@nestjs/common';
import { FixedClock } from '../../platform/clock';
import type { LogSealer } from './log-sealer';
import { PeriodicSealer } from './periodic-sealer';

const HOUR = 3_600_000;
const record = { sealedPosition: '1', eventCount: 1, logHash: 'h' };

function sealerOf(seal: jest.Mock): LogSealer {
  return { seal } as unknown as LogSealer;
}

describe('PeriodicSealer', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('seals once enough events have gone by, one seal at a time, and retries a failed one', async () => {
    let release!: () => void;
    const seal = jest
      .fn()
      .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(record))))
      .mockRejectedValueOnce(new Error('unavailable'))
      .mockResolvedValue(record);
    const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 100, everyMs: 0 });

    periodic.observe(60);
    expect(seal).not.toHaveBeenCalled();
    periodic.observe(50);
    expect(seal).toHaveBeenCalledTimes(1);
    periodic.observe(500); // a seal is running: counted, not started
    expect(seal).toHaveBeenCalledTimes(1);
    release();
    await periodic.drain();

    periodic.observe(2); // its own seal's event, and 501 since the last seal began
    await periodic.drain();
    expect(seal).toHaveBeenCalledTimes(2); // that one failed…
    periodic.observe(1); // …so the next batch tries again at once
    await periodic.drain();
    expect(seal).toHaveBeenCalledTimes(3);
  });

  it('does not count its own seal as an event to seal', async () => {
    jest.useFakeTimers({ now: new Date('2025-06-20T02:00:00Z') });
    try {
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 10_000, everyMs: HOUR });
      periodic.observe(3);
      await jest.advanceTimersByTimeAsync(HOUR);
      expect(seal).toHaveBeenCalledTimes(1);
      periodic.observe(1); // the LogSealed event it appended, projected
      await jest.advanceTimersByTimeAsync(3 * HOUR);
      await periodic.close();
      expect(seal).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('by time', () => {
    beforeEach(() => jest.useFakeTimers({ now: new Date('2025-06-20T02:00:00Z') }));
    afterEach(() => jest.useRealTimers());

    it('seals an hour after the last seal when events arrived, even if none came since', async () => {
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 10_000, everyMs: HOUR });

      periodic.observe(3);
      await jest.advanceTimersByTimeAsync(HOUR - 1);
      expect(seal).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(seal).toHaveBeenCalledTimes(1);

      // A quiet hour: nothing arrived, nothing to seal.
      await jest.advanceTimersByTimeAsync(3 * HOUR);
      expect(seal).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);

      // The first event after a quiet spell longer than the period (after the seal's own event,
      // which does not count) is sealed at once.
      periodic.observe(2);
      await jest.advanceTimersByTimeAsync(0);
      expect(seal).toHaveBeenCalledTimes(2);
    });

    it('counts the hour from the last seal, whatever triggered it', async () => {
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 100, everyMs: HOUR });

      await jest.advanceTimersByTimeAsync(HOUR / 2);
      periodic.observe(100); // by count, half an hour in
      await periodic.drain();
      periodic.observe(2); // the seal's own event, and one more
      await jest.advanceTimersByTimeAsync(HOUR - 1);
      expect(seal).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(seal).toHaveBeenCalledTimes(2);
    });

    it('tries a failed seal again when the period is up, with no batch needed', async () => {
      const seal = jest
        .fn()
        .mockRejectedValueOnce(new Error('unavailable'))
        .mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 0, everyMs: HOUR });

      periodic.observe(5);
      await jest.advanceTimersByTimeAsync(HOUR);
      expect(seal).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(HOUR);
      expect(seal).toHaveBeenCalledTimes(2);
    });

    it('measures the period by the clock it is given', async () => {
      const clock = new FixedClock(new Date('2025-06-20T02:00:00Z'));
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(
        sealerOf(seal),
        { everyEvents: 10_000, everyMs: HOUR },
        clock,
      );

      clock.advance(HOUR);
      periodic.observe(1);
      await jest.advanceTimersByTimeAsync(0);
      expect(seal).toHaveBeenCalledTimes(1);
    });

    it('never seals by time when SEAL_EVERY_MS is 0', async () => {
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 100, everyMs: 0 });
      periodic.observe(5);
      await jest.advanceTimersByTimeAsync(24 * HOUR);
      expect(seal).not.toHaveBeenCalled();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('on shutdown', () => {
    it('seals once if events arrived since the last seal, after the one in progress', async () => {
      let release!: () => void;
      const seal = jest
        .fn()
        .mockImplementationOnce(() => new Promise((resolve) => (release = () => resolve(record))))
        .mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 10, everyMs: HOUR });
      periodic.observe(10);
      periodic.observe(2); // arrives while the first seal runs
      const closed = periodic.close();
      release();
      await closed;
      expect(seal).toHaveBeenCalledTimes(2);
    });

    it('does not seal when nothing arrived since the last seal', async () => {
      const seal = jest.fn().mockResolvedValue(record);
      const periodic = new PeriodicSealer(sealerOf(seal), { everyEvents: 10, everyMs: HOUR });
      periodic.observe(10);
      await periodic.close();
      expect(seal).toHaveBeenCalledTimes(1);
      await new PeriodicSealer(sealerOf(seal), { everyEvents: 10, everyMs: HOUR }).close();
      expect(seal).toHaveBeenCalledTimes(1);
    });
  });
});
