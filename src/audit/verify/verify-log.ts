import type { EventStore } from '../../event-store/event-store.port';
import type { ProjectionDefinition } from '../../projection-engine/projection';
import type { ReadStore } from '../../read-store/read-store.port';
import { readLog } from '../event-log';
import { readSeals } from '../sealing/log-sealer';
import { ChainCheck, type ChainReport } from './chain-check';
import { ReadModelCheck, type ReadModelReport } from './read-model-check';

export interface VerifyReport {
  /** True when every chain and seal holds and every read model equals its recomputation. */
  ok: boolean;
  verifiedAt: string;
  headPosition: string;
  chains: ChainReport;
  readModels: ReadModelReport[];
  /** Projections with no serving read model yet: nothing stored to compare. */
  notBuilt: string[];
}

export interface VerifyOptions {
  onPage?: (position: bigint) => void;
  now?: () => Date;
}

/**
 * One pass over the log that checks every hash chain and seal, and recomputes every serving
 * read model from the events up to its checkpoint to compare it with what is stored.
 */
export async function verifyLog(
  eventStore: EventStore,
  readStore: ReadStore,
  projections: readonly ProjectionDefinition[],
  { onPage, now = () => new Date() }: VerifyOptions = {},
): Promise<VerifyReport> {
  const verifiedAt = now().toISOString();
  const checkpoints = await readStore.checkpoints();
  const checks: ReadModelCheck[] = [];
  const notBuilt: string[] = [];
  for (const definition of projections) {
    const active = checkpoints.find(
      (checkpoint) => checkpoint.projection === definition.name && checkpoint.status === 'active',
    );
    if (active) {
      checks.push(
        new ReadModelCheck(eventStore, readStore, definition, active.collection, active.position),
      );
    } else {
      notBuilt.push(definition.name);
    }
  }
  const headPosition = await eventStore.headPosition();
  const chains = new ChainCheck(await readSeals(eventStore));
  for await (const page of readLog(eventStore, { onPage })) {
    chains.add(page);
    for (const check of checks) await check.add(page);
  }
  const readModels: ReadModelReport[] = [];
  for (const check of checks) readModels.push(await check.finish());
  const chainReport = chains.report();
  return {
    ok:
      chainReport.findings.length === 0 && readModels.every((model) => model.differenceCount === 0),
    verifiedAt,
    headPosition: headPosition.toString(),
    chains: chainReport,
    readModels,
    notBuilt,
  };
}
