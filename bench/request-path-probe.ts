/**
 * Preloaded into a service process by bench/request-path.bench.ts. Counts which functions run
 * (V8 precise coverage), and pauses once in the SQLite event store's append to record the call
 * chain that reached it, async parents included (the debugger follows awaits and promise
 * callbacks, which Error.stack does not). On each message from the parent it answers the scripts
 * that ran any function, and the chains recorded, since the last message.
 */
import { Session } from 'node:inspector';

const session = new Session();
session.connect();

function post<Result>(method: string, params?: object): Promise<Result> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (error, result) =>
      error ? reject(error) : resolve(result as Result),
    ),
  );
}

interface Coverage {
  result: { url: string; functions: { ranges: { count: number }[] }[] }[];
}

interface StackTrace {
  callFrames: { url: string }[];
  parent?: StackTrace;
}

const started = Promise.all([
  post('Profiler.enable').then(() =>
    post('Profiler.startPreciseCoverage', { callCount: true, detailed: false }),
  ),
  post('Debugger.enable').then(() => post('Debugger.setAsyncCallStackDepth', { maxDepth: 64 })),
]);

let chains: string[][] = [];

session.on('Debugger.paused', ({ params }) => {
  const urls = params.callFrames.map((frame) => frame.url);
  for (let trace = params.asyncStackTrace as StackTrace | undefined; trace; trace = trace.parent) {
    urls.push(...trace.callFrames.map((frame) => frame.url));
  }
  chains.push(urls);
  session.post('Debugger.resume');
});

let watching = false;

/** Pauses in the store's append once the service has loaded it (the module the app uses). */
function watchAppends(): void {
  if (watching) return;
  const file = Object.keys(require.cache).find((name) =>
    name.endsWith('/sqlite/sqlite-event-store.js'),
  );
  const exported = file ? (require.cache[file]?.exports as Record<string, unknown>) : undefined;
  const store = exported?.SqliteEventStore as { prototype: Record<string, unknown> } | undefined;
  if (!store) return;
  const append = store.prototype.appendToStreams as (...args: unknown[]) => unknown;
  store.prototype.appendToStreams = function (this: unknown, ...args: unknown[]) {
    // eslint-disable-next-line no-debugger -- the probe's one pause: the debugger records the chain
    debugger;
    return append.apply(this, args);
  };
  watching = true;
}

process.on('message', async () => {
  await started;
  watchAppends();
  const { result } = await post<Coverage>('Profiler.takePreciseCoverage');
  const ran = result.filter((script) =>
    script.functions.some((fn) => fn.ranges.some((range) => range.count > 0)),
  );
  process.send?.({ scripts: ran.map((script) => script.url), chains });
  chains = [];
});
