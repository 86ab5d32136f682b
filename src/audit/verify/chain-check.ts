import { storedEventHash } from '../../platform/event-store/event-hash';
import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { LogDigest } from '../sealing/log-digest';
import type { StoredSeal } from '../sealing/log-sealer';
import { digestStateOf } from '../sealing/seal';

export type ChainFindingKind =
  'altered' | 'broken-link' | 'missing' | 'reordered' | 'seal-mismatch';

/** One broken link, located by the position where it shows. */
export interface ChainFinding {
  kind: ChainFindingKind;
  position: string;
  streamName: string;
  revision: string;
  message: string;
}

export interface ChainReport {
  events: number;
  streams: number;
  seals: number;
  /** The newest seal that matched, and how many events came after it (protected by chains only). */
  latestSeal: { position: string; sealedPosition: string; logHash: string } | null;
  eventsAfterLatestSeal: number;
  /** Events from before hash chains, at the head of their streams: covered by seals only. */
  unchainedEvents: number;
  /** In position order; the first is the first broken link. */
  findings: ChainFinding[];
}

/** Gaps up to this wide are tracked revision by revision, to tell "reordered" from "missing". */
const MAX_TRACKED_GAP = 1000n;

interface StreamTip {
  nextRevision: bigint;
  hash: string;
  /** Revisions skipped where the stream jumped ahead, and where: missing, or moved later. */
  gaps?: Map<bigint, bigint>;
}

/**
 * Checks the log as it goes by, in position order: every event against its own hash, every
 * stream's chain of previous hashes and revisions, and every seal against the running log hash
 * of its segment (the seals are read first, so the pass knows where each segment ends).
 */
export class ChainCheck {
  private readonly streams = new Map<string, StreamTip>();
  private digest = new LogDigest();
  private readonly findings: ChainFinding[] = [];
  /** The next seal whose segment is being hashed. */
  private nextSeal = 0;
  private latestSeal: ChainReport['latestSeal'] = null;
  private eventsAtLatestSeal = 0;
  private unchained = 0;

  /** `seals`: every seal in the store, oldest first (readSeals), read before the pass. */
  constructor(private readonly seals: readonly StoredSeal[] = []) {}

  add(events: readonly StoredEvent[]): void {
    for (const event of events) {
      this.closeSegmentsBefore(event.position);
      this.checkEvent(event);
      this.digest.add(event);
      const seal = this.seals[this.nextSeal];
      if (seal && BigInt(seal.data.sealedPosition) === event.position) {
        this.nextSeal++;
        this.checkSeal(seal);
      }
    }
  }

  report(): ChainReport {
    this.closeSegmentsBefore(undefined);
    for (const [streamName, tip] of this.streams) {
      for (const [revision, position] of tip.gaps ?? []) {
        this.find(
          'missing',
          { position, streamName, revision },
          `revision ${revision} of ${streamName} is missing (it was deleted): the next event's chain names a predecessor the log no longer holds`,
        );
      }
    }
    const byPosition = (a: ChainFinding, b: ChainFinding) =>
      BigInt(a.position) < BigInt(b.position)
        ? -1
        : BigInt(a.position) > BigInt(b.position)
          ? 1
          : 0;
    return {
      events: this.digest.eventCount,
      streams: this.streams.size,
      seals: this.seals.length,
      latestSeal: this.latestSeal,
      eventsAfterLatestSeal: this.digest.eventCount - this.eventsAtLatestSeal,
      unchainedEvents: this.unchained,
      findings: [...this.findings].sort(byPosition),
    };
  }

  /** Seals whose position the log has passed (or ended before) without an event there. */
  private closeSegmentsBefore(position: bigint | undefined): void {
    for (;;) {
      const seal = this.seals[this.nextSeal];
      if (!seal || (position !== undefined && BigInt(seal.data.sealedPosition) >= position)) return;
      this.nextSeal++;
      if (BigInt(seal.data.sealedPosition) === this.digest.position) {
        // Sealed where the log stood still (an empty log): nothing is missing, check it as is.
        this.checkSeal(seal);
        continue;
      }
      this.digest.close();
      this.find(
        'seal-mismatch',
        seal,
        `the seal at position ${seal.position} covers up to position ${seal.data.sealedPosition}, but the log no longer holds an event there: events were removed`,
      );
    }
  }

