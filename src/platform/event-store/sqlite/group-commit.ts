/** The outcome of one request in a batch: its result, or the error that refused it alone. */
export type Outcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

interface Pending<Request, Result> {
  request: Request;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the requests that arrive within one turn of the event loop and hands them to
 * `commit` together, so that one durable commit (one fsync) serves them all. `commit` runs them
 * in one transaction and reports each request's own outcome; if it throws, the whole batch failed
 * and every request in it is rejected with that error.
 */
export class GroupCommit<Request, Result> {
  private pending: Pending<Request, Result>[] = [];
  private scheduled = false;

  constructor(private readonly commit: (requests: Request[]) => Outcome<Result>[]) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is waiting now; used on close so that no accepted request is dropped. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: Outcome<Result>[];
    try {
      outcomes = this.commit(batch.map((item) => item.request));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
