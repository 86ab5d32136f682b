/**
 * Preloaded into a service process by bench/request-path.bench.ts: counts which functions run,
 * and on each message from the parent answers the scripts that ran any since the last message.
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

const started = post('Profiler.enable').then(() =>
  post('Profiler.startPreciseCoverage', { callCount: true, detailed: false }),
);

process.on('message', async () => {
  await started;
  const { result } = await post<Coverage>('Profiler.takePreciseCoverage');
  const ran = result.filter((script) =>
    script.functions.some((fn) => fn.ranges.some((range) => range.count > 0)),
  );
  process.send?.(ran.map((script) => script.url));
});
