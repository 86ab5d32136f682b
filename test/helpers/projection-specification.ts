import type { NikClaimEvent } from '../../src/domain/nik-claim/nik-claim.events';
import {
  AID_KINDS,
  DEFAULT_PROGRAMME,
  type AidKind,
} from '../../src/domain/programme/aid-programme';
import { REGENCIES } from '../../src/domain/programme/regencies';
import type { QuotaEvent } from '../../src/domain/quota/quota.events';
import type { MemberRole } from '../../src/domain/recipient/recipient.commands';
import type { RecipientEvent } from '../../src/domain/recipient/recipient.events';
import { replay, type WorkingSet } from '../../src/platform/projection-engine/apply-events';
import { collectionOf } from '../../src/platform/projection-engine/projection';
import type { ProgrammeEvent, ProgrammeProjection } from '../../projections/programme-event';
import type { ReadStore, StoredDocument } from '../../src/platform/read-store/read-store.port';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { eventHash } from '../../src/platform/event-store/event-hash';

/**
 * Projection tests that read as specifications:
 *
 *   const spec = ProjectionSpecification.for(quotaProgressProjection);
 *   spec.given([storedEvent('recipient-…', disbursed)]).thenDocuments({ '2025:RSE': { … }, … });
 *   spec.given(history).thenDocument('2025:RSE', { … });
 *   spec.given([registered]).thenNoDocument('2025:RSE');
 *   spec.given(history).thenReplayingAnyPrefixChangesNothing();
 *   spec.givenTwice(history).thenDocuments({ … });
 *
 * Events go through the engine's own `replay`, numbered as a fresh store would number them.
 */

/** An event of the programme as the domain writes it: a `type` and its data. */
export type ProgrammeDomainEvent = RecipientEvent | QuotaEvent | NikClaimEvent;

/** How an event is stored; anything left out gets the defaults below. */
export interface StoreOptions {
  /** Defaults to one past the previous event's position (1 for the first). */
  position?: bigint | number;
  /** Defaults to DEFAULT_RECORDED_AT. */
  recordedAt?: string;
  /** Defaults to DEFAULT_ACTOR. */
  actor?: string;
  /** Defaults to `command-<position>`. */
  commandId?: string;
  /** Defaults to the command id. */
  correlationId?: string;
  /** Defaults to the command id. */
  causationId?: string;
}

/** An event on its way into the log: position, revision and metadata are filled when stored. */
export interface EventToStore {
  streamName: string;
  event: ProgrammeDomainEvent;
  options: StoreOptions;
}

export const DEFAULT_RECORDED_AT = '2025-03-14T02:00:00.000Z';
export const DEFAULT_ACTOR = 'operator';

/** An event to append to `streamName`; `given` (or `eventLog`) numbers it. */
export function storedEvent(
  streamName: string,
  event: ProgrammeDomainEvent,
  options: StoreOptions = {},
): EventToStore {
  return { streamName, event, options };
}

/**
 * The events as a fresh store holds them: positions from 1 (or as given, always increasing),
 * revisions from 0 in each stream, and complete metadata.
 */
export function eventLog(events: readonly EventToStore[]): ProgrammeEvent[] {
  let last = 0n;
  const tips = new Map<string, { revision: bigint; hash: string }>();
  return events.map(({ streamName, event, options }) => {
    const position = options.position === undefined ? last + 1n : BigInt(options.position);
    if (position <= last) {
      throw new Error(`Positions only grow: ${event.type} at ${position} after ${last}`);
    }
    last = position;
    const tip = tips.get(streamName);
    const revision = tip === undefined ? 0n : tip.revision + 1n;
    const commandId = options.commandId ?? `command-${position}`;
    const metadata = {
      eventId: eventIdOf(position),
      actor: options.actor ?? DEFAULT_ACTOR,
      correlationId: options.correlationId ?? commandId,
      causationId: options.causationId ?? commandId,
      commandId,
      recordedAt: options.recordedAt ?? DEFAULT_RECORDED_AT,
      schemaVersion: 1,
      previousHash: tip?.hash ?? null,
    };
    const hash = eventHash({
      streamName,
      revision,
      type: event.type,
      dataJson: JSON.stringify(event.data),
      ...metadata,
    });
    tips.set(streamName, { revision, hash });
    return { streamName, revision, position, metadata: { ...metadata, hash }, ...event };
  });
}

/** A UUID-shaped event id that names its position. */
function eventIdOf(position: bigint): string {
  return `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`;
}

