import type { EventContext } from '../../src/platform/event-store/event-metadata';
import {
  NO_STREAM,
  type EventStore,
  type NewEvent,
} from '../../src/platform/event-store/event-store.port';
import { REGENCIES } from '../../src/domain/programme/regencies';
import { SeededRandom } from '../../src/demo/seeded-random';

export interface LedgerLogOptions {
  /** Recipients `first` to `first + count - 1`, so that batches never share a stream. */
  first: number;
  count: number;
  /** Written as the old write side did: reserved and confirmed slots, answers without effects. */
  legacy?: boolean;
  reversalRate?: number;
  maxVisits?: number;
  seed?: number;
  /**
   * Given, registrations are written as the write side now does: a data key per person (the
   * woman; the group and each member) from here, beside her name, phone and address, for a
   * store that encrypts them (PersonalDataEventStore).
   */
  newKeyId?: () => Promise<string>;
}

interface Step {
  streamName: string;
  events: NewEvent[];
}

export const recipientIdOf = (n: number) =>
  `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

/** The yearly quotas the slots are taken from. */
export async function appendQuotaDefinitions(store: EventStore): Promise<void> {
  for (const year of [2024, 2025, 2026]) {
    for (const kind of ['RSE', 'KUBE'] as const) {
      await command(store, `define-${year}-${kind}`, [
        {
          streamName: `quota-${year}-${kind}`,
          events: [
            {
              type: 'YearlyQuotaDefined',
              data: {
                year,
                kind,
                target: kind === 'RSE' ? 500 : 200,
                ceilingRupiah: kind === 'RSE' ? 5_000_000 : 20_000_000,
              },
            },
          ],
        },
      ]);
    }
  }
}

/**
 * A log whose streams agree with each other, appended stream by stream (not through the write
 * side, which is changing): each recipient registered with its NIK claims, most aided with their
 * quota slot, some visited and some reversed with the slot released; half the commands sent with
 * an Idempotency-Key, whose answer record lists the events the command appended.
 */
export async function appendLedgerLog(store: EventStore, options: LedgerLogOptions): Promise<void> {
  const { first, count } = options;
  const recipients = Array.from({ length: count }, (_, i) => first + i);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let n = recipients.shift(); n !== undefined; n = recipients.shift()) {
        await appendRecipient(store, n, options);
      }
    }),
  );
}

async function appendRecipient(
  store: EventStore,
  n: number,
  { legacy = false, reversalRate = 0.1, maxVisits = 3, seed = 7, newKeyId }: LedgerLogOptions,
): Promise<void> {
  // One source per recipient, so the log is the same however the appends interleave.
  const random = new SeededRandom(seed * 100_003 + n);
  const recipientId = recipientIdOf(n);
  const stream = `recipient-${recipientId}`;
  const kind = random.chance(0.8) ? 'RSE' : 'KUBE';
  const regencyCode = REGENCIES[n % REGENCIES.length].code;
  const keyed = () => random.chance(0.5);
  const nikMasked = `6472********${String((n % 9999) + 1).padStart(4, '0')}`;
  const hashes = kind === 'RSE' ? [`n${n}`] : [0, 1, 2, 3, 4].map((i) => `n${n}-${i}`);
  // One key for the woman, or for the group and each member; none written the old way.
  const keys = newKeyId ? await Promise.all(hashes.concat('group').map(() => newKeyId())) : [];
  const keyOf = (i: number) => (newKeyId ? { dataKeyId: keys[i] } : {});
  const registered = {
    recipientId,
    kind,
    regencyCode,
    businessType: 'Warung makan',
    ...keyOf(hashes.length),
    ...(kind === 'RSE'
      ? {
          name: `Penerima ${n}`,
          nikHash: hashes[0],
          nikMasked,
          ...(newKeyId ? { phone: `0812-0000-${n}`, address: `Jl. Contoh No. ${n}` } : {}),
        }
      : {
          groupName: `KUBe Maju ${n}`,
          members: hashes.map((nikHash, i) => ({
            ...keyOf(i),
            name: `Anggota ${n}-${i}`,
            role: i === 0 ? 'CHAIR' : 'MEMBER',
            nikHash,
            nikMasked,
          })),
        }),
  };
  await command(
    store,
    `register-${n}`,
    [
      { streamName: stream, events: [{ type: 'RecipientRegistered', data: registered }] },
      ...hashes.map((nikHash) => ({
        streamName: `nik-${nikHash}`,
        events: [{ type: 'NikClaimed', data: { recipientId, claimedAt: '2025-06-20T02:00:00Z' } }],
      })),
    ],
    { keyed: keyed(), legacy },
  );
  if (!random.chance(0.75)) return;

  const year = random.pick([2024, 2025, 2026]);
  const quota = `quota-${year}-${kind}`;
  const valueRupiah = kind === 'RSE' ? 5_000_000 : 20_000_000;
  let number = 1;
  if (legacy && random.chance(0.3)) {
    // A request that died after reserving: fenced on the recipient, its slot freed.
    const abandoned = `${recipientId}.${number++}`;
    const reserved = { disbursementId: abandoned, recipientId, regencyCode, valueRupiah };
    await command(store, `abandon-${n}`, [
      { streamName: quota, events: [slotReserved(reserved)] },
      {
        streamName: stream,
        events: [
          { type: 'DisbursementAbandoned', data: { recipientId, disbursementId: abandoned } },
        ],
      },
      { streamName: quota, events: [slotReleased(abandoned, 'ABANDONED')] },
    ]);
  }
  const disbursementId = `${recipientId}.${number}`;
  const slot = { disbursementId, recipientId, regencyCode, valueRupiah };
  const aided: NewEvent = {
    type: 'AidDisbursed',
    data: {
      ...slot,
      kind,
      year,
      form: 'EQUIPMENT',
      items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: valueRupiah }],
      disbursedOn: `${year}-06-15`,
    },
  };
  await command(
    store,
    `disburse-${n}`,
    legacy
      ? [
          { streamName: quota, events: [slotReserved(slot)] },
          { streamName: stream, events: [aided] },
          { streamName: quota, events: [{ type: 'QuotaSlotConfirmed', data: { disbursementId } }] },
        ]
      : [
          { streamName: stream, events: [aided] },
          { streamName: quota, events: [{ type: 'QuotaSlotTaken', data: slot }] },
        ],
    { keyed: keyed(), legacy },
  );

  const visits = random.int(0, maxVisits);
  for (let visit = 0; visit < visits; visit++) {
    const data = {
      recipientId,
      disbursementId,
      visitDate: `${year}-1${visit}-01`,
      businessStatus: 'STABLE',
      monthlyTurnoverRupiah: 2_000_000,
      workers: 1,
      workersFromPoorHouseholds: 0,
      challenges: [],
    };
    await command(
      store,
      `visit-${n}-${visit}`,
      [{ streamName: stream, events: [{ type: 'MonitoringRecorded', data }] }],
      { keyed: keyed(), legacy },
    );
  }

  if (random.chance(reversalRate)) {
    const reversed = {
      ...slot,
      kind,
      year,
      reason: 'Data ganda',
      reversedOn: `${year}-12-15`,
    };
    await command(
      store,
      `reverse-${n}`,
      [
        { streamName: stream, events: [{ type: 'DisbursementReversed', data: reversed }] },
        { streamName: quota, events: [slotReleased(disbursementId, 'REVERSED')] },
      ],
      { keyed: keyed(), legacy },
    );
  }
}

function slotReserved(slot: object): NewEvent {
  return { type: 'QuotaSlotReserved', data: { ...slot, reservedAt: '2025-06-20T02:00:00Z' } };
}

function slotReleased(disbursementId: string, reason: string): NewEvent {
  return { type: 'QuotaSlotReleased', data: { disbursementId, reason } };
}

/**
 * One command's appends, all with its context. With a key: the answer record in its own stream,
 * which the command's events name as their cause and which lists them as its effects (older logs:
 * caused by the command itself, no list).
 */
async function command(
  store: EventStore,
  commandId: string,
  steps: Step[],
  { keyed = false, legacy = false } = {},
): Promise<void> {
  const key = `idempotency-${commandId}`;
  const context: EventContext = {
    actor: 'operator',
    correlationId: commandId,
    causationId: keyed && !legacy ? key : commandId,
    commandId,
  };
  const effects: { streamName: string; revision: string }[] = [];
  for (const { streamName, events } of steps) {
    const { revision } = await store.appendToStream(streamName, events, {
      expectedRevision: 'any',
      context,
    });
    events.forEach((_, i) => {
      effects.push({ streamName, revision: (revision - BigInt(events.length - 1 - i)).toString() });
    });
  }
  if (!keyed) return;
  const answer = { requestHash: `hmac-${commandId}`, statusCode: 201, body: {} };
  await store.appendToStream(
    key,
    [{ type: 'IdempotentRequestAnswered', data: legacy ? answer : { ...answer, effects } }],
    { expectedRevision: NO_STREAM, context },
  );
}
