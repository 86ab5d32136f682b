import type { StoredEvent } from '../../event-store/event-store.port';

export type LedgerLinkKind =
  | 'slot-without-disbursement'
  | 'disbursement-without-slot'
  | 'slot-mismatch'
  | 'reversal-without-release'
  | 'release-without-reversal'
  | 'nik-not-held'
  | 'missing-effect'
  | 'missing-answer';

/** Two events the log says belong together, and how they disagree. */
export interface LedgerLinkFinding {
  kind: LedgerLinkKind;
  /** The event that is there. */
  position: string;
  streamName: string;
  revision: string;
  /** The event it names or should match; position null when the log holds none. */
  counterpart: { streamName: string; position: string | null };
  message: string;
}

export interface LedgerLinkReport {
  disbursements: number;
  slots: number;
  registrations: number;
  idempotencyRecords: number;
  /** Records from before they listed their effects: what they caused cannot be checked. */
  recordsWithoutEffects: number;
  /** In position order. */
  findings: LedgerLinkFinding[];
}

interface Place {
  type: string;
  streamName: string;
  revision: bigint;
  position: bigint;
}

/** Records of fixed shape, each with the place of its event: spread objects cost far more. */
interface Slot {
  at: Place;
  year: number;
  kind: string;
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
  release: { at: Place; reason: string } | null;
}

interface Aid {
  at: Place;
  kind: string;
  year: number;
  regencyCode: string;
  valueRupiah: number;
}

interface Reversal {
  at: Place;
  kind: string;
  year: number;
}

/** What the quota and recipient streams say of one disbursement id. */
interface Disbursement {
  /** The latest slot in each quota stream that names it (older logs could reserve an id again). */
  slots: Slot[];
  aid?: Aid;
  reversal?: Reversal;
}

interface Claim {
  holder: string | null;
  at: Place;
}

interface Registration {
  nikHashes: string[];
  recipientId: string;
  at: Place;
}

interface CommandEvent {
  at: Place;
  commandId: string;
}

interface ExpectedEffect {
  streamName: string;
  revision: string;
  commandId: string;
  record: Place;
}

interface AnswerRecord {
  position: bigint;
  commandId: string;
}

const QUOTA_STREAM = /^quota-(\d+)-(.+)$/;
const IDEMPOTENCY = 'idempotency-';

/**
 * Checks what the log implies across streams, with no seal needed: every quota slot held matches
 * a live disbursement and the other way round, every reversal released its slot and every
 * REVERSED release has its reversal, every registered NIK is claimed by its recipient, and every
 * idempotency record and the events of its command name each other. Fed the pages of one pass in
 * position order, it keeps a small record per disbursement, NIK and idempotency record, and judges
 * once the pass is over, since the events of one command may come in any order.
 */
export class LedgerLinks {
  private readonly disbursements = new Map<string, Disbursement>();
  private readonly claims = new Map<string, Claim>();
  private readonly registrations: Registration[] = [];
  /** Idempotency stream → where its record is and the command it answered. */
  private readonly records = new Map<string, AnswerRecord>();
  /** `stream@revision` listed as an effect by a record and not seen since. */
  private readonly expectedEffects = new Map<string, ExpectedEffect>();
  /** `stream@revision` caused by an idempotency stream whose record had not been seen. */
  private readonly unanswered = new Map<string, CommandEvent & { causationId: string }>();
  private readonly findings: LedgerLinkFinding[] = [];
  /** Types, kinds, regencies and reasons repeat: one string each, not one per event. */
  private readonly strings = new Map<string, string>();
  private slotCount = 0;
  private aidCount = 0;
  private registrationCount = 0;
  private recordsWithoutEffects = 0;

