import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PROJECTIONS } from '../../../projections';
import { systemClock } from '../../platform/clock';
import type { EventStoreConfig, ReadStoreConfig } from '../../config/app.config';
import { createEventStore } from '../../platform/event-store/create-event-store';
import type { EventStore } from '../../platform/event-store/event-store.port';
import type { AnyProjection } from '../../platform/projection-engine/projection';
import { createReadStore } from '../../platform/read-store/create-read-store';
import type { ReadStore } from '../../platform/read-store/read-store.port';
import { readLog } from '../event-log';
import { readSeals } from '../sealing/log-sealer';
import type { NumberedAnchor } from '../sealing/seal-anchor';
import { AnchorCheck, type AnchorReport } from './anchor-check';
import { ChainCheck, type ChainReport } from './chain-check';
import { LedgerLinks, type LedgerLinkReport } from './ledger-links';
import { ReadModelCheck, type ReadModelReport } from './read-model-check';

/** A serving read model to recompute: its projection, collection and checkpoint. */
export interface ReadModelTarget {
  definition: AnyProjection;
  collection: string;
  checkpoint: bigint;
}

export interface PartReport {
  chains?: ChainReport;
  links?: LedgerLinkReport;
  anchors?: AnchorReport;
  readModels: ReadModelReport[];
}

export interface PartOptions {
  /** The chains and seals (and the anchors, if given) are checked here. */
  withChains: boolean;
  /** The links between streams are checked here (apart from the chains: each holds much). */
  withLinks: boolean;
  anchors?: readonly NumberedAnchor[];
  /** The last position verified: the head when verification began. */
  until: bigint;
  onPage?: (position: bigint) => void;
}

/**
 * Some of verify's work in one pass over the log: the checks of the log itself, some read models,
 * or both.
 */
export async function verifyPart(
  eventStore: EventStore,
  readStore: ReadStore,
  targets: readonly ReadModelTarget[],
  { withChains, withLinks, anchors, until, onPage }: PartOptions,
): Promise<PartReport> {
  // A seal appended since verification began covers events past `until`: it is for next time.
  const seals = withChains ? (await readSeals(eventStore)).filter((s) => s.position <= until) : [];
  const chains = withChains ? new ChainCheck(seals) : undefined;
  const links = withLinks ? new LedgerLinks() : undefined;
  const anchorCheck = withChains && anchors ? new AnchorCheck(anchors, seals) : undefined;
  const checks = targets.map(
    ({ definition, collection, checkpoint }) =>
      new ReadModelCheck(eventStore, readStore, definition, collection, checkpoint),
  );
  for await (const page of readLog(eventStore, { until, onPage })) {
    chains?.add(page);
    links?.add(page);
    anchorCheck?.add(page);
    for (const check of checks) await check.add(page);
  }
  const readModels: ReadModelReport[] = [];
  for (const check of checks) readModels.push(await check.finish());
  return {
    chains: chains?.report(),
    links: links?.report(),
    anchors: anchorCheck?.report(),
    readModels,
  };
}

/** Verification reads every document once: pages cached for the service would never be read again. */
export const VERIFY_READ_STORE = { cacheMb: 8 };

export interface StoreConfigs {
  eventStore: EventStoreConfig;
  readStore: ReadStoreConfig;
}

interface PartJob {
  job: 'verify-part';
  stores: StoreConfigs;
  withChains: boolean;
  withLinks: boolean;
  anchors?: readonly NumberedAnchor[];
  until: string;
  targets: { projection: string; collection: string; checkpoint: string }[];
}

/**
 * The same work in a worker thread with its own connections to the stores, so that it takes the
 * second core while the calling thread does the rest.
 */
export function verifyPartInWorker(
  stores: StoreConfigs,
  targets: readonly ReadModelTarget[],
  { withChains, withLinks, anchors, until }: PartOptions,
): Promise<PartReport> & { cancel(): void } {
  const job: PartJob = {
    job: 'verify-part',
    stores,
    withChains,
    withLinks,
    anchors,
    until: until.toString(),
    targets: targets.map(({ definition, collection, checkpoint }) => ({
      projection: definition.name,
      collection,
      checkpoint: checkpoint.toString(),
    })),
  };
  const worker = new Worker(__filename, {
    workerData: job,
    // Run from the TypeScript sources (the test suite), the worker loads them the same way;
    // resolved here, as a preload is looked up from the working directory, which may be anywhere.
    execArgv: __filename.endsWith('.ts') ? ['-r', require.resolve('@swc-node/register')] : [],
  });
  const report = new Promise<PartReport>((resolve, reject) => {
    worker.once('message', (report: PartReport) => resolve(report));
    worker.once('error', reject);
    // After a message this changes nothing; without one, the worker ended before its report.
    worker.once('exit', (code) =>
      reject(new Error(`A verification worker stopped (exit code ${code}) without its report`)),
    );
  });
  return Object.assign(report, { cancel: () => void worker.terminate() });
}

async function runJob(job: PartJob): Promise<void> {
  const eventStore = createEventStore(job.stores.eventStore, systemClock);
  const readStore = await createReadStore(job.stores.readStore, VERIFY_READ_STORE);
  try {
    const targets = job.targets.map((target) => {
      const definition = PROJECTIONS.find((candidate) => candidate.name === target.projection);
      if (!definition) throw new Error(`Unknown projection ${target.projection}`);
      return { definition, collection: target.collection, checkpoint: BigInt(target.checkpoint) };
    });
    const { withChains, withLinks, anchors } = job;
    const options = { withChains, withLinks, anchors, until: BigInt(job.until) };
    parentPort?.postMessage(await verifyPart(eventStore, readStore, targets, options));
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}

if (!isMainThread && (workerData as Partial<PartJob> | null)?.job === 'verify-part') {
  // A failure rejects, which ends the worker with an 'error' event for the caller.
  void runJob(workerData as PartJob);
}
