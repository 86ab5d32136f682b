/** Where a stream ends: its key, its last revision and the hash of its last event (-1, null: none). */
export interface StreamTip {
  id: number;
  revision: bigint;
  hash: string | null;
}

/**
 * The tips of recently written streams, so that an append to a stream this process wrote last
 * needs no query before its insert. SQLite's `data_version` tells whether another connection
 * committed since this one last looked: it is read at the start of each write transaction, under
 * the write lock, and any change empties the cache. Bounded by two generations of `capacity`
 * streams each: when the newer fills up, the older is dropped whole (deleting a Map's oldest key
 * one at a time costs more than the query it saves).
 */
export class StreamTips {
  private newer = new Map<string, StreamTip>();
  private older = new Map<string, StreamTip>();
  private dataVersion: number | undefined;

  constructor(private readonly capacity = 10_000) {}

  /** At the start of a write transaction, with the database's `data_version` read in it. */
  beginWrite(dataVersion: number): void {
    if (dataVersion !== this.dataVersion) this.forget();
    this.dataVersion = dataVersion;
  }

  get(streamName: string): StreamTip | undefined {
    return this.newer.get(streamName) ?? this.older.get(streamName);
  }

  /** After the append that moved the tip has been written. */
  set(streamName: string, tip: StreamTip): void {
    if (this.newer.size >= this.capacity && !this.newer.has(streamName)) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(streamName, tip);
    this.older.delete(streamName);
  }

  /** A write transaction failed: what was set during it may not be in the file. */
  forget(): void {
    this.newer.clear();
    this.older.clear();
    this.dataVersion = undefined;
  }
}