  add(events: readonly StoredEvent[]): void {
    for (const event of events) {
      const prefix = event.streamName.slice(0, event.streamName.indexOf('-') + 1);
      if (prefix === 'quota-') this.addQuota(event);
      else if (prefix === 'recipient-') this.addRecipient(event);
      else if (prefix === 'nik-') this.addNik(event);
      if (prefix === IDEMPOTENCY && event.type === 'IdempotentRequestAnswered') {
        this.addRecord(event);
      } else {
        this.addCaused(event);
      }
    }
  }

  report(): LedgerLinkReport {
    for (const [id, disbursement] of this.disbursements) this.checkDisbursement(id, disbursement);
    for (const registration of this.registrations) this.checkNiks(registration);
    for (const effect of this.expectedEffects.values()) {
      this.find(
        'missing-effect',
        effect.record,
        { streamName: effect.streamName, position: null },
        `${describe(effect.record)} lists revision ${effect.revision} of ${effect.streamName} ` +
          `as an effect of command ${effect.commandId}, but the log holds no such event of that command`,
      );
    }
    for (const event of this.unanswered.values()) {
      const record = this.records.get(event.causationId);
      if (record?.commandId !== event.commandId) this.missingAnswer(event, record);
    }
    return {
      disbursements: this.aidCount,
      slots: this.slotCount,
      registrations: this.registrationCount,
      idempotencyRecords: this.records.size,
      recordsWithoutEffects: this.recordsWithoutEffects,
      findings: [...this.findings].sort((a, b) => compare(BigInt(a.position), BigInt(b.position))),
    };
  }

  private addQuota(event: StoredEvent): void {
    const match = QUOTA_STREAM.exec(event.streamName);
    const data = event.data as Record<string, unknown>;
    const disbursementId = data.disbursementId;
    if (!match || typeof disbursementId !== 'string') return;
    const disbursement = this.disbursement(disbursementId);
    const index = disbursement.slots.findIndex((slot) => slot.at.streamName === event.streamName);
    if (event.type === 'QuotaSlotTaken' || event.type === 'QuotaSlotReserved') {
      this.slotCount++;
      const slot: Slot = {
        at: this.placeOf(event),
        year: Number(match[1]),
        kind: this.intern(match[2]),
        recipientId: String(data.recipientId),
        regencyCode: this.intern(String(data.regencyCode)),
        valueRupiah: Number(data.valueRupiah),
        release: null,
      };
      if (index >= 0) disbursement.slots[index] = slot;
      else disbursement.slots.push(slot);
    } else if (event.type === 'QuotaSlotReleased' && index >= 0) {
      const reason = this.intern(String(data.reason));
      disbursement.slots[index].release = { at: this.placeOf(event), reason };
    }
  }

  private addRecipient(event: StoredEvent): void {
    const data = event.data as Record<string, unknown>;
    if (event.type === 'RecipientRegistered') {
      this.registrationCount++;
      const members = Array.isArray(data.members) ? (data.members as { nikHash?: unknown }[]) : [];
      const hashes = data.kind === 'KUBE' ? members.map((m) => m.nikHash) : [data.nikHash];
      this.registrations.push({
        nikHashes: hashes.map(String),
        recipientId: String(data.recipientId),
        at: this.placeOf(event),
      });
      return;
    }
    if (typeof data.disbursementId !== 'string') return;
    const kind = this.intern(String(data.kind));
    const year = Number(data.year);
    if (event.type === 'AidDisbursed') {
      this.aidCount++;
      this.disbursement(data.disbursementId).aid = {
        at: this.placeOf(event),
        kind,
        year,
        regencyCode: this.intern(String(data.regencyCode)),
        valueRupiah: Number(data.valueRupiah),
      };
    } else if (event.type === 'DisbursementReversed') {
      this.disbursement(data.disbursementId).reversal = { at: this.placeOf(event), kind, year };
    }
  }

  private addNik(event: StoredEvent): void {
    const nikHash = event.streamName.slice('nik-'.length);
    const recipientId = String((event.data as { recipientId?: unknown }).recipientId);
    if (event.type === 'NikClaimed') {
      this.claims.set(nikHash, { holder: recipientId, at: this.placeOf(event) });
    } else if (event.type === 'NikReleased' && this.claims.get(nikHash)?.holder === recipientId) {
      this.claims.set(nikHash, { holder: null, at: this.placeOf(event) });
    }
  }

