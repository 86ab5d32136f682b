import type { HealthSnapshot, ProjectionHealth } from './health-probe';

export interface ProjectionReadiness {
  ready: boolean;
  maxLagSeconds: number;
  /** Why a read model holds readiness back, one line per projection; empty when ready. */
  problems: string[];
}

/**
 * Whether the read models can serve: every defined projection has a serving collection, none is
 * stopped at an event, and none lags more than `maxLagSeconds`. A projection retrying after a
 * store failure counts as ready while its lag stays within the bound.
 */
export function projectionReadiness(
  snapshot: HealthSnapshot,
  maxLagSeconds: number,
  names: readonly string[],
): ProjectionReadiness {
  if (snapshot.eventStore.status === 'down' || snapshot.readStore.status === 'down') {
    return { ready: false, maxLagSeconds, problems: ['unknown while a store does not answer'] };
  }
  const problems = [...names].sort().flatMap((name) => {
    const serving = snapshot.projections.find(
      (projection) => projection.name === name && projection.serving,
    );
    const problem = serving ? problemOf(serving, maxLagSeconds) : 'has no read model yet';
    return problem ? [`${name} ${problem}`] : [];
  });
  return { ready: problems.length === 0, maxLagSeconds, problems };
}

function problemOf(projection: ProjectionHealth, maxLagSeconds: number): string | null {
  if (projection.status === 'stopped') {
    const at = projection.failure
      ? ` at ${projection.failure.type} (position ${projection.failure.position})`
      : '';
    return `stopped${at}`;
  }
  if (projection.lagSeconds > maxLagSeconds) {
    return `is ${round(projection.lagSeconds)} s behind (more than ${maxLagSeconds} s)`;
  }
  return null;
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
