import type { ExpectedRevision } from '../event-store/event-store.port';

export interface CachedState<State> {
  state: State;
  revision: ExpectedRevision;
}

/**
 * The folded state of recently used streams, so a busy stream (a yearly quota) is not re-read
 * from its first event on every command: only the events after the cached revision are read.
 * Least recently used entries are dropped past `capacity`. States must be immutable.
 */
export class StreamStateCache<State> {
  private readonly entries = new Map<string, CachedState<State>>();

  constructor(private readonly capacity = 10_000) {}

  get(streamName: string): CachedState<State> | undefined {
    const entry = this.entries.get(streamName);
    if (entry) {
      this.entries.delete(streamName);
      this.entries.set(streamName, entry);
    }
    return entry;
  }

  set(streamName: string, entry: CachedState<State>): void {
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
