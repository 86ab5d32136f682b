import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PROJECTIONS } from '../../../projections';
import { systemClock } from '../../platform/clock';
import type { AppConfig } from '../../config/app.config';
import { createEventStore } from '../../platform/event-store/create-event-store';
import type { EventStore, StoredEvent } from '../../platform/event-store/event-store.port';
import { CiphertextError } from '../../platform/personal-data/field-cipher';
import { openDataKeyStore } from '../../platform/personal-data/open-data-key-store';
import {
  PersonalDataCodec,
  type KeyLookup,
} from '../../platform/personal-data/personal-data-codec';
import { PersonalDataEventStore } from '../../platform/personal-data/personal-data-event-store';
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
  /**
   * The data keys: the read models are replayed from the events as the projections saw them,
   * personal fields decrypted (ERASED_TEXT once a key is destroyed). Without, events are replayed
   * as stored, which only suits a log holding no encrypted field.
   */
  dataKeys?: KeyLookup;
}

/**
 * Some of verify's work in one pass over the log: the checks of the log itself, some read models,
 * or both. `ledger` is the store as the ledger holds it (personal fields as ciphertext, exactly
 * what was hashed and sealed); each page is decrypted for the read models only.
 */
export async function verifyPart(
  ledger: EventStore,
  readStore: ReadStore,
  targets: readonly ReadModelTarget[],
  { withChains, withLinks, anchors, until, onPage, dataKeys }: PartOptions,
): Promise<PartReport> {
  // A seal appended since verification began covers events past `until`: it is for next time.
  const seals = withChains ? (await readSeals(ledger)).filter((s) => s.position <= until) : [];
  const chains = withChains ? new ChainCheck(seals) : undefined;
  const links = withLinks ? new LedgerLinks() : undefined;
  const anchorCheck = withChains && anchors ? new AnchorCheck(anchors, seals) : undefined;
  const codec = dataKeys && new PersonalDataCodec(dataKeys);
  // What a read-model check reads again on its own (rarely): the log as the projections see it.
  // Never closed: closing it would close the ledger, which the caller owns.
  const replayed = dataKeys ? new PersonalDataEventStore(ledger, dataKeys) : ledger;
  const checks = targets.map(
    ({ definition, collection, checkpoint }) =>
      new ReadModelCheck(replayed, readStore, definition, collection, checkpoint),
  );
  for await (const page of readLog(ledger, { until, onPage })) {
    chains?.add(page);
    links?.add(page);
    anchorCheck?.add(page);
    if (checks.length === 0) continue;
    const decrypted = codec ? await decryptForReplay(codec, page) : page;
    for (const check of checks) await check.add(decrypted);
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

/**
 * The page as the projections saw it. An event whose ciphertext no longer decrypts (altered in
 * the log: the chain check names it) is replayed as stored, so the read models it fed differ
 * too, rather than verification stopping at it.
 */
async function decryptForReplay(
  codec: PersonalDataCodec,
  page: readonly StoredEvent[],
): Promise<readonly StoredEvent[]> {
  try {
    return await codec.decryptEvents(page);
  } catch (error) {
    if (!(error instanceof CiphertextError)) throw error;
  }
  const events: StoredEvent[] = [];
  for (const event of page) {
    try {
      events.push(...(await codec.decryptEvents([event])));
    } catch (error) {
      if (!(error instanceof CiphertextError)) throw error;
      events.push(event);
    }
  }
  return events;
}

/** Verification reads every document once: pages cached for the service would never be read again. */
export const VERIFY_READ_STORE = { cacheMb: 8 };

/** What a worker needs to open the stores itself. */
export interface StoreConfigs extends Pick<AppConfig, 'eventStore' | 'readStore'> {
  /** Where the key store is (beside an embedded read store), when read models are decrypted. */
  dataDir?: string;
  personalDataKey?: Buffer | null;
}

interface PartJob {
  job: 'verify-part';
  stores: StoreConfigs;
  withChains: boolean;
  withLinks: boolean;
  /** The worker opens the key store to decrypt what it replays. */
  withDataKeys: boolean;
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
  { withChains, withLinks, anchors, until, dataKeys }: PartOptions,
): Promise<PartReport> & { cancel(): void } {
  const job: PartJob = {
    job: 'verify-part',
    stores,
    withChains,
    withLinks,
    withDataKeys: dataKeys !== undefined,
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

/** The key store the worker opens for itself, as the configuration given names it. */
function openWorkerDataKeys({ readStore, dataDir, personalDataKey }: StoreConfigs) {
  if (dataDir === undefined) {
    throw new Error('A verification worker that decrypts needs the configuration of DATA_DIR');
  }
  // openDataKeyStore reads no more of the configuration than these; a Buffer arrives in a
  // worker as a plain Uint8Array.
  const key = personalDataKey ? Buffer.from(personalDataKey) : null;
  return openDataKeyStore({ readStore, dataDir, personalDataKey: key } as AppConfig);
}

async function runJob(job: PartJob): Promise<void> {
  const dataKeys = job.withDataKeys ? await openWorkerDataKeys(job.stores) : undefined;
  const eventStore = createEventStore(job.stores.eventStore, systemClock);
  const readStore = await createReadStore(job.stores.readStore, VERIFY_READ_STORE);
  try {
    const targets = job.targets.map((target) => {
      const definition = PROJECTIONS.find((candidate) => candidate.name === target.projection);
      if (!definition) throw new Error(`Unknown projection ${target.projection}`);
      return { definition, collection: target.collection, checkpoint: BigInt(target.checkpoint) };
    });
    const { withChains, withLinks, anchors } = job;
    const options = { withChains, withLinks, anchors, until: BigInt(job.until), dataKeys };
    parentPort?.postMessage(await verifyPart(eventStore, readStore, targets, options));
  } finally {
    await readStore.close();
    await eventStore.close();
    await dataKeys?.close();
  }
}

if (!isMainThread && (workerData as Partial<PartJob> | null)?.job === 'verify-part') {
  // A failure rejects, which ends the worker with an 'error' event for the caller.
  void runJob(workerData as PartJob);
}