export const ProjectionSpecification = {
  for<Doc extends object>(definition: ProgrammeProjection<Doc>) {
    return {
      /** The events, stored in this order, replayed once from nothing. */
      given(events: readonly EventToStore[]) {
        return outcome(definition, eventLog(events), 1);
      },
      /**
       * The same events applied twice through one working set, as the engine may after a crash:
       * the second pass must leave the documents as the first left them.
       */
      givenTwice(events: readonly EventToStore[]) {
        return outcome(definition, eventLog(events), 2);
      },
    };
  },
};

function outcome<Doc extends object>(
  definition: ProgrammeProjection<Doc>,
  log: readonly ProgrammeEvent[],
  passes: number,
) {
  const project = (): Record<string, Doc> => {
    const documents: WorkingSet = new Map();
    let result = new Map<string, Doc>();
    for (let pass = 0; pass < passes; pass++) result = replay(definition, log, documents);
    const projected = Object.fromEntries(result);
    expect(JSON.parse(JSON.stringify(projected))).toStrictEqual(projected);
    return projected;
  };
  return {
    /** Exactly these documents, by id, and no others. */
    thenDocuments(expected: Readonly<Record<string, Doc>>): void {
      expect(project()).toStrictEqual(expected);
    },
    /** This document (others may exist and are not looked at). */
    thenDocument(id: string, expected: Doc): void {
      const documents = project();
      expect(Object.keys(documents)).toContain(id);
      expect(documents[id]).toStrictEqual(expected);
    },
    /** No document with this id. */
    thenNoDocument(id: string): void {
      expect(Object.keys(project())).not.toContain(id);
    },
    /**
     * After all the events, applying any prefix of them again through the same working set
     * changes no document, position or removal: what the engine relies on when it replays a
     * batch after a crash.
     */
    thenReplayingAnyPrefixChangesNothing(): void {
      const once: WorkingSet = new Map();
      replay(definition, log, once);
      for (let length = 1; length <= log.length; length++) {
        const again: WorkingSet = new Map(
          [...once].map(([id, stored]) => [
            id,
            {
              ...stored,
              document: JSON.parse(JSON.stringify(stored.document)) as object | null,
            },
          ]),
        );
        replay(definition, log.slice(0, length), again);
        try {
          expect(again).toStrictEqual(once);
        } catch (error) {
          const last = log[length - 1];
          throw new Error(
            `Replaying the first ${length} event(s) again (up to ${last.type} at position ` +
              `${last.position}) changed the documents of ${definition.name}:\n` +
              (error instanceof Error ? error.message : String(error)),
          );
        }
      }
    },
  };
}

/**
 * Replays the events and commits the resulting documents to a new collection of the read store,
 * with an active checkpoint at the last event: what the engine would have written. Answers the
 * collection's name.
 */
export async function projectInto(
  readStore: ReadStore,
  definition: ProgrammeProjection<object>,
  events: readonly EventToStore[],
): Promise<string> {
  const collection = collectionOf(definition);
  await readStore.ensureCollection({ name: collection, indexes: definition.indexes });
  await readStore.createCheckpoint({
    projection: definition.name,
    collection,
    version: definition.version,
    position: 0n,
    status: 'active',
  });
  const log = eventLog(events);
  const documents: WorkingSet = new Map();
  replay(definition, log, documents);
  const upserts = [...documents.values()].filter(
    (stored): stored is StoredDocument => stored.document !== null,
  );
  const deletes = [...documents.values()]
    .filter((stored) => stored.document === null)
    .map((stored) => stored.id);
  await readStore.commit(
    [{ collection, upserts, deletes }],
    [{ collection, from: 0n, to: log.at(-1)?.position ?? 0n }],
  );
  return collection;
}

/** A projection's collection in a read store. */
export interface ReadModel {
  readStore: ReadStore;
  collection: string;
}

/**
 * For each test of the enclosing `describe`: the projection of `events` in a fresh in-memory read
 * store, closed after the test. Read its fields inside the tests, not when the describe runs.
 */
export function readModelForEachTest(
  definition: ProgrammeProjection<object>,
  events: readonly EventToStore[],
): ReadModel {
  const readModel = {} as ReadModel;
  beforeEach(async () => {
    readModel.readStore = new SqliteReadStore({ file: ':memory:' });
    readModel.collection = await projectInto(readModel.readStore, definition, events);
  });
  afterEach(() => readModel.readStore.close());
  return readModel;
}

/**
 * What `use` answers from the projection of `events` in a fresh in-memory read store (a query, say),
 * the store closed after.
 */
