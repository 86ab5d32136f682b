import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../event-store/event-store.port';

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
 * A running SHA-256 over the event hashes in `$all` order: each event's hash folded into the
 * hash of everything before it. Two logs agree on it only if they hold the same events in the
 * same order, so a removed stream, a cut-off stream tail or a reordering all change it.
 */
export class LogDigest {
  private state: DigestState;

  constructor(from: DigestState = EMPTY_LOG) {
    this.state = { ...from };
  }

  add(event: StoredEvent): void {
    const { eventCount, streamCount, logHash } = this.state;
    this.state = {
      position: event.position,
      eventCount: eventCount + 1,
      streamCount: streamCount + (event.revision === 0n ? 1 : 0),
      logHash: createHash('sha256').update(logHash).update(event.metadata.hash).digest('hex'),
    };
  }

  get current(): DigestState {
    return this.state;
  }
}
