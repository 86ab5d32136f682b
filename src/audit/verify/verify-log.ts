import { systemClock, type Clock } from '../../platform/clock';
import type { EventStore } from '../../platform/event-store/event-store.port';
import type { KeyLookup } from '../../platform/personal-data/personal-data-codec';
import type { AnyProjection } from '../../platform/projection-engine/projection';
import type { ReadStore } from '../../platform/read-store/read-store.port';
import type { NumberedAnchor } from '../sealing/seal-anchor';
import type { AnchorReport } from './anchor-check';
import type { ChainReport } from './chain-check';
import type { LedgerLinkReport } from './ledger-links';
import type { ReadModelReport } from './read-model-check';
import {
  verifyPart,
  verifyPartInWorker,
  type PartReport,
  type ReadModelTarget,
  type StoreConfigs,
} from './verify-part';

export interface VerifyReport {
  /**
   * True when every chain, seal and link between streams holds, every anchor given matches, and
   * every read model equals its recomputation.
   */
  ok: boolean;
  verifiedAt: string;
  headPosition: string;
  chains: ChainReport;
  links: LedgerLinkReport;
  /** Only when verified against an anchor file. */
  anchors?: AnchorReport;
  readModels: ReadModelReport[];
  /** Projections with no serving read model yet: nothing stored to compare. */
  notBuilt: string[];
}

export interface VerifyOptions {
  onPage?: (position: bigint) => void;
  /**
   * Given, the work is shared with a worker thread that opens these stores itself: the chain
   * check and every other read model there, the rest here, each reading the log once.
   */
  stores?: StoreConfigs;
  /** The anchor file's lines, read before verification begins. */
  anchors?: readonly NumberedAnchor[];
  /** What dates the report; the system clock by default. */
  clock?: Clock;
  /**
   * The data keys, to replay the read models from events decrypted as the projections saw them
   * (a destroyed key's fields as ERASED_TEXT). Needed once the log holds encrypted fields; the
   * worker, if any, opens the key store itself.
   */
  dataKeys?: KeyLookup;
}

/**
 * Checks every hash chain and seal, the links between streams (and the anchors, if given), and
 * recomputes every serving read model from the events up to its checkpoint to compare it with
 * what is stored; all up to the head as it was when verification began.
 *
 * `eventStore` is the ledger's store (LEDGER_EVENT_STORE): the chains and seals are checked over
 * what it holds, personal fields as ciphertext, so they verify before and after an erasure.
 */
export async function verifyLog(
  eventStore: EventStore,
  readStore: ReadStore,
  projections: readonly AnyProjection[],
  { onPage, stores, anchors, clock = systemClock, dataKeys }: VerifyOptions = {},
): Promise<VerifyReport> {
  const verifiedAt = clock.now().toISOString();
  const checkpoints = await readStore.checkpoints();
  const targets: ReadModelTarget[] = [];
  const notBuilt: string[] = [];
  for (const definition of projections) {
    const active = checkpoints.find(
      (checkpoint) => checkpoint.projection === definition.name && checkpoint.status === 'active',
    );
    if (active) {
      targets.push({ definition, collection: active.collection, checkpoint: active.position });
    } else {
      notBuilt.push(definition.name);
    }
  }
  const until = await eventStore.headPosition();
  let log: Omit<PartReport, 'readModels'>;
  let readModels: ReadModelReport[];
  if (stores) {
    const there = targets.filter((_, index) => index % 2 === 1);
    const here = targets.filter((_, index) => index % 2 === 0);
    const inWorker = verifyPartInWorker(stores, there, {
      withChains: true,
      withLinks: false,
      anchors,
      until,
      dataKeys,
    });
    // Awaited below, after this thread's share; a failure there must not go unhandled meanwhile.
    inWorker.catch(() => undefined);
    let local;
    try {
      local = await verifyPart(eventStore, readStore, here, {
        withChains: false,
        withLinks: true,
        until,
        onPage,
        dataKeys,
      });
    } catch (error) {
      inWorker.cancel();
      throw error;
    }
    const { readModels: remoteModels, ...remote } = await inWorker;
    log = { ...remote, links: local.links };
    const reports = [...local.readModels, ...remoteModels];
    readModels = targets.map(
      (target) =>
        reports.find((report) => report.collection === target.collection) as ReadModelReport,
    );
  } else {
    ({ readModels, ...log } = await verifyPart(eventStore, readStore, targets, {
      withChains: true,
      withLinks: true,
      anchors,
      until,
      onPage,
      dataKeys,
    }));
  }
  const chains = log.chains as ChainReport;
  const links = log.links as LedgerLinkReport;
  return {
    ok:
      chains.findings.length === 0 &&
      links.findings.length === 0 &&
      (log.anchors?.findings.length ?? 0) === 0 &&
      readModels.every((model) => model.differenceCount === 0),
    verifiedAt,
    headPosition: until.toString(),
    chains,
    links,
    ...(log.anchors ? { anchors: log.anchors } : {}),
    readModels,
    notBuilt,
  };
}
