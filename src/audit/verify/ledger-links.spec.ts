import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { LedgerLinks, type LedgerLinkFinding } from './ledger-links';

const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const D1 = `${R1}.1`;
const KEY = 'idempotency-k1';

/** A log written event by event: each gets the next position and its stream's next revision. */
class Log {
  readonly events: StoredEvent[] = [];

  append(
    streamName: string,
    type: string,
    data: object,
    {
      commandId = 'cmd',
      causationId = commandId,
    }: { commandId?: string; causationId?: string } = {},
  ): StoredEvent {
    const revision = BigInt(this.events.filter((e) => e.streamName === streamName).length);
    const event: StoredEvent = {
      streamName,
      revision,
      position: BigInt(this.events.length + 1),
      type,
      data,
      metadata: {
        eventId: `e${this.events.length + 1}`,
        actor: 'operator',
        correlationId: 'c',
        causationId,
        commandId,
        recordedAt: '2025-06-20T02:00:00.000Z',
        schemaVersion: 1,
        hash: '',
        previousHash: null,
      },
    };
    this.events.push(event);
    return event;
  }

  /** Pages of three, in position order, unless told otherwise. */
  check(events: StoredEvent[] = this.events) {
    const links = new LedgerLinks();
    for (let i = 0; i < events.length; i += 3) links.add(events.slice(i, i + 3));
    return links.report();
  }
}

const rse = (recipientId: string, nikHash: string) => ({
  recipientId,
  kind: 'RSE',
  regencyCode: '64.72',
  name: 'Siti',
  businessType: 'Warung',
  nikHash,
  nikMasked: '6472********0001',
});

const aid = (disbursementId = D1, valueRupiah = 5_000_000) => ({
  recipientId: R1,
  disbursementId,
  kind: 'RSE',
  regencyCode: '64.72',
  year: 2025,
  form: 'EQUIPMENT',
  items: [{ description: 'Etalase', quantity: 1, unitPriceRupiah: valueRupiah }],
  valueRupiah,
  disbursedOn: '2025-06-15',
});

const slot = (disbursementId = D1, valueRupiah = 5_000_000) => ({
  disbursementId,
  recipientId: R1,
  regencyCode: '64.72',
  valueRupiah,
});

const reversal = (disbursementId = D1) => ({
  recipientId: R1,
  disbursementId,
  kind: 'RSE',
  regencyCode: '64.72',
  year: 2025,
  valueRupiah: 5_000_000,
  reason: 'Data ganda',
  reversedOn: '2025-07-05',
});

/** RSE recipient R1 registered with its NIK claim, aided with its slot, as the new write side does. */
function registeredAndAided(log: Log): void {
  log.append(`nik-h1`, 'NikClaimed', { recipientId: R1, claimedAt: '2025-06-20T02:00:00Z' });
  log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'));
  log.append(`recipient-${R1}`, 'AidDisbursed', aid());
  log.append('quota-2025-RSE', 'QuotaSlotTaken', slot());
}

const kinds = (findings: LedgerLinkFinding[]) => findings.map((finding) => finding.kind);

