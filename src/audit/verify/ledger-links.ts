import type { StoredEvent } from '../../platform/event-store/event-store.port';

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

/** An event named in a finding. */
interface Place {
  type: string;
  streamName: string;
  revision: bigint;
  position: bigint;
}

/**
 * Where a kept event stands, with its type and stream left to the record that holds it (they
 * follow from it): a log of millions of events keeps hundreds of thousands of these. Positions
 * and revisions are numbers while they fit a small integer, which V8 stores inside the object.
 */
interface At {
  revision: number | bigint;
  position: number | bigint;
}

interface Slot extends At {
  /** An older log's reservation, rather than a slot taken in the disbursement's own commit. */
  reserved: boolean;
  year: number;
  kind: string;
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
  release: (At & { reason: string }) | null;
}

interface Aid extends At {
  recipientId: string;
  kind: string;
  year: number;
  regencyCode: string;
  valueRupiah: number;
}

interface Reversal extends At {
  recipientId: string;
  kind: string;
  year: number;
}

/** What the quota and recipient streams say of one disbursement id. */
interface Disbursement {
  /** The recipient its id names (`<recipientId>.<n>`); records naming the same one share it. */
  recipientId: string;
  /** The latest slot in each quota stream that names it (older logs could reserve an id again). */
  slots: Slot[];
  aid?: Aid;
  reversal?: Reversal;
}

/**
 * One NIK's stream as the pass left it, and the registration that names the NIK; flat, as there
 * is one per NIK of the programme.
 */
