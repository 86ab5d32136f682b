import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../../platform/clock';
import {
  NO_STREAM,
  type EventStore,
  type ExpectedRevision,
  type StoredEvent,
} from '../../platform/event-store/event-store.port';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../platform/event-store/event-store.errors';
import { readLog } from '../event-log';
import { EMPTY_LOG, LogDigest } from './log-digest';
import { appendSealAnchor } from './seal-anchor';
import {
  LOG_SEALED,
  SEAL_STREAM,
  digestStateOf,
  isSeal,
  sealDataOf,
  type LogSealedData,
} from './seal';

export interface SealRecord extends LogSealedData {
  /** Where the LogSealed event itself was stored. */
  position: string;
}

const ATTEMPTS = 5;

export type StoredSeal = StoredEvent<typeof LOG_SEALED, LogSealedData>;

/** Every seal, oldest first; each one's segment starts where the one before it ends. */
export async function readSeals(eventStore: EventStore): Promise<StoredSeal[]> {
  try {
    return (await eventStore.readStream(SEAL_STREAM)).filter(isSeal);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

export interface LogSealerOptions {
  /** Where each seal's digest is also appended (SEAL_ANCHOR_FILE); null: nowhere. */
  anchorFile?: string | null;
  /** What dates each anchor; the system clock by default. */
  clock?: Clock;
}

/**
 * Appends seals: each one continues the running log hash of the seal before it up to the head
 * of the store, and is appended at the seal stream's expected revision, so two sealers racing
 * cannot both extend the same seal (the loser reads the winner's seal and tries again). Each seal
 * is then anchored in the anchor file, if there is one.
 */
export class LogSealer {
  constructor(
    private readonly eventStore: EventStore,
    private readonly options: LogSealerOptions = {},
  ) {}

  /** Seals everything stored so far; `actor` is who asked (the service itself: `system`). */
  async seal(actor = 'system'): Promise<SealRecord> {
    for (let attempt = 1; ; attempt++) {
      const last = (await readSeals(this.eventStore)).at(-1);
      const from = last ? digestStateOf(last.data) : EMPTY_LOG;
      const digest = new LogDigest(from);
      const after = last ? BigInt(last.data.sealedPosition) : 0n;
      for await (const page of readLog(this.eventStore, { after })) {
        for (const event of page) digest.add(event);
      }
      const data = sealDataOf(digest.close());
      const expectedRevision: ExpectedRevision = last ? last.revision : NO_STREAM;
      const commandId = randomUUID();
      let appended;
      try {
        appended = await this.eventStore.appendToStream(SEAL_STREAM, [{ type: LOG_SEALED, data }], {
          expectedRevision,
          context: { actor, correlationId: commandId, causationId: commandId, commandId },
        });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= ATTEMPTS) throw error;
        continue;
      }
      const record = { ...data, position: appended.position.toString() };
      const { anchorFile } = this.options;
      if (anchorFile) {
        await this.anchor(anchorFile, record, appended.revision, sealDataOf(from));
      }
      return record;
    }
  }

  private async anchor(
    file: string,
    record: SealRecord,
    revision: bigint,
    previous: LogSealedData,
  ): Promise<void> {
    const { position, ...sealed } = record;
    try {
      await appendSealAnchor(file, {
        sealPosition: position,
        sealRevision: revision.toString(),
        ...sealed,
        previous,
        anchoredAt: (this.options.clock ?? systemClock).now().toISOString(),
      });
    } catch (error) {
      // The seal stands; whoever asked for it must know its anchor is missing.
      throw new Error(
        `Sealed up to position ${record.sealedPosition} (the seal is at position ${position}), ` +
          `but could not append its anchor to ${file}: ${(error as Error).message}`,
      );
    }
  }
}