describe('LedgerLinks', () => {
  it('finds nothing wrong with a log whose streams agree, keyed commands included', () => {
    const log = new Log();
    log.append('quota-2025-RSE', 'YearlyQuotaDefined', { year: 2025, kind: 'RSE', target: 500 });
    registeredAndAided(log);
    // A KUBe: five NIK claims in one registration.
    const members = [0, 1, 2, 3, 4].map((i) => ({
      name: `A${i}`,
      role: 'MEMBER',
      nikHash: `k${i}`,
      nikMasked: 'x',
    }));
    for (const member of members) {
      log.append(`nik-${member.nikHash}`, 'NikClaimed', { recipientId: R2, claimedAt: 't' });
    }
    log.append(`recipient-${R2}`, 'RecipientRegistered', {
      recipientId: R2,
      kind: 'KUBE',
      regencyCode: '64.72',
      groupName: 'Maju',
      businessType: 'Perikanan',
      members,
    });
    // A keyed reversal: the effects first, then the record naming them.
    const keyed = { commandId: 'cmd-r', causationId: KEY };
    const reversed = log.append(`recipient-${R1}`, 'DisbursementReversed', reversal(), keyed);
    const released = log.append(
      'quota-2025-RSE',
      'QuotaSlotReleased',
      { disbursementId: D1, reason: 'REVERSED' },
      keyed,
    );
    const effects = [reversed, released].map((e) => ({
      streamName: e.streamName,
      revision: e.revision.toString(),
    }));
    log.append(
      KEY,
      'IdempotentRequestAnswered',
      { requestHash: 'x', statusCode: 200, body: {}, effects },
      keyed,
    );
    // A keyed visit: the record first, then its effect.
    const visit = { commandId: 'cmd-v', causationId: 'idempotency-k2' };
    log.append(
      'idempotency-k2',
      'IdempotentRequestAnswered',
      {
        requestHash: 'y',
        statusCode: 201,
        body: {},
        effects: [{ streamName: `recipient-${R2}`, revision: '1' }],
      },
      visit,
    );
    log.append(`recipient-${R2}`, 'MonitoringRecorded', { recipientId: R2 }, visit);

    expect(log.check()).toEqual({
      disbursements: 1,
      slots: 1,
      registrations: 2,
      idempotencyRecords: 2,
      recordsWithoutEffects: 0,
      findings: [],
    });
  });

  it('finds nothing wrong with the legacy sagas, fences and unlisted idempotency records', () => {
    const log = new Log();
    // A claim left by a registration that died, taken over by the one that completed.
    log.append('nik-h1', 'NikClaimed', { recipientId: R2, claimedAt: 't' });
    log.append(`recipient-${R2}`, 'RegistrationAbandoned', { recipientId: R2 });
    log.append('nik-h1', 'NikReleased', { recipientId: R2, reason: 'ABANDONED' });
    log.append('nik-h1', 'NikClaimed', { recipientId: R1, claimedAt: 't' });
    log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'));
    // A slot reserved for a request that died, fenced and freed; its id refused once, then used.
    log.append('quota-2025-RSE', 'QuotaSlotReserved', { ...slot(`${R1}.1`), reservedAt: 't' });
    log.append(`recipient-${R1}`, 'DisbursementAbandoned', {
      recipientId: R1,
      disbursementId: `${R1}.1`,
    });
    log.append('quota-2025-RSE', 'QuotaSlotReleased', {
      disbursementId: `${R1}.1`,
      reason: 'ABANDONED',
    });
    log.append('quota-2025-RSE', 'QuotaSlotReserved', { ...slot(`${R1}.2`), reservedAt: 't' });
    log.append('quota-2025-RSE', 'QuotaSlotReleased', {
      disbursementId: `${R1}.2`,
      reason: 'REFUSED',
    });
    log.append('quota-2025-RSE', 'QuotaSlotReserved', { ...slot(`${R1}.2`), reservedAt: 't' });
    log.append(`recipient-${R1}`, 'AidDisbursed', aid(`${R1}.2`), { commandId: 'cmd-d' });
    log.append('quota-2025-RSE', 'QuotaSlotConfirmed', { disbursementId: `${R1}.2` });
    // Answered after the effect, without listing it, caused by the command itself.
    log.append(
      'idempotency-k3',
      'IdempotentRequestAnswered',
      { requestHash: 'z', statusCode: 201, body: {} },
      {
        commandId: 'cmd-d',
      },
    );

    expect(log.check()).toMatchObject({ slots: 3, recordsWithoutEffects: 1, findings: [] });
  });

  it('names a reversal cut off the tail of its recipient stream by the release that names it', () => {
    const log = new Log();
    registeredAndAided(log);
    const reversed = log.append(`recipient-${R1}`, 'DisbursementReversed', reversal());
    const released = log.append('quota-2025-RSE', 'QuotaSlotReleased', {
      disbursementId: D1,
      reason: 'REVERSED',
    });
    const { findings } = log.check(log.events.filter((e) => e !== reversed));
    expect(findings).toEqual([
      {
        kind: 'release-without-reversal',
        position: released.position.toString(),
        streamName: 'quota-2025-RSE',
        revision: '1',
        counterpart: { streamName: `recipient-${R1}`, position: null },
        message: expect.stringMatching(
          /QuotaSlotReleased at position 6 .* holds no DisbursementReversed of it \(its AidDisbursed is at position 3\)/,
        ),
      },
    ]);
  });

  it('names a disbursement whose rupiah differ from its slot, with both positions', () => {
    const log = new Log();
    log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'));
    log.append('nik-h1', 'NikClaimed', { recipientId: R1, claimedAt: 't' });
    log.append(`recipient-${R1}`, 'AidDisbursed', aid(D1, 1));
    log.append('quota-2025-RSE', 'QuotaSlotTaken', slot());
    expect(log.check().findings).toEqual([
      {
        kind: 'slot-mismatch',
        position: '3',
        streamName: `recipient-${R1}`,
        revision: '1',
        counterpart: { streamName: 'quota-2025-RSE', position: '4' },
        message: expect.stringMatching(
          /disagree on disbursement .*: rupiah 1 recorded, 5000000 in the slot/,
        ),
      },
    ]);
  });

  it('names a slot taken in the quota stream of another kind', () => {
    const log = new Log();
    log.append(`recipient-${R1}`, 'AidDisbursed', aid());
    log.append('quota-2025-KUBE', 'QuotaSlotTaken', slot());
    const [finding] = log.check().findings;
    expect(finding).toMatchObject({
      kind: 'slot-mismatch',
      counterpart: { streamName: 'quota-2025-KUBE', position: '2' },
    });
    expect(finding.message).toMatch(/kind RSE recorded, KUBE in the slot/);
  });

  it('names a legacy pending slot whose AidDisbursed never came', () => {
    const log = new Log();
    log.append('quota-2025-RSE', 'QuotaSlotReserved', { ...slot(), reservedAt: 't' });
    expect(log.check().findings).toEqual([
      expect.objectContaining({
        kind: 'slot-without-disbursement',
        position: '1',
        counterpart: { streamName: `recipient-${R1}`, position: null },
      }),
    ]);
  });

  it('names a disbursement with no slot, and one whose slot was freed for another reason', () => {
    const log = new Log();
    log.append(`recipient-${R1}`, 'AidDisbursed', aid());
    expect(log.check().findings).toEqual([
      expect.objectContaining({
        kind: 'disbursement-without-slot',
        position: '1',
        counterpart: { streamName: 'quota-2025-RSE', position: null },
      }),
    ]);
    log.append('quota-2025-RSE', 'QuotaSlotTaken', slot());
    log.append('quota-2025-RSE', 'QuotaSlotReleased', { disbursementId: D1, reason: 'ABANDONED' });
    const [finding] = log.check().findings;
    expect(finding).toMatchObject({
      kind: 'disbursement-without-slot',
      counterpart: { position: '3' },
    });
    expect(finding.message).toMatch(/freed as ABANDONED/);
  });

  it('names a reversal that left its slot held, or freed it for another reason', () => {
    const log = new Log();
    registeredAndAided(log);
    const reversed = log.append(`recipient-${R1}`, 'DisbursementReversed', reversal());
    expect(log.check().findings).toEqual([
      expect.objectContaining({
        kind: 'reversal-without-release',
        position: reversed.position.toString(),
        counterpart: { streamName: 'quota-2025-RSE', position: '4' },
        message: expect.stringMatching(
          /its slot \(QuotaSlotTaken at position 4 .*\) is still held/,
        ),
      }),
    ]);
    log.append('quota-2025-RSE', 'QuotaSlotReleased', { disbursementId: D1, reason: 'REFUSED' });
    expect(log.check().findings).toEqual([
      expect.objectContaining({
        kind: 'reversal-without-release',
        counterpart: { streamName: 'quota-2025-RSE', position: '6' },
        message: expect.stringMatching(/freed its slot as REFUSED, not REVERSED/),
      }),
    ]);
  });

  it('names a registered NIK that is not claimed, claimed by another, or released', () => {
    const log = new Log();
    log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'));
    log.append(`recipient-${R2}`, 'RecipientRegistered', rse(R2, 'h2'));
    log.append('nik-h2', 'NikClaimed', { recipientId: R1, claimedAt: 't' });
    const [unclaimed, another] = log.check().findings;
    expect(unclaimed).toMatchObject({
      kind: 'nik-not-held',
      position: '1',
      counterpart: { streamName: 'nik-h1', position: null },
    });
    expect(unclaimed.message).toMatch(/nik-h1 has never claimed/);
    expect(another).toMatchObject({
      position: '2',
      counterpart: { streamName: 'nik-h2', position: '3' },
    });
    expect(another.message).toMatch(new RegExp(`holds for recipient ${R1}`));

    log.append('nik-h2', 'NikClaimed', { recipientId: R2, claimedAt: 't' });
    log.append('nik-h2', 'NikReleased', { recipientId: R2, reason: 'ABANDONED' });
    expect(log.check().findings[1].message).toMatch(
      /no longer holds for anyone \(NikReleased at position 5/,
    );
  });

  it('names every event of a keyed command whose idempotency stream was deleted', () => {
    const log = new Log();
    const keyed = { commandId: 'cmd-1', causationId: KEY };
    const registered = log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'), keyed);
    const claimed = log.append('nik-h1', 'NikClaimed', { recipientId: R1, claimedAt: 't' }, keyed);
    const record = log.append(
      KEY,
      'IdempotentRequestAnswered',
      {
        requestHash: 'x',
        statusCode: 201,
        body: {},
        effects: [registered, claimed].map((e) => ({ streamName: e.streamName, revision: '0' })),
      },
      keyed,
    );
    expect(log.check().findings).toEqual([]);
    const { findings } = log.check(log.events.filter((e) => e !== record));
    expect(findings).toEqual(
      [registered, claimed].map((e) => ({
        kind: 'missing-answer',
        position: e.position.toString(),
        streamName: e.streamName,
        revision: '0',
        counterpart: { streamName: KEY, position: null },
        message: expect.stringMatching(
          /caused by idempotency-k1, but the log holds no IdempotentRequestAnswered there for command cmd-1/,
        ),
      })),
    );
  });

  it('names an effect a record lists that is not there, or belongs to another command', () => {
    const log = new Log();
    log.append(
      KEY,
      'IdempotentRequestAnswered',
      {
        requestHash: 'x',
        statusCode: 201,
        body: {},
        effects: [
          { streamName: `recipient-${R1}`, revision: '0' },
          { streamName: `recipient-${R1}`, revision: '1' },
        ],
      },
      { commandId: 'cmd-1', causationId: KEY },
    );
    log.append(`recipient-${R1}`, 'RecipientRegistered', rse(R1, 'h1'), {
      commandId: 'cmd-1',
      causationId: KEY,
    });
    log.append(
      'nik-h1',
      'NikClaimed',
      { recipientId: R1, claimedAt: 't' },
      { commandId: 'cmd-1', causationId: KEY },
    );
    log.append(
      `recipient-${R1}`,
      'MonitoringRecorded',
      { recipientId: R1 },
      { commandId: 'cmd-2', causationId: KEY },
    );
    const { findings } = log.check();
    expect(kinds(findings)).toEqual(['missing-effect', 'missing-answer']);
    expect(findings[0]).toMatchObject({
      position: '1',
      streamName: KEY,
      counterpart: { streamName: `recipient-${R1}`, position: null },
    });
    expect(findings[0].message).toMatch(
      /lists revision 1 of recipient-.* as an effect of command cmd-1/,
    );
    expect(findings[1]).toMatchObject({
      position: '4',
      counterpart: { streamName: KEY, position: '1' },
    });
    expect(findings[1].message).toMatch(
      /whose record answers another command \(cmd-1, not cmd-2\)/,
    );
  });
});
