import type { AidKind } from '../../domain/programme/aid-programme';
import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { DATA_KEY_PROPERTY } from '../../platform/personal-data/personal-data';

/** A recipient whose retention period has ended: what identifies her without personal data. */
export interface DueRecipient {
  recipientId: string;
  kind: AidKind;
  /** Where she is now (after any move). */
  regencyCode: string;
  /** When the ledger recorded the last event of the programme for her. */
  lastEventAt: string;
  /**
   * Registered with data keys: her erasure can proceed. False for a recipient registered before
   * personal data was encrypted: refused until the log is migrated.
   */
  encrypted: boolean;
}

interface Tracked extends DueRecipient {
  erased: boolean;
}

const STREAM_PREFIX = 'recipient-';
const ERASED = 'PersonalDataErased';

/**
 * Who is due for erasure at the end of the retention period: fed the log in position order, it
 * keeps each recipient's last event, and answers those whose last event was recorded before a
 * cut-off and whose personal data is not erased yet. It reads only ids, kinds, regencies and
 * dates, so the ledger's store (ciphertext) will do.
 *
 * An erasure is not programme activity: it does not move a recipient's last event. The erasure
 * of one KUBe member leaves the group and its other members due in their turn.
 */
export class RetentionDue {
  private readonly recipients = new Map<string, Tracked>();

  add(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (!event.streamName.startsWith(STREAM_PREFIX)) continue;
      const data = event.data as Record<string, unknown>;
      const recipientId = event.streamName.slice(STREAM_PREFIX.length);
      if (event.type === 'RecipientRegistered') {
        this.recipients.set(recipientId, {
          recipientId,
          kind: data.kind as AidKind,
          regencyCode: String(data.regencyCode),
          lastEventAt: event.metadata.recordedAt,
          encrypted: typeof data[DATA_KEY_PROPERTY] === 'string',
          erased: false,
        });
        continue;
      }
      const recipient = this.recipients.get(recipientId);
      if (!recipient) continue;
      if (event.type === ERASED) {
        if (data.memberNikHash === undefined) recipient.erased = true;
        continue;
      }
      if (event.type === 'RecipientMoved') recipient.regencyCode = String(data.toRegencyCode);
      recipient.lastEventAt = event.metadata.recordedAt;
    }
  }

  /** Those not erased whose last event was recorded before `cutOff`, the longest idle first. */
  dueBefore(cutOff: Date): DueRecipient[] {
    const limit = cutOff.toISOString();
    return [...this.recipients.values()]
      .filter((recipient) => !recipient.erased && recipient.lastEventAt < limit)
      .sort((a, b) =>
        a.lastEventAt === b.lastEventAt
          ? a.recipientId.localeCompare(b.recipientId)
          : a.lastEventAt < b.lastEventAt
            ? -1
            : 1,
      )
      .map(({ recipientId, kind, regencyCode, lastEventAt, encrypted }) => ({
        recipientId,
        kind,
        regencyCode,
        lastEventAt,
        encrypted,
      }));
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a retention period of `days` days reaches back to from `now`. */
export function retentionCutOff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
