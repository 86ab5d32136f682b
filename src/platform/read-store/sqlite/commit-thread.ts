import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CheckpointMovedError } from '../checkpoint-store.port';
import { CollectionIndexes } from './collection-indexes';
import { DocumentWriter, type CommitJob } from './document-writer';
import { openReadStoreFile, type ReadStoreFileOptions } from './read-store-file';

/** A commit, or the building of the indexes a collection waits with (its name). */
type Request = { id: number; job: CommitJob } | { id: number; buildIndexes: string };
type Reply =
  { id: number; error?: { name: string; message: string; collection?: string } } | 'ready';

/**
 * The SQLite read store's commits, written by a thread of their own over a second connection to
 * the same file: while SQLite writes a batch of documents, or builds the indexes of a read model
 * that has caught up, the process goes on (answering requests, computing the next batch). Commits run one after another, in the order sent; each is
 * still one transaction. The thread starts with the store's first commit and stops with `close`;
 * until it is ready (its connection open), the store writes its commits itself. If it dies, the
 * commits it held fail, and another one starts; if it died before it was ready, none does.
 */
export class CommitThread {
  private worker?: Worker;
  private nextId = 0;
  /** The last request sent: the thread answers in order, so all before it are done with it. */
  private last: Promise<void> = Promise.resolve();
  /** Whether the thread has opened its connection. */
  private ready = false;
  /** Closed, or a thread died before it was ready: the store writes its commits itself. */
  private closed = false;
  private readonly pending = new Map<number, { resolve(): void; reject(error: Error): void }>();

  constructor(private readonly options: ReadStoreFileOptions) {}

  /**
   * Whether a thread takes commits now. The first ask starts one: a store that never commits
   * (an API process's, an audit's) has none.
   */
  takesCommits(): boolean {
    if (!this.worker && !this.closed) this.start();
    return this.ready;
  }

  commit(job: CommitJob): Promise<void> {
    return this.send({ id: this.nextId++, job });
  }

  /** Builds the indexes a collection waits with, in order with the commits sent before. */
  buildDeferredIndexes(collection: string): Promise<void> {
    return this.send({ id: this.nextId++, buildIndexes: collection });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    // Commits sent are written first: the thread handles messages in order.
    await this.last.catch(() => undefined);
    this.worker = undefined;
    this.ready = false;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage('close');
    await exited;
  }

  private send(request: Request): Promise<void> {
    const worker = this.worker ?? this.start();
    this.last = new Promise<void>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      // Referenced while it holds work, so that the process waits for it; not when idle.
      worker.ref();
      worker.postMessage(request);
    });
    return this.last;
  }

  private start(): Worker {
    const worker = new Worker(__filename, {
      workerData: { readStoreCommits: this.options },
      // Run from the TypeScript sources (the test suite), the thread loads them the same way.
      execArgv: __filename.endsWith('.ts') ? ['-r', require.resolve('@swc-node/register')] : [],
    });
    worker.on('message', (reply: Reply) => {
      if (reply === 'ready') {
        this.ready = this.worker === worker;
        return;
      }
      const { id, error } = reply;
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (!error) return waiting?.resolve();
      waiting?.reject(
        error.name === 'CheckpointMovedError' && error.collection !== undefined
          ? new CheckpointMovedError(error.collection)
          : Object.assign(new Error(error.message), { name: error.name }),
      );
    });
    const died = (reason: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(reason);
      this.pending.clear();
      if (this.worker !== worker) return;
      this.worker = undefined;
      // One that never opened its connection would fail again: the store then writes itself.
      if (!this.ready) this.closed = true;
      this.ready = false;
      if (!this.closed) this.start();
    };
    worker.on('error', died);
    worker.on('exit', (code) =>
      died(new Error(`The read store's writer thread stopped (exit code ${code})`)),
    );
    // Idle, it does not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** In the thread: a connection of its own, writing each commit as it comes. */
function serve(options: ReadStoreFileOptions): void {
  const db = openReadStoreFile(options);
  const writer = new DocumentWriter(db);
  const indexes = new CollectionIndexes(db);
  const port = parentPort as NonNullable<typeof parentPort>;
  port.postMessage('ready' satisfies Reply);
  port.on('message', (request: Request | 'close') => {
    if (request === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      if ('job' in request) writer.commit(request.job);
      else for (const step of indexes.deferredBuild(request.buildIndexes)) step();
      port.postMessage({ id: request.id } satisfies Reply);
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      port.postMessage({
        id: request.id,
        error: {
          name: error.name,
          message: error.message,
          ...(error instanceof CheckpointMovedError ? { collection: error.collection } : {}),
        },
      } satisfies Reply);
    }
  });
}

// Other threads (an audit's verification) load this module too: only the one started here serves.
const commits = (workerData as { readStoreCommits?: ReadStoreFileOptions } | null)
  ?.readStoreCommits;
if (!isMainThread && commits) serve(commits);
