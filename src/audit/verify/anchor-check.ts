import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { EMPTY_LOG, LogDigest } from '../sealing/log-digest';
import type { StoredSeal } from '../sealing/log-sealer';
import { digestStateOf } from '../sealing/seal';
import type { NumberedAnchor } from '../sealing/seal-anchor';

export type AnchorFindingKind = 'seal-missing' | 'seal-changed' | 'log-mismatch';

/** An anchor the log or the seals stream no longer agrees with, by its line in the file. */
export interface AnchorFinding {
  kind: AnchorFindingKind;
  line: number;
  sealPosition: string;
  sealedPosition: string;
  message: string;
}

export interface AnchorReport {
  anchors: number;
  /** The newest anchor the log still matches. */
  latestMatching: { sealedPosition: string; logHash: string } | null;
  /** How far the anchors chain from the empty log without a gap: every event up to there is pinned. */
  contiguousUpTo: string;
  findings: AnchorFinding[];
}

interface OpenSegment {
  anchor: NumberedAnchor;
  sealedPosition: bigint;
  digest: LogDigest;
}

/**
 * Holds the log and the seals stream against the anchor file, which was written outside the
 * store: every anchored seal must still be in the seals stream as it was, and the log's running
 * hash over each anchored segment (from the seal it continues, as the anchor recorded it) must
 * come out as anchored. So a deleted or rewritten seals stream is named, and the log is still
 * checked against the anchors when no seal is left. The anchors are read before verification
 * begins, so every one of them covers a part of the log up to the verified head.
 */
export class AnchorCheck {
  /** Oldest segment start first; opened as the pass reaches them. */
  private readonly waiting: NumberedAnchor[];
  private open: OpenSegment[] = [];
  private readonly findings: AnchorFinding[] = [];
  private latestMatching: AnchorReport['latestMatching'] = null;
  private lastPosition = 0n;

  constructor(
    private readonly anchors: readonly NumberedAnchor[],
    seals: readonly StoredSeal[],
  ) {
    this.waiting = [...anchors].sort((a, b) =>
      compare(BigInt(a.previous.sealedPosition), BigInt(b.previous.sealedPosition)),
    );
    const byPosition = new Map(seals.map((seal) => [seal.position.toString(), seal]));
    for (const anchor of anchors) this.checkSeal(anchor, byPosition.get(anchor.sealPosition));
  }

  add(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const { position } = event;
      while (
        this.waiting.length > 0 &&
        BigInt(this.waiting[0].previous.sealedPosition) < position
      ) {
        this.openSegment(this.waiting.shift() as NumberedAnchor);
      }
      // Segments the log passed without an event at their end: close them before this event.
      this.closeWhere((sealed) => sealed < position);
      for (const segment of this.open) segment.digest.add(event);
      this.closeWhere((sealed) => sealed === position);
      this.lastPosition = position;
    }
  }

  report(): AnchorReport {
    for (const anchor of this.waiting.splice(0)) this.openSegment(anchor);
    this.closeWhere(() => true);
    return {
      anchors: this.anchors.length,
      latestMatching: this.latestMatching,
      contiguousUpTo: contiguousUpTo(this.anchors),
      findings: [...this.findings].sort((a, b) => a.line - b.line),
    };
  }

  private checkSeal(anchor: NumberedAnchor, seal: StoredSeal | undefined): void {
    if (!seal) {
      this.find(
        'seal-missing',
        anchor,
        `the seal anchored on line ${anchor.line} (stored at position ${anchor.sealPosition}, sealing up to position ${anchor.sealedPosition}) is no longer in the seals stream: it was deleted or the stream rewritten`,
      );
      return;
    }
    const { data } = seal;
    const same =
      seal.revision.toString() === anchor.sealRevision &&
      data.sealedPosition === anchor.sealedPosition &&
      data.eventCount === anchor.eventCount &&
      data.streamCount === anchor.streamCount &&
      data.logHash === anchor.logHash;
    if (!same) {
      this.find(
        'seal-changed',
        anchor,
        `the seal at position ${anchor.sealPosition} is not the one anchored on line ${anchor.line}: ` +
          `revision ${seal.revision}, up to position ${data.sealedPosition}, ${data.eventCount} events, log hash ${data.logHash} ` +
          `stored; revision ${anchor.sealRevision}, up to position ${anchor.sealedPosition}, ${anchor.eventCount} events, log hash ${anchor.logHash} anchored`,
      );
    }
  }

  private openSegment(anchor: NumberedAnchor): void {
    const digest = new LogDigest(digestStateOf(anchor.previous));
    this.open.push({ anchor, sealedPosition: BigInt(anchor.sealedPosition), digest });
  }

  private closeWhere(ended: (sealedPosition: bigint) => boolean): void {
    if (!this.open.some((segment) => ended(segment.sealedPosition))) return;
    const still: OpenSegment[] = [];
    for (const segment of this.open) {
      if (ended(segment.sealedPosition)) this.checkSegment(segment);
      else still.push(segment);
    }
    this.open = still;
  }

  private checkSegment({ anchor, sealedPosition, digest }: OpenSegment): void {
    const now = digest.close();
    if (
      now.position === sealedPosition &&
      now.logHash === anchor.logHash &&
      now.eventCount === anchor.eventCount &&
      now.streamCount === anchor.streamCount
    ) {
      if (!this.latestMatching || sealedPosition > BigInt(this.latestMatching.sealedPosition)) {
        this.latestMatching = { sealedPosition: anchor.sealedPosition, logHash: anchor.logHash };
      }
      return;
    }
    const where =
      now.position === sealedPosition
        ? ''
        : sealedPosition > this.lastPosition
          ? ` The log now ends at position ${this.lastPosition}, before the anchored position: its tail was removed.`
          : ' The log no longer holds an event at the anchored position.';
    this.find(
      'log-mismatch',
      anchor,
      `the log from position ${anchor.previous.sealedPosition} to ${anchor.sealedPosition} is not what was anchored on line ${anchor.line}: ` +
        `${anchor.eventCount} events in ${anchor.streamCount} streams with log hash ${anchor.logHash} then, ` +
        `${now.eventCount} events in ${now.streamCount} streams with log hash ${now.logHash} now; events were removed, altered, added or reordered.${where}`,
    );
  }

  private find(kind: AnchorFindingKind, anchor: NumberedAnchor, message: string): void {
    const { line, sealPosition, sealedPosition } = anchor;
    this.findings.push({ kind, line, sealPosition, sealedPosition, message });
  }
}

/** The end of the chain of anchors that starts at the empty log, each continuing the one before. */
function contiguousUpTo(anchors: readonly NumberedAnchor[]): string {
  const byStart = new Map(
    anchors.map((anchor) => [
      `${anchor.previous.sealedPosition} ${anchor.previous.logHash}`,
      anchor,
    ]),
  );
  let reached = EMPTY_LOG.position.toString();
  let logHash = EMPTY_LOG.logHash;
  for (let steps = 0; steps < anchors.length; steps++) {
    const next = byStart.get(`${reached} ${logHash}`);
    if (!next) break;
    ({ sealedPosition: reached, logHash } = next);
  }
  return reached;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
