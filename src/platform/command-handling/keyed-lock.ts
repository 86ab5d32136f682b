/**
 * Runs tasks one at a time per key, in arrival order. Commands on one stream in this process
 * queue here instead of racing to the store and retrying on conflicts; other processes are still
 * kept honest by the expected revision of each append.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Holds every key for the task; keys are taken in sorted order, so two tasks never deadlock. */
  runAll<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const hold = (index: number): Promise<T> =>
      index === sorted.length ? task() : this.run(sorted[index], () => hold(index + 1));
    return hold(0);
  }
}