  private checkEvent(event: StoredEvent): void {
    const { streamName, revision, metadata } = event;
    const tip = this.streams.get(streamName);
    if (metadata.hash === '' && !tip?.hash) {
      // Written before events carried hashes (KurrentDB keeps such events as they were); the
      // seals still cover it. Once a stream has a hashed event, a missing hash is an alteration.
      this.unchained++;
      this.streams.set(streamName, { nextRevision: revision + 1n, hash: '' });
      return;
    }
    if (storedEventHash(event) !== metadata.hash) {
      this.find(
        'altered',
        event,
        `${describe(event)} was altered: its content no longer matches its hash`,
      );
    }
    const expected = tip?.nextRevision ?? 0n;
    if (revision < expected) {
      if (tip?.gaps?.delete(revision)) {
        this.find(
          'reordered',
          event,
          `${describe(event)} comes after revision ${expected - 1n} in the log: the stream was reordered`,
        );
      } else {
        this.find('reordered', event, `${describe(event)} repeats a revision already seen`);
      }
      return;
    }
    if (revision > expected) {
      const gaps = tip?.gaps ?? new Map<bigint, bigint>();
      if (revision - expected > MAX_TRACKED_GAP) {
        // Too wide to have been moved elsewhere one by one (or a forged revision): name it now.
        this.find(
          'missing',
          event,
          `revisions ${expected} to ${revision - 1n} of ${streamName} are missing before ${describe(event)}`,
        );
      } else {
        for (let missing = expected; missing < revision; missing++)
          gaps.set(missing, event.position);
      }
      this.streams.set(streamName, { nextRevision: revision + 1n, hash: metadata.hash, gaps });
      return;
    }
    const previousHash = tip?.hash ?? null;
    if (metadata.previousHash !== previousHash) {
      this.find(
        'broken-link',
        event,
        `${describe(event)} names a predecessor other than the event before it: revision ${revision - 1n} was replaced or rehashed`,
      );
    }
    this.streams.set(streamName, {
      nextRevision: revision + 1n,
      hash: metadata.hash,
      gaps: tip?.gaps,
    });
  }

  private checkSeal(seal: StoredSeal): void {
    const sealed = digestStateOf(seal.data);
    const now = this.digest.close();
    if (
      now.logHash === sealed.logHash &&
      now.eventCount === sealed.eventCount &&
      now.streamCount === sealed.streamCount
    ) {
      this.latestSeal = {
        position: seal.position.toString(),
        sealedPosition: seal.data.sealedPosition,
        logHash: sealed.logHash,
      };
      this.eventsAtLatestSeal = now.eventCount;
      return;
    }
    const removedEvents = sealed.eventCount - now.eventCount;
    const removedStreams = sealed.streamCount - now.streamCount;
    const counts =
      removedEvents === 0 && removedStreams === 0
        ? 'the same number of events, so some were altered or reordered'
        : `${removedEvents} event(s) and ${removedStreams} stream(s) fewer than when sealed, so events or whole streams were removed`;
    // The next seal builds on this one's hash: carry on from it, so one break is named once.
    this.digest = new LogDigest(sealed);
    this.find(
      'seal-mismatch',
      seal,
      `the seal at position ${seal.position} does not match the log up to position ${sealed.position}: it covered ${sealed.eventCount} events in ${sealed.streamCount} streams, the log now holds ${now.eventCount} in ${now.streamCount}; ${counts}`,
    );
  }

  private find(
    kind: ChainFindingKind,
    at: { position: bigint; streamName: string; revision: bigint },
    message: string,
  ): void {
    this.findings.push({
      kind,
      position: at.position.toString(),
      streamName: at.streamName,
      revision: at.revision.toString(),
      message,
    });
  }
}

function describe(event: StoredEvent): string {
  return `${event.type} at position ${event.position} (${event.streamName}, revision ${event.revision})`;
}
