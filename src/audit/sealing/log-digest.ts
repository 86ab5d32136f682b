import { createHash, type Hash } from 'node:crypto';
import type { StoredEvent } from '../../platform/event-store/event-store.port';

/** What a seal records: how far the log went, how much of it there was, and its running hash. */
export interface DigestState {
  position: bigint;
  eventCount: number;
  streamCount: number;
  logHash: string;
}

export const EMPTY_LOG: DigestState = {
  position: 0n,
  eventCount: 0,
  streamCount: 0,
  logHash: '0'.repeat(64),
};

/**
 * The running hash of the log, a segment per seal: SHA-256 over the previous seal's log hash
 * followed by the hashes of the events after it in `$all` order. Two logs agree on it only if they
 * hold the same events in the same order, so a removed stream, a cut-off stream tail or a
 * reordering all change it. One hash per segment (not per event) keeps it cheap.
 */
export class LogDigest {
  private hash: Hash;
  private state: DigestState;

  /** Continues from a seal's state; from the empty log by default. */
  constructor(from: DigestState = EMPTY_LOG) {
    this.state = { ...from };
    this.hash = createHash('sha256').update(from.logHash);
  }

  add(event: StoredEvent): void {
    this.hash.update(event.metadata.hash);
    this.state.position = event.position;
    this.state.eventCount++;
    if (event.revision === 0n) this.state.streamCount++;
  }

  /** Ends the segment here: the state a seal at this point records, and the next one builds on. */
  close(): DigestState {
    const logHash = this.hash.digest('hex');
    this.state = { ...this.state, logHash };
    this.hash = createHash('sha256').update(logHash);
    return { ...this.state };
  }

  /** Where the log has got to, without closing the segment. */
  get position(): bigint {
    return this.state.position;
  }

  get eventCount(): number {
    return this.state.eventCount;
  }
}
