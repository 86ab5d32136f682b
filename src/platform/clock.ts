/** Time comes in from outside so that domain code and tests stay deterministic. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(to: Date): void {
    this.current = to;
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
