/**
 * The appends under way, which a store's close() lets finish: cancelling one would leave its
 * outcome unknown.
 */
export class AppendsInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks the append until it settles, and answers it unchanged. */
  track<T>(append: Promise<T>): Promise<T> {
    this.pending.add(append);
    const settled = () => this.pending.delete(append);
    append.then(settled, settled);
    return append;
  }

  /** Resolves once every append tracked so far has settled, whatever its outcome. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