export async function withReadModel<Answer>(
  definition: ProgrammeProjection<object>,
  events: readonly EventToStore[],
  use: (readModel: ReadModel) => Promise<Answer>,
): Promise<Answer> {
  const readStore = new SqliteReadStore({ file: ':memory:' });
  try {
    return await use({ readStore, collection: await projectInto(readStore, definition, events) });
  } finally {
    await readStore.close();
  }
}

/** The aid each kind receives, in rupiah. */
export const AID_VALUE: Record<AidKind, number> = { RSE: 5_000_000, KUBE: 20_000_000 };

export const recipientStream = (recipientId: string) => `recipient-${recipientId}`;
export const quotaStream = (year: number, kind: AidKind) => `quota-${year}-${kind}`;
const nikStream = (recipient: Pick<RecipientRef, 'recipientId'>) =>
  `nik-hmac-sha256-${recipient.recipientId}`;

/**
 * The default programme as the service defines it on an empty store (actor `system`): for each
 * year of 2024–2026 and each kind, the yearly quota and then the regencies' allocations.
 */
export function defaultProgramme(
  options: StoreOptions = { actor: 'system', recordedAt: '2025-01-02T00:00:00.000Z' },
): EventToStore[] {
  return DEFAULT_PROGRAMME.years.flatMap((year) =>
    AID_KINDS.flatMap((kind) => {
      const perRegency = DEFAULT_PROGRAMME.allocationPerRegency[kind];
      const allocations =
        perRegency === null
          ? []
          : REGENCIES.map((regency) =>
              allocationSet(
                year,
                kind,
                { regencyCode: regency.code, quota: perRegency, previousQuota: null },
                options,
              ),
            );
      return [yearlyQuotaDefined(year, kind, options), ...allocations];
    }),
  );
}

/** Who an event is about: enough to fill the recipient's events. */
export interface RecipientRef {
  recipientId: string;
  kind: AidKind;
  regencyCode: string;
}

type DataOf<Type extends ProgrammeDomainEvent['type']> = Extract<
  ProgrammeDomainEvent,
  { type: Type }
>['data'];

/** The regencies the projection specs place their recipients in. */
export const SAMARINDA = '64.72';
export const BALIKPAPAN = '64.71';
export const KUTAI_BARAT = '64.07';

/**
 * Recipients the projection specs share: an RSE woman of Samarinda, another of Balikpapan, and a
 * KUBe of Kutai Barat.
 */
export const SITI: RecipientRef = {
  recipientId: '0b6f1f9e-3c1a-4d2b-9e57-6a1c2f4d8e01',
  kind: 'RSE',
  regencyCode: SAMARINDA,
};
export const WATI: RecipientRef = {
  recipientId: '7d2e4a61-95bf-4c0e-8f3a-1b9c7e5d2a02',
  kind: 'RSE',
  regencyCode: BALIKPAPAN,
};
export const ROTAN: RecipientRef = {
  recipientId: 'c4a8e2d0-6b3f-4e19-a7c5-0d2f8b6e4a03',
  kind: 'KUBE',
  regencyCode: KUTAI_BARAT,
};

const ID_PREFIX: Record<AidKind, string> = {
  RSE: '0b6f1f9e-3c1a-4d2b-9e57-6a1c2f4d8e',
  KUBE: 'c4a8e2d0-6b3f-4e19-a7c5-0d2f8b6e4a',
};

/**
 * Recipient number `n` of a kind, for specs that need many: ids of one kind sort by `n` (RSE
 * number 1 is SITI, KUBe number 3 is ROTAN).
 */
export const recipientRef = (n: number, kind: AidKind, regencyCode: string): RecipientRef => ({
  recipientId: `${ID_PREFIX[kind]}${String(n).padStart(2, '0')}`,
  kind,
  regencyCode,
});

/** The first disbursement of a recipient is `<recipientId>.1`, the next `.2`, and so on. */
export const disbursementOf = (recipient: Pick<RecipientRef, 'recipientId'>, attempt = 1) =>
  `${recipient.recipientId}.${attempt}`;

/** The default monitoring visit, on 20 June 2025: growing, 2 workers (1 from a poor household). */
export const JUNE_VISIT: Omit<
  DataOf<'MonitoringRecorded'>,
  'recipientId' | 'disbursementId' | 'notes'
> = {
  visitDate: '2025-06-20',
  businessStatus: 'GROWING',
  monthlyTurnoverRupiah: 3_500_000,
  workers: 2,
  workersFromPoorHouseholds: 1,
  challenges: ['MARKET_COMPETITION'],
};

/**
 * The builder of one event type of a recipient's stream, as the specs call it:
 * `(recipient, data?, options?)`, where `data` overrides what `defaults` gives for the recipient.
 */