interface Nik {
  holder: string | null;
  /** The last claim or release: its place (position -1 when there is none), and which. */
  changeRevision: number | bigint;
  changePosition: number | bigint;
  released: boolean;
  registeredBy: string | undefined;
  registrationRevision: number | bigint;
  registrationPosition: number | bigint;
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
  private readonly niks = new Map<string, Nik>();
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
    for (const [nikHash, nik] of this.niks) this.checkNik(nikHash, nik);
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
    const year = Number(match[1]);
    const kind = this.intern(match[2]);
    const index = disbursement.slots.findIndex((slot) => slot.year === year && slot.kind === kind);
    if (event.type === 'QuotaSlotTaken' || event.type === 'QuotaSlotReserved') {
      this.slotCount++;
      const slot: Slot = {
        revision: small(event.revision),
        position: small(event.position),
        reserved: event.type === 'QuotaSlotReserved',
        year,
        kind,
        recipientId: sameAs(String(data.recipientId), disbursement.recipientId),
        regencyCode: this.intern(String(data.regencyCode)),
        valueRupiah: Number(data.valueRupiah),
        release: null,
      };
      if (index >= 0) disbursement.slots[index] = slot;
      else disbursement.slots.push(slot);
    } else if (event.type === 'QuotaSlotReleased' && index >= 0) {
      const reason = this.intern(String(data.reason));
      disbursement.slots[index].release = {
        revision: small(event.revision),
        position: small(event.position),
        reason,
      };
    }
  }

  private addRecipient(event: StoredEvent): void {
    const data = event.data as Record<string, unknown>;
    const recipientId = event.streamName.slice('recipient-'.length);
    if (event.type === 'RecipientRegistered') {
      this.registrationCount++;
      const members = Array.isArray(data.members) ? (data.members as { nikHash?: unknown }[]) : [];
      const hashes = data.kind === 'KUBE' ? members.map((m) => m.nikHash) : [data.nikHash];
      for (const nikHash of hashes) this.registerNik(String(nikHash), recipientId, event);
      return;
    }
    // A corrected NIK is the recipient's instead of the mistyped one, whose claim was released;
    // a newcomer to a KUBe is registered with the group (the leaving member's claim stays).
    if (event.type === 'NikCorrected') {
      const { before, after } = data as {
        before?: { nikHash?: unknown };
        after?: { nikHash?: unknown };
      };
      this.unregisterNik(String(before?.nikHash), recipientId);
      this.registerNik(String(after?.nikHash), recipientId, event);
      return;
    }
    if (event.type === 'MemberReplaced') {
      const { joined } = data as { joined?: { nikHash?: unknown } };
      this.registerNik(String(joined?.nikHash), recipientId, event);
      return;
    }
    if (typeof data.disbursementId !== 'string') return;
    const kind = this.intern(String(data.kind));
    const year = Number(data.year);
    const disbursement = this.disbursement(data.disbursementId);
    const recipient = sameAs(recipientId, disbursement.recipientId);
    if (event.type === 'AidDisbursed') {
      this.aidCount++;
      disbursement.aid = {
        revision: small(event.revision),
        position: small(event.position),
        recipientId: recipient,
        kind,
        year,
        regencyCode: this.intern(String(data.regencyCode)),
        valueRupiah: Number(data.valueRupiah),
      };
    } else if (event.type === 'DisbursementReversed') {
      disbursement.reversal = {
        revision: small(event.revision),
        position: small(event.position),
        recipientId: recipient,
        kind,
        year,
      };
    }
  }

  private addNik(event: StoredEvent): void {
    const nik = this.nik(event.streamName.slice('nik-'.length));
    const recipientId = String((event.data as { recipientId?: unknown }).recipientId);
    if (event.type === 'NikClaimed') {
      nik.holder = nik.registeredBy === recipientId ? nik.registeredBy : recipientId;
      nik.released = false;
    } else if (event.type === 'NikReleased' && nik.holder === recipientId) {
      nik.holder = null;
      nik.released = true;
    } else {
      return;
    }
    nik.changeRevision = small(event.revision);
    nik.changePosition = small(event.position);
  }

  /** A NIK named by a registration; a second registration of it is named at once. */
  private registerNik(nikHash: string, recipientId: string, event: StoredEvent): void {
    const nik = this.nik(nikHash);
    const revision = small(event.revision);
    const position = small(event.position);
    if (nik.registeredBy !== undefined && nik.registeredBy !== recipientId) {
      this.notHeld(nikHash, {
        ...nik,
        registeredBy: recipientId,
        registrationRevision: revision,
        registrationPosition: position,
      });
      return;
    }
    nik.registeredBy = nik.holder === recipientId ? nik.holder : recipientId;
    nik.registrationRevision = revision;
    nik.registrationPosition = position;
  }

  /** A NIK the recipient no longer registers (corrected away): nobody need hold it now. */
  private unregisterNik(nikHash: string, recipientId: string): void {
    const nik = this.niks.get(nikHash);
    if (nik?.registeredBy === recipientId) nik.registeredBy = undefined;
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

  private nik(nikHash: string): Nik {
    let nik = this.niks.get(nikHash);
    if (!nik) {
      nik = {
        holder: null,
        changeRevision: -1,
        changePosition: -1,
        released: false,
        registeredBy: undefined,
        registrationRevision: -1,
        registrationPosition: -1,
      };
      this.niks.set(nikHash, nik);
    }
    return nik;
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
      disbursement = { recipientId: id.slice(0, id.lastIndexOf('.')), slots: [] };
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
        const freed = releasePlace(slot, release);
        this.find(
          'release-without-reversal',
          freed,
          { streamName: recipientStream, position: null },
          `${describe(freed)} frees the slot of disbursement ${id} as REVERSED, but ` +
            `${recipientStream} holds no DisbursementReversed of it` +
            (aid ? ` (its AidDisbursed is at position ${aid.position})` : ''),
        );
      }
      if (release) continue;
      const held = slotPlace(slot);
      if (!aid) {
        this.find(
          'slot-without-disbursement',
          held,
          { streamName: recipientStream, position: null },
          `${describe(held)} holds a slot for disbursement ${id}, but ${recipientStream} holds no AidDisbursed of it`,
        );
      } else if (reversal) {
        reversalNamed = true;
        const reversed = reversalPlace(reversal);
        this.find(
          'reversal-without-release',
          reversed,
          { streamName: held.streamName, position: held.position.toString() },
          `${describe(reversed)} reverses disbursement ${id}, but its slot (${describe(held)}) is still held`,
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
    const freed = freedIn(slots, aid);
    const recorded = aidPlace(aid);
    this.find(
      'disbursement-without-slot',
      recorded,
      { streamName: stream, position: freed ? String(freed.position) : null },
      `${describe(recorded)} records disbursement ${id}, but ${stream} holds no slot for it` +
        (freed ? ` (it was freed as ${freed.release.reason} by ${describe(freed)})` : ''),
    );
  }

  private withoutRelease(id: string, reversal: Reversal, slots: readonly Slot[]): void {
    const stream = quotaStream(reversal);
    const freed = freedIn(slots, reversal);
    if (freed?.release.reason === 'REVERSED') return;
    const reversed = reversalPlace(reversal);
    this.find(
      'reversal-without-release',
      reversed,
      { streamName: stream, position: freed ? String(freed.position) : null },
      `${describe(reversed)} reverses disbursement ${id}, but ${stream} ` +
        (freed
          ? `freed its slot as ${freed.release.reason}, not REVERSED (${describe(freed)})`
          : 'holds no release of its slot'),
    );
  }

  private compareSlot(id: string, slot: Slot, aid: Aid): void {
    const differences = [
      ['year', slot.year, aid.year],
      ['kind', slot.kind, aid.kind],
      ['regency', slot.regencyCode, aid.regencyCode],
      ['rupiah', slot.valueRupiah, aid.valueRupiah],
      ['recipient', slot.recipientId, aid.recipientId],
    ].filter(([, inSlot, inAid]) => inSlot !== inAid);
    if (differences.length === 0) return;
    const [recorded, held] = [aidPlace(aid), slotPlace(slot)];
    this.find(
      'slot-mismatch',
      recorded,
      { streamName: held.streamName, position: held.position.toString() },
      `${describe(recorded)} and its slot ${describe(held)} disagree on disbursement ${id}: ` +
        differences
          .map(
            ([field, inSlot, inAid]) =>
              `${field} ${String(inAid)} recorded, ${String(inSlot)} in the slot`,
          )
          .join('; '),
    );
  }

  private checkNik(nikHash: string, nik: Nik): void {
    if (nik.registeredBy !== undefined && nik.holder !== nik.registeredBy) {
      this.notHeld(nikHash, nik);
    }
  }

  private notHeld(nikHash: string, nik: Nik): void {
    const { holder, registeredBy } = nik;
    const streamName = `nik-${nikHash}`;
    const registered = place('RecipientRegistered', `recipient-${registeredBy}`, {
      revision: nik.registrationRevision,
      position: nik.registrationPosition,
    });
    const changed =
      nik.changePosition === -1
        ? null
        : place(nik.released ? 'NikReleased' : 'NikClaimed', streamName, {
            revision: nik.changeRevision,
            position: nik.changePosition,
          });
    this.find(
      'nik-not-held',
      registered,
      { streamName, position: changed ? changed.position.toString() : null },
      `${describe(registered)} registers a NIK that ${streamName} ` +
        (!changed
          ? 'has never claimed'
          : holder === null
            ? `no longer holds for anyone (${describe(changed)})`
            : `holds for recipient ${holder} (${describe(changed)})`),
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

/** The kept string when both name the same thing: one string held instead of two. */
function sameAs(text: string, kept: string): string {
  return text === kept ? kept : text;
}

function small(value: bigint): number | bigint {
  return value <= 0x3fffffffn ? Number(value) : value;
}

function place(type: string, streamName: string, { revision, position }: At): Place {
  return { type, streamName, revision: BigInt(revision), position: BigInt(position) };
}

function slotPlace(slot: Slot): Place {
  return place(slot.reserved ? 'QuotaSlotReserved' : 'QuotaSlotTaken', quotaStream(slot), slot);
}

function releasePlace(slot: Slot, release: At): Place {
  return place('QuotaSlotReleased', quotaStream(slot), release);
}

function aidPlace(aid: Aid): Place {
  return place('AidDisbursed', `recipient-${aid.recipientId}`, aid);
}

function reversalPlace(reversal: Reversal): Place {
  return place('DisbursementReversed', `recipient-${reversal.recipientId}`, reversal);
}

/** The release of the slot a disbursement took in its year's quota stream, as its place. */
function freedIn(
  slots: readonly Slot[],
  { year, kind }: { year: number; kind: string },
): (Place & { release: { reason: string } }) | undefined {
  const slot = slots.find((candidate) => candidate.year === year && candidate.kind === kind);
  if (!slot?.release) return undefined;
  return { ...releasePlace(slot, slot.release), release: slot.release };
}

function describe(at: Place): string {
  return `${at.type} at position ${at.position} (${at.streamName}, revision ${at.revision})`;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