  private addRecord(event: StoredEvent): void {
    const { commandId } = event.metadata;
    this.records.set(event.streamName, { position: event.position, commandId });
    const { effects } = event.data as { effects?: unknown };
    if (!Array.isArray(effects)) {
      this.recordsWithoutEffects++;
      return;
    }
    const record = this.placeOf(event);
    for (const effect of effects as { streamName?: unknown; revision?: unknown }[]) {
      const streamName = String(effect?.streamName);
      const revision = String(effect?.revision);
      const key = `${streamName}@${revision}`;
      if (this.unanswered.get(key)?.commandId === commandId) {
        this.unanswered.delete(key);
        continue;
      }
      this.expectedEffects.set(key, { streamName, revision, commandId, record });
    }
  }

  /** Resolves an effect a record listed, and checks an event a keyed command caused. */
  private addCaused(event: StoredEvent): void {
    const key = `${event.streamName}@${event.revision}`;
    const { commandId, causationId } = event.metadata;
    if (this.expectedEffects.get(key)?.commandId === commandId) this.expectedEffects.delete(key);
    if (!causationId.startsWith(IDEMPOTENCY)) return;
    const record = this.records.get(causationId);
    if (!record) {
      this.unanswered.set(key, { at: this.placeOf(event), commandId, causationId });
    } else if (record.commandId !== commandId) {
      this.missingAnswer({ at: this.placeOf(event), commandId, causationId }, record);
    }
  }