function recipientEvent<
  Type extends RecipientEvent['type'],
  Data extends DataOf<Type>,
  Recipient extends Pick<RecipientRef, 'recipientId'>,
>(type: Type, defaults: (recipient: Recipient) => Data) {
  return (recipient: Recipient, data: Partial<Data> = {}, options: StoreOptions = {}) =>
    ofRecipient(
      recipient,
      { type, data: { ...defaults(recipient), ...data } } as ProgrammeDomainEvent,
      options,
    );
}

/** An event of the recipient's stream. */
function ofRecipient(
  recipient: Pick<RecipientRef, 'recipientId'>,
  event: ProgrammeDomainEvent,
  options: StoreOptions,
): EventToStore {
  return storedEvent(recipientStream(recipient.recipientId), event, options);
}

/** What every follow-up of the recipient's first disbursement names. */
const firstAidOf = (recipient: Pick<RecipientRef, 'recipientId'>) => ({
  recipientId: recipient.recipientId,
  disbursementId: disbursementOf(recipient),
});

/** What the recipient's first disbursement and its reversal name: the aid, for 2025. */
const aidOf = ({ kind, regencyCode, ...recipient }: RecipientRef) => ({
  ...firstAidOf(recipient),
  kind,
  regencyCode,
  year: 2025,
});

export const rseRegistered = recipientEvent(
  'RecipientRegistered',
  (recipient: RecipientRef): Extract<DataOf<'RecipientRegistered'>, { kind: 'RSE' }> => ({
    recipientId: recipient.recipientId,
    kind: 'RSE',
    regencyCode: recipient.regencyCode,
    name: 'Siti Aminah',
    businessType: 'Kue basah',
    nikHash: `hmac-sha256:${recipient.recipientId}`,
    nikMasked: `${recipient.regencyCode.replace('.', '')}********0001`,
  }),
);

const KUBE_PEOPLE: [string, MemberRole][] = [
  ['Rahmat Hidayat', 'CHAIR'],
  ['Nur Aisyah', 'SECRETARY'],
  ['Budi Santoso', 'TREASURER'],
  ['Dewi Lestari', 'MEMBER'],
  ['Yohanes Lawing', 'MEMBER'],
];

export const kubeRegistered = recipientEvent(
  'RecipientRegistered',
  (recipient: RecipientRef): Extract<DataOf<'RecipientRegistered'>, { kind: 'KUBE' }> => ({
    recipientId: recipient.recipientId,
    kind: 'KUBE',
    regencyCode: recipient.regencyCode,
    groupName: 'KUBe Anyaman Rotan Lestari',
    businessType: 'Kerajinan anyaman rotan',
    members: KUBE_PEOPLE.map(([name, role], index) => ({
      name,
      role,
      nikHash: `hmac-sha256:${recipient.recipientId}:${index + 1}`,
      nikMasked: `${recipient.regencyCode.replace('.', '')}********001${index + 1}`,
    })),
  }),
);

export function registrationAbandoned(
  recipient: Pick<RecipientRef, 'recipientId'>,
  options: StoreOptions = {},
): EventToStore {
  const data = { recipientId: recipient.recipientId };
  return ofRecipient(recipient, { type: 'RegistrationAbandoned', data }, options);
}

/** Aid in kind worth the kind's full value, disbursed on 10 March 2025 for 2025. */
export const aidDisbursed = recipientEvent(
  'AidDisbursed',
  (recipient: RecipientRef): DataOf<'AidDisbursed'> => ({
    ...aidOf(recipient),
    form: recipient.kind === 'RSE' ? 'MATERIALS' : 'EQUIPMENT',
    items:
      recipient.kind === 'RSE'
        ? [{ description: 'Oven gas dan bahan kue', quantity: 1, unitPriceRupiah: 5_000_000 }]
        : [{ description: 'Mesin jahit portabel', quantity: 4, unitPriceRupiah: 5_000_000 }],
    valueRupiah: AID_VALUE[recipient.kind],
    disbursedOn: '2025-03-10',
  }),
);

export function disbursementAbandoned(
  recipient: Pick<RecipientRef, 'recipientId'>,
  disbursementId: string,
  options: StoreOptions = {},
): EventToStore {
  const data = { recipientId: recipient.recipientId, disbursementId };
  return ofRecipient(recipient, { type: 'DisbursementAbandoned', data }, options);
}

/** The reversal of the recipient's first disbursement (2025, full value) on 2 April 2025. */
export const disbursementReversed = recipientEvent(
  'DisbursementReversed',
  (recipient: RecipientRef): DataOf<'DisbursementReversed'> => ({
    ...aidOf(recipient),
    valueRupiah: AID_VALUE[recipient.kind],
    reason: 'Penerima pindah domisili ke luar provinsi',
    reversedOn: '2025-04-02',
  }),
);

