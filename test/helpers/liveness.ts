import type { Api } from './api-client';

/** The liveness bound a request must never break, whatever it sends. */
export const LIVENESS_BOUND_MS = 200;

/**
 * Runs `work` while `/health/live` is probed without pause, and answers the slowest probe: a
 * request whose handling blocks the event loop shows up as a slow probe.
 */
export async function slowestLivenessDuring<T>(
  api: Api,
  work: () => Promise<T>,
): Promise<{ result: T; slowestMs: number }> {
  let done = false;
  let slowestMs = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await api.http.get('/health/live').expect(200);
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
  })();
  try {
    return { result: await work(), slowestMs };
  } finally {
    done = true;
    await probing;
  }
}