  private placeOf({ type, streamName, revision, position }: StoredEvent): Place {
    return { type: this.intern(type), streamName, revision, position };
  }

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    this.strings.set(text, text);
    return text;
  }

  private disbursement(id: string): Disbursement {
    let disbursement = this.disbursements.get(id);
    if (!disbursement) {
      disbursement = { slots: [] };
      this.disbursements.set(id, disbursement);
    }
    return disbursement;
  }

  private checkDisbursement(id: string, { slots, aid, reversal }: Disbursement): void {
    let reversalNamed = false;
    for (const slot of slots) {
      const recipientStream = `recipient-${slot.recipientId}`;
      const { release } = slot;
      if (release?.reason === 'REVERSED' && !reversal) {
        this.find(
          'release-without-reversal',
          release.at,
          { streamName: recipientStream, position: null },
          `${describe(release.at)} frees the slot of disbursement ${id} as REVERSED, but ` +
            `${recipientStream} holds no DisbursementReversed of it` +
            (aid ? ` (its AidDisbursed is at position ${aid.at.position})` : ''),
        );
      }
      if (release) continue;
      if (!aid) {
        this.find(
          'slot-without-disbursement',
          slot.at,
          { streamName: recipientStream, position: null },
          `${describe(slot.at)} holds a slot for disbursement ${id}, but ${recipientStream} holds no AidDisbursed of it`,
        );
      } else if (reversal) {
        reversalNamed = true;
        this.find(
          'reversal-without-release',
          reversal.at,
          { streamName: slot.at.streamName, position: slot.at.position.toString() },
          `${describe(reversal.at)} reverses disbursement ${id}, but its slot (${describe(slot.at)}) is still held`,
        );
      } else {
        this.compareSlot(id, slot, aid);
      }
    }
    // A slot freed as REVERSED without its reversal was named above.
    const held = slots.some((slot) => !slot.release || slot.release.reason === 'REVERSED');
    if (aid && !reversal && !held) this.withoutSlot(id, aid, slots);
    if (reversal && !reversalNamed) this.withoutRelease(id, reversal, slots);
  }

  private withoutSlot(id: string, aid: Aid, slots: readonly Slot[]): void {
    const stream = quotaStream(aid);
    const freed = slots.find((slot) => slot.at.streamName === stream)?.release;
    this.find(
      'disbursement-without-slot',
      aid.at,
      { streamName: stream, position: freed?.at.position.toString() ?? null },
      `${describe(aid.at)} records disbursement ${id}, but ${stream} holds no slot for it` +
        (freed ? ` (it was freed as ${freed.reason} by ${describe(freed.at)})` : ''),
    );
  }

  private withoutRelease(id: string, reversal: Reversal, slots: readonly Slot[]): void {
    const stream = quotaStream(reversal);
    const freed = slots.find((slot) => slot.at.streamName === stream)?.release;
    if (freed?.reason === 'REVERSED') return;
    this.find(
      'reversal-without-release',
      reversal.at,
      { streamName: stream, position: freed?.at.position.toString() ?? null },
      `${describe(reversal.at)} reverses disbursement ${id}, but ${stream} ` +
        (freed
          ? `freed its slot as ${freed.reason}, not REVERSED (${describe(freed.at)})`
          : 'holds no release of its slot'),
    );
  }

  private compareSlot(id: string, slot: Slot, aid: Aid): void {
    const differences = [
      ['year', slot.year, aid.year],
      ['kind', slot.kind, aid.kind],
      ['regency', slot.regencyCode, aid.regencyCode],
      ['rupiah', slot.valueRupiah, aid.valueRupiah],
      ['recipient', slot.recipientId, aid.at.streamName.slice('recipient-'.length)],
    ].filter(([, inSlot, inAid]) => inSlot !== inAid);
    if (differences.length === 0) return;
    this.find(
      'slot-mismatch',
      aid.at,
      { streamName: slot.at.streamName, position: slot.at.position.toString() },
      `${describe(aid.at)} and its slot ${describe(slot.at)} disagree on disbursement ${id}: ` +
        differences
          .map(
            ([field, inSlot, inAid]) =>
              `${field} ${String(inAid)} recorded, ${String(inSlot)} in the slot`,
          )
          .join('; '),
    );
  }

  private checkNiks({ nikHashes, recipientId, at }: Registration): void {
    for (const nikHash of nikHashes) this.checkNik(nikHash, recipientId, at);
  }

  private checkNik(nikHash: string, recipientId: string, at: Place): void {
    const claim = this.claims.get(nikHash);
    if (claim?.holder === recipientId) return;
    const streamName = `nik-${nikHash}`;
    this.find(
      'nik-not-held',
      at,
      { streamName, position: claim ? claim.at.position.toString() : null },
      `${describe(at)} registers a NIK that ${streamName} ` +
        (!claim
          ? 'has never claimed'
          : claim.holder === null
            ? `no longer holds for anyone (${describe(claim.at)})`
            : `holds for recipient ${claim.holder} (${describe(claim.at)})`),
    );
  }

  private missingAnswer(
    event: CommandEvent & { causationId: string },
    record: AnswerRecord | undefined,
  ): void {
    this.find(
      'missing-answer',
      event.at,
      { streamName: event.causationId, position: record ? record.position.toString() : null },
      `${describe(event.at)} was caused by ${event.causationId}, ` +
        (record
          ? `whose record answers another command (${record.commandId}, not ${event.commandId})`
          : `but the log holds no IdempotentRequestAnswered there for command ${event.commandId}`),
    );
  }

  private find(
    kind: LedgerLinkKind,
    at: Place,
    counterpart: LedgerLinkFinding['counterpart'],
    message: string,
  ): void {
    this.findings.push({
      kind,
      position: at.position.toString(),
      streamName: at.streamName,
      revision: at.revision.toString(),
      counterpart,
      message,
    });
  }
}

function quotaStream({ year, kind }: { year: number; kind: string }): string {
  return `quota-${year}-${kind}`;
}

function describe(at: Place): string {
  return `${at.type} at position ${at.position} (${at.streamName}, revision ${at.revision})`;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
