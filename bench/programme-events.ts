import type { EventContext } from '../src/platform/event-store/event-metadata';
import type { EventStore, NewEvent } from '../src/platform/event-store/event-store.port';
import { REGENCIES } from '../src/domain/programme/regencies';
import { SeededRandom } from '../src/demo/seeded-random';
import {
  type AppendUnit,
  KINDS,
  type LifeProfile,
  recipientLife,
  VALUE_RUPIAH,
  YEARS,
} from './recipient-life';

export type { AppendUnit } from './recipient-life';

/** Recipients of Kalimantan Timur, numbered rather than named, visited late in the aid's year. */
const KALIMANTAN_TIMUR: LifeProfile = {
  regencyCodes: REGENCIES.map((regency) => regency.code),
  nikPrefix: () => '6472',
  ownerName: (_random, n) => `Penerima ${n}`,
  groupName: (_random, n) => `KUBe Maju ${n}`,
  memberName: (_random, n, member) => `Anggota ${n}-${member}`,
  aidedChance: 0.75,
  mentoredChance: 0.3,
  exhibitedChance: 0.15,
  disbursementDays: [10, 18],
  visits: [0, 3],
  visitDate: (year, _month, visit) => `${year}-1${visit}-0${1 + visit}`,
  mentoringPartner: 'Disperindagkop',
  exhibitionName: 'Pameran UMKM Kaltim',
};

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
  for (const year of YEARS) {
    for (const kind of KINDS) {
      const events: NewEvent[] = [
        {
          type: 'YearlyQuotaDefined',
          data: {
            year,
            kind,
            target: kind === 'RSE' ? 500 : 200,
            ceilingRupiah: VALUE_RUPIAH[kind],
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
    const unit = recipientLife(n, random, KALIMANTAN_TIMUR);
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
