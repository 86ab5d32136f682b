/** Wakes the subscriptions of this process when an append commits, instead of letting them poll. */
export class AppendSignal {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  wait(timeoutMs: number, cancel: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (cancel.aborted) return resolve();
      const wake = (): void => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      cancel.addEventListener('abort', wake);
      this.waiters.add(wake);
    });
  }
}
