import type { AidKind } from '../../domain/programme/aid-programme';
import { findRegency } from '../../domain/programme/regencies';
import type { AidForm, AidItem } from '../../domain/recipient/recipient.commands';
import type { RecipientEvent } from '../../domain/recipient/recipient.events';
import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { knownBy } from '../as-of';

/** One disbursement as the event log tells it, with its reversal when one was recorded. */
export interface DisbursementRecord {
  disbursementId: string;
  recipientId: string;
  kind: AidKind;
  regencyCode: string;
  regencyName: string;
  year: number;
  /** The recipient's NIK masked; for a KUBe, every member's. */
  maskedNiks: string[];
  form: AidForm;
  items: AidItem[];
  valueRupiah: number;
  disbursedOn: string;
  recordedAt: string;
  actor: string;
  reversal: { reversedOn: string; reason: string; actor: string; recordedAt: string } | null;
}

export interface HistoryFilter {
  /** End of the day, as from endOfDay(): only events recorded before it count. */
  knownBefore?: string;
  /** Only disbursements handed over on or after this business date (YYYY-MM-DD). */
  disbursedFrom?: string;
  /** Only disbursements handed over on or before this business date (YYYY-MM-DD). */
  disbursedUntil?: string;
  kind?: AidKind;
  regencyCode?: string;
}

/**
 * Rebuilds the disbursement history from events alone (no read model): fed the log in position
 * order, it keeps each recipient's masked NIKs and every disbursement with its reversal.
 */
export class DisbursementHistory {
  private readonly niksOf = new Map<string, string[]>();
  private readonly records = new Map<string, DisbursementRecord>();

  constructor(private readonly filter: HistoryFilter = {}) {}

  add(events: readonly StoredEvent[]): void {
    for (const stored of events) {
      if (!knownBy(stored.metadata.recordedAt, this.filter.knownBefore)) continue;
      const event = stored as unknown as RecipientEvent & StoredEvent;
      switch (event.type) {
        case 'RecipientRegistered': {
          const data = event.data;
          const niks =
            data.kind === 'RSE' ? [data.nikMasked] : data.members.map((m) => m.nikMasked);
          this.niksOf.set(data.recipientId, niks);
          break;
        }
        case 'NikCorrected': {
          // A mistyped NIK was never the recipient's: the correction holds for her past aid too.
          const { before, after } = event.data;
          const fix = (niks: string[]) =>
            niks.map((nik) => (nik === before.nikMasked ? after.nikMasked : nik));
          const niks = this.niksOf.get(event.data.recipientId);
          if (niks) this.niksOf.set(event.data.recipientId, fix(niks));
          for (const record of this.records.values()) {
            if (record.recipientId === event.data.recipientId) {
              record.maskedNiks = fix(record.maskedNiks);
            }
          }
          break;
        }
        case 'MemberReplaced': {
          // Aid already given went to the group as it was; later aid goes to the group as it is.
          const { recipientId, left, joined } = event.data;
          const niks = this.niksOf.get(recipientId) ?? [];
          this.niksOf.set(
            recipientId,
            niks.map((nik) => (nik === left.nikMasked ? joined.nikMasked : nik)),
          );
          break;
        }
        case 'AidDisbursed': {
          const data = event.data;
          if (!this.wanted(data)) break;
          this.records.set(data.disbursementId, {
            disbursementId: data.disbursementId,
            recipientId: data.recipientId,
            kind: data.kind,
            regencyCode: data.regencyCode,
            regencyName: findRegency(data.regencyCode)?.name ?? data.regencyCode,
            year: data.year,
            maskedNiks: this.niksOf.get(data.recipientId) ?? [],
            form: data.form,
            items: data.items,
            valueRupiah: data.valueRupiah,
            disbursedOn: data.disbursedOn,
            recordedAt: event.metadata.recordedAt,
            actor: event.metadata.actor,
            reversal: null,
          });
          break;
        }
        case 'DisbursementReversed': {
          const record = this.records.get(event.data.disbursementId);
          if (record) {
            record.reversal = {
              reversedOn: event.data.reversedOn,
              reason: event.data.reason,
              actor: event.metadata.actor,
              recordedAt: event.metadata.recordedAt,
            };
          }
          break;
        }
      }
    }
  }

  /** The disbursements in the order they were recorded. */
  list(): DisbursementRecord[] {
    return [...this.records.values()];
  }

  private wanted(data: { kind: AidKind; regencyCode: string; disbursedOn: string }): boolean {
    const { disbursedFrom, disbursedUntil, kind, regencyCode } = this.filter;
    return (
      (disbursedFrom === undefined || data.disbursedOn >= disbursedFrom) &&
      (disbursedUntil === undefined || data.disbursedOn <= disbursedUntil) &&
      (kind === undefined || data.kind === kind) &&
      (regencyCode === undefined || data.regencyCode === regencyCode)
    );
  }
}

export interface HistoryTotals {
  disbursements: number;
  valueRupiah: number;
  reversed: number;
  reversedValueRupiah: number;
}

export function totalsOf(records: readonly DisbursementRecord[]): HistoryTotals {
  const reversed = records.filter((record) => record.reversal !== null);
  const sum = (list: readonly DisbursementRecord[]) =>
    list.reduce((total, record) => total + record.valueRupiah, 0);
  return {
    disbursements: records.length,
    valueRupiah: sum(records),
    reversed: reversed.length,
    reversedValueRupiah: sum(reversed),
  };
}
