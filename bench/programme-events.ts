import type { EventContext } from '../src/platform/event-store/event-metadata';
import type {
  EventStore,
  NewEvent,
  StreamAppend,
} from '../src/platform/event-store/event-store.port';
import { REGENCIES } from '../src/domain/programme/regencies';
import { SeededRandom } from '../src/demo/seeded-random';

/** One command's append: events for one or several streams. */
export type AppendUnit = StreamAppend[];

const STATUSES = ['GROWING', 'STABLE', 'STABLE', 'GROWING', 'STRUGGLING', 'CLOSED'] as const;
const CHALLENGES = ['LIMITED_RESOURCES', 'MARKET_COMPETITION', 'MOTIVATION', 'OTHER'] as const;

/**
 * A realistic programme log, without going through the deciders (projections and benchmarks
 * only need the events): the quota definitions, then recipients registered, aided, monitored,
 * mentored, shown at exhibitions, and now and then reversed. About `count` events in all. Each
 * recipient's life is one commit with its NIK claims and its quota slot (taken, and released
 * when reversed), so the streams agree as verify checks; the yearly targets are not kept.
 */
export function* programmeEvents(count: number, seed = 7): Generator<AppendUnit> {
  // Seeded, so every run writes the same log.
  const random = new SeededRandom(seed);
  let written = 0;
  for (const year of [2024, 2025, 2026]) {
    for (const kind of ['RSE', 'KUBE'] as const) {
      const events: NewEvent[] = [
        {
          type: 'YearlyQuotaDefined',
          data: {
            year,
            kind,
            target: kind === 'RSE' ? 500 : 200,
            ceilingRupiah: kind === 'RSE' ? 5_000_000 : 20_000_000,
          },
        },
        ...(kind === 'KUBE'
          ? REGENCIES.map((regency) => ({
              type: 'AllocationSet',
              data: { regencyCode: regency.code, quota: 20, previousQuota: null },
            }))
          : []),
      ];
      written += events.length;
      yield [{ streamName: `quota-${year}-${kind}`, expectedRevision: 'any', events }];
    }
  }
  for (let n = 0; written < count; n++) {
    const recipientId = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    const kind = random.chance(0.8) ? 'RSE' : 'KUBE';
    const regencyCode = random.pick(REGENCIES).code;
    const serial = String((n % 9999) + 1).padStart(4, '0');
    const nikMasked = `6472********${serial}`;
    const nikHashes = kind === 'RSE' ? [`h${n}`] : [0, 1, 2, 3, 4].map((i) => `h${n}-${i}`);
    const claims: AppendUnit = nikHashes.map((nikHash) => ({
      streamName: `nik-${nikHash}`,
      expectedRevision: 'any',
      events: [
        { type: 'NikClaimed', data: { recipientId, claimedAt: '2024-01-02T01:00:00.000Z' } },
      ],
    }));
    const slot: NewEvent[] = [];
    let quotaStream = '';
    const events: NewEvent[] = [
      {
        type: 'RecipientRegistered',
        data:
          kind === 'RSE'
            ? {
                recipientId,
                kind,
                regencyCode,
                name: `Penerima ${n}`,
                businessType: 'Warung makan',
                nikHash: nikHashes[0],
                nikMasked,
              }
            : {
                recipientId,
                kind,
                regencyCode,
                groupName: `KUBe Maju ${n}`,
                businessType: 'Perikanan',
                members: ['CHAIR', 'SECRETARY', 'TREASURER', 'MEMBER', 'MEMBER'].map((role, i) => ({
                  name: `Anggota ${n}-${i}`,
                  role,
                  nikHash: nikHashes[i],
                  nikMasked,
                })),
              },
      },
    ];
    if (random.chance(0.75)) {
      const year = random.pick([2024, 2025, 2026]);
      const valueRupiah = kind === 'RSE' ? 5_000_000 : 20_000_000;
      const disbursementId = `${recipientId}.1`;
      const disbursedOn = `${year}-0${random.int(1, 9)}-1${random.int(0, 8)}`;
      events.push({
        type: 'AidDisbursed',
        data: {
          recipientId,
          disbursementId,
          kind,
          regencyCode,
          year,
          form: 'EQUIPMENT',
          items: [{ description: 'Peralatan usaha', quantity: 1, unitPriceRupiah: valueRupiah }],
          valueRupiah,
          disbursedOn,
        },
      });
      quotaStream = `quota-${year}-${kind}`;
      slot.push({
        type: 'QuotaSlotTaken',
        data: { disbursementId, recipientId, regencyCode, valueRupiah },
      });
      const visits = random.int(0, 3);
      for (let visit = 0; visit < visits; visit++) {
        const workers = random.int(0, 3);
        events.push({
          type: 'MonitoringRecorded',
          data: {
            recipientId,
            disbursementId,
            visitDate: `${year}-1${visit}-0${1 + visit}`,
            businessStatus: random.pick(STATUSES),
            monthlyTurnoverRupiah: random.int(0, 49) * 100_000,
            workers,
            workersFromPoorHouseholds: random.int(0, workers),
            challenges: random.chance(0.4) ? [random.pick(CHALLENGES)] : [],
          },
        });
      }
      if (random.chance(0.3)) {
        events.push({
          type: 'MentoringRecorded',
          data: {
            recipientId,
            disbursementId,
            partner: 'Disperindagkop',
            topic: 'Pemasaran',
            date: `${year}-11-20`,
          },
        });
      }
      if (random.chance(0.15)) {
        events.push({
          type: 'ExhibitionParticipationRecorded',
          data: { recipientId, disbursementId, name: 'Pameran UMKM Kaltim', date: `${year}-12-01` },
        });
      }
      if (random.chance(0.03)) {
        events.push({
          type: 'DisbursementReversed',
          data: {
            recipientId,
            disbursementId,
            kind,
            regencyCode,
            year,
            valueRupiah,
            reason: 'Data ganda',
            reversedOn: `${year}-12-15`,
          },
        });
        slot.push({ type: 'QuotaSlotReleased', data: { disbursementId, reason: 'REVERSED' } });
      }
    }
    const unit: AppendUnit = [
      ...claims,
      { streamName: `recipient-${recipientId}`, expectedRevision: 'any', events },
      ...(slot.length > 0
        ? [{ streamName: quotaStream, expectedRevision: 'any' as const, events: slot }]
        : []),
    ];
    written += unit.reduce((sum, append) => sum + append.events.length, 0);
    yield unit;
  }
}

/** Appends the whole log with `concurrency` appends in flight, as many requests would. */
export async function appendProgrammeEvents(
  store: EventStore,
  count: number,
  concurrency = 64,
  context: EventContext = {
    actor: 'operator',
    correlationId: 'seed',
    causationId: 'seed',
    commandId: 'seed',
  },
): Promise<number> {
  const units = programmeEvents(count);
  let written = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let unit = units.next(); !unit.done; unit = units.next()) {
        await store.appendToStreams(unit.value, { context });
        written += unit.value.reduce((sum, append) => sum + append.events.length, 0);
      }
    }),
  );
  return written;
}
