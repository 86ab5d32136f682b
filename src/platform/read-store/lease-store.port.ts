/**
 * A named, expiring right to do something alone (run the projections). Held by one holder until
 * it expires; renewed by that holder only; taken over by another once expired.
 */
export interface Lease {
  name: string;
  holder: string;
  /**
   * When it lapses unless renewed, by the store's clock: the one it was given, except that on
   * MongoDB real time is the server's (`$$NOW`), so machines whose clocks disagree still agree.
   */
  expiresAt: Date;
}

/** Leases, timed by the store's clock (see `Lease.expiresAt`). */
export interface LeaseStore {
  /**
   * Takes the lease for `holder` until `ttlMs` from now, atomically: when nobody holds it, when
   * it expired, or when `holder` already has it. Null, changing nothing, while another holds it.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | null>;
  /**
   * Extends the lease to `ttlMs` from now, only while `holder` still has it (an expired lease no
   * one has taken since is still its own); false when another took it or it was released.
   */
  renewLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it, so that another can take it at once. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The lease as stored (possibly expired), or null when nobody has taken it. */
  lease(name: string): Promise<Lease | null>;
}