/** The JUNE_VISIT of the recipient's first disbursement. */
export const monitoringRecorded = recipientEvent(
  'MonitoringRecorded',
  (recipient: Pick<RecipientRef, 'recipientId'>): DataOf<'MonitoringRecorded'> => ({
    ...firstAidOf(recipient),
    ...JUNE_VISIT,
    challenges: [...JUNE_VISIT.challenges],
  }),
);

export const mentoringRecorded = recipientEvent(
  'MentoringRecorded',
  (recipient: Pick<RecipientRef, 'recipientId'>): DataOf<'MentoringRecorded'> => ({
    ...firstAidOf(recipient),
    partner: 'Disperindagkop Kaltim',
    topic: 'Pembukuan usaha sederhana',
    date: '2025-05-15',
  }),
);

export const exhibitionParticipationRecorded = recipientEvent(
  'ExhibitionParticipationRecorded',
  (recipient: Pick<RecipientRef, 'recipientId'>): DataOf<'ExhibitionParticipationRecorded'> => ({
    ...firstAidOf(recipient),
    name: 'Pameran UMKM Kaltim Expo 2025',
    date: '2025-08-17',
  }),
);

/** An event of the quota stream of `year` and `kind`. */
const quotaEvent = (year: number, kind: AidKind, event: QuotaEvent, options: StoreOptions) =>
  storedEvent(quotaStream(year, kind), event, options);

export function yearlyQuotaDefined(
  year: number,
  kind: AidKind,
  options: StoreOptions = {},
): EventToStore {
  const target = DEFAULT_PROGRAMME.yearlyTarget[kind];
  const ceilingRupiah = DEFAULT_PROGRAMME.ceilingRupiah[kind];
  return quotaEvent(
    year,
    kind,
    { type: 'YearlyQuotaDefined', data: { year, kind, target, ceilingRupiah } },
    options,
  );
}

export function allocationSet(
  year: number,
  kind: AidKind,
  data: DataOf<'AllocationSet'>,
  options: StoreOptions = {},
): EventToStore {
  return quotaEvent(year, kind, { type: 'AllocationSet', data }, options);
}

export function quotaSlotTaken(
  recipient: RecipientRef,
  year = 2025,
  options: StoreOptions = {},
): EventToStore {
  const { recipientId, kind, regencyCode } = recipient;
  const disbursementId = disbursementOf(recipient);
  const valueRupiah = AID_VALUE[kind];
  return quotaEvent(
    year,
    kind,
    { type: 'QuotaSlotTaken', data: { disbursementId, recipientId, regencyCode, valueRupiah } },
    options,
  );
}

/** Older logs: a slot reserved before the aid was recorded. */
export function quotaSlotReserved(
  recipient: RecipientRef,
  year = 2025,
  options: StoreOptions = {},
): EventToStore {
  const taken = quotaSlotTaken(recipient, year, options);
  const data = { ...taken.event.data, reservedAt: '2025-03-14T01:59:59.000Z' };
  return { ...taken, event: { type: 'QuotaSlotReserved', data } as ProgrammeDomainEvent };
}

export function quotaSlotConfirmed(
  recipient: RecipientRef,
  year = 2025,
  options: StoreOptions = {},
): EventToStore {
  const data = { disbursementId: disbursementOf(recipient) };
  return quotaEvent(year, recipient.kind, { type: 'QuotaSlotConfirmed', data }, options);
}

export function quotaSlotReleased(
  recipient: RecipientRef,
  reason: DataOf<'QuotaSlotReleased'>['reason'],
  year = 2025,
  options: StoreOptions = {},
): EventToStore {
  const data = { disbursementId: disbursementOf(recipient), reason };
  return quotaEvent(year, recipient.kind, { type: 'QuotaSlotReleased', data }, options);
}

export function nikClaimed(
  recipient: Pick<RecipientRef, 'recipientId'>,
  options: StoreOptions = {},
): EventToStore {
  const data = { recipientId: recipient.recipientId, claimedAt: '2025-03-14T01:59:58.000Z' };
  return storedEvent(nikStream(recipient), { type: 'NikClaimed', data }, options);
}

export function nikReleased(
  recipient: Pick<RecipientRef, 'recipientId'>,
  reason: DataOf<'NikReleased'>['reason'],
  options: StoreOptions = {},
): EventToStore {
  const data = { recipientId: recipient.recipientId, reason };
  return storedEvent(nikStream(recipient), { type: 'NikReleased', data }, options);
}
