import type { ProgrammeProjection } from '../../projections/programme-event';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import {
  aidDisbursed,
  disbursementReversed,
  eventLog,
  ProjectionSpecification,
  projectInto,
  rseRegistered,
  yearlyQuotaDefined,
  type RecipientRef,
} from './projection-specification';

/** Net disbursements per regency: one document per regency code. */
interface RegencyCount {
  regencyCode: string;
  count: number;
}

const perRegency: ProgrammeProjection<RegencyCount> = {
  name: 'per-regency',
  version: 1,
  indexes: ['regencyCode'],
  handles: ['AidDisbursed', 'DisbursementReversed'],
  documentIds: (event) => ('regencyCode' in event.data ? [event.data.regencyCode] : []),
  evolve(document, event, id) {
    const count = document?.count ?? 0;
    return { regencyCode: id, count: event.type === 'AidDisbursed' ? count + 1 : count - 1 };
  },
};

/** Recipients holding aid: a reversal removes the document. */
const holders: ProgrammeProjection<{ recipientId: string }> = {
  name: 'holders',
  version: 1,
  indexes: [],
  handles: ['AidDisbursed', 'DisbursementReversed'],
  documentIds: (event) => ('recipientId' in event.data ? [event.data.recipientId] : []),
  evolve: (_document, event) =>
    event.type === 'AidDisbursed' ? { recipientId: event.data.recipientId } : null,
};

const SITI: RecipientRef = {
  recipientId: '0b6f1f9e-3c1a-4d2b-9e57-6a1c2f4d8e01',
  kind: 'RSE',
  regencyCode: '64.72',
};
const WATI: RecipientRef = {
  recipientId: '7d2e4a61-95bf-4c0e-8f3a-1b9c7e5d2a02',
  kind: 'RSE',
  regencyCode: '64.71',
};

const spec = ProjectionSpecification.for(perRegency);

describe('eventLog', () => {
  it('numbers events as a fresh store would and fills the metadata', () => {
    const [registered, disbursed, other] = eventLog([
      rseRegistered(SITI),
      aidDisbursed(
        SITI,
        {},
        { actor: 'operator.samarinda', recordedAt: '2025-03-15T03:00:00.000Z' },
      ),
      aidDisbursed(WATI, {}, { position: 10, commandId: 'cmd-wati' }),
    ]);
    expect(registered).toMatchObject({
      streamName: `recipient-${SITI.recipientId}`,
      position: 1n,
      revision: 0n,
      metadata: {
        actor: 'operator',
        recordedAt: '2025-03-14T02:00:00.000Z',
        commandId: 'command-1',
        correlationId: 'command-1',
        causationId: 'command-1',
        schemaVersion: 1,
      },
    });
    expect(disbursed).toMatchObject({
      position: 2n,
      revision: 1n,
      metadata: { actor: 'operator.samarinda', recordedAt: '2025-03-15T03:00:00.000Z' },
    });
    expect(other).toMatchObject({
      position: 10n,
      revision: 0n,
      metadata: { commandId: 'cmd-wati', correlationId: 'cmd-wati' },
    });
    expect(new Set([registered, disbursed, other].map((e) => e.metadata.eventId)).size).toBe(3);
  });

  it('refuses positions that do not grow', () => {
    expect(() =>
      eventLog([aidDisbursed(SITI, {}, { position: 5 }), aidDisbursed(WATI)]),
    ).not.toThrow();
    expect(() =>
      eventLog([aidDisbursed(SITI, {}, { position: 5 }), aidDisbursed(WATI, {}, { position: 5 })]),
    ).toThrow(/Positions only grow/);
  });
});

describe('ProjectionSpecification', () => {
  const history = [
    rseRegistered(SITI),
    aidDisbursed(SITI),
    aidDisbursed(WATI),
    disbursementReversed(SITI),
  ];

  it('passes when the documents are exactly the expected ones', () => {
    spec.given(history).thenDocuments({
      '64.72': { regencyCode: '64.72', count: 0 },
      '64.71': { regencyCode: '64.71', count: 1 },
    });
    spec.given([]).thenDocuments({});
  });

  it('fails when a document differs, is missing or is extra', () => {
    expect(() =>
      spec.given(history).thenDocuments({
        '64.72': { regencyCode: '64.72', count: 1 },
        '64.71': { regencyCode: '64.71', count: 1 },
      }),
    ).toThrow();
    expect(() =>
      spec.given(history).thenDocuments({ '64.71': { regencyCode: '64.71', count: 1 } }),
    ).toThrow();
    expect(() =>
      spec.given(history).thenDocuments({
        '64.72': { regencyCode: '64.72', count: 0 },
        '64.71': { regencyCode: '64.71', count: 1 },
        '64.07': { regencyCode: '64.07', count: 0 },
      }),
    ).toThrow();
  });

  it('checks one document and ignores the others', () => {
    spec.given(history).thenDocument('64.71', { regencyCode: '64.71', count: 1 });
    expect(() =>
      spec.given(history).thenDocument('64.71', { regencyCode: '64.71', count: 2 }),
    ).toThrow();
    expect(() =>
      spec.given(history).thenDocument('64.07', { regencyCode: '64.07', count: 0 }),
    ).toThrow();
  });

  it('checks that a document is absent', () => {
    spec.given(history).thenNoDocument('64.07');
    expect(() => spec.given(history).thenNoDocument('64.72')).toThrow();
  });

  it('ignores events the projection does not handle', () => {
    spec.given([rseRegistered(SITI), yearlyQuotaDefined(2025, 'RSE')]).thenDocuments({});
  });

  it('runs the engine: an event already applied to a document is not applied again', () => {
    spec.givenTwice(history).thenDocuments({
      '64.72': { regencyCode: '64.72', count: 0 },
      '64.71': { regencyCode: '64.71', count: 1 },
    });
    spec.given(history).thenReplayingAnyPrefixChangesNothing();
  });

  it('keeps a removed document removed when a prefix before its removal is replayed', () => {
    const removed = ProjectionSpecification.for(holders).given([
      aidDisbursed(SITI),
      disbursementReversed(SITI),
    ]);
    removed.thenDocuments({});
    removed.thenReplayingAnyPrefixChangesNothing();
  });

  it('fails when a document would not survive the read store (not plain JSON)', () => {
    const withUndefined: ProgrammeProjection<{ regencyCode?: string }> = {
      ...perRegency,
      evolve: () => ({ regencyCode: undefined }),
    };
    expect(() =>
      ProjectionSpecification.for(withUndefined).given(history).thenDocuments({}),
    ).toThrow();
  });
});

describe('projectInto', () => {
  it('commits the replayed documents with an active checkpoint at the last event', async () => {
    const readStore = new SqliteReadStore({ file: ':memory:' });
    try {
      const collection = await projectInto(readStore, perRegency, history());
      expect(collection).toBe('per-regency-v1');
      expect(
        await readStore.find(collection, { sort: { field: 'regencyCode', direction: 'asc' } }),
      ).toEqual([
        { regencyCode: '64.71', count: 1 },
        { regencyCode: '64.72', count: 0 },
      ]);
      expect(await readStore.checkpoints('per-regency')).toEqual([
        expect.objectContaining({ collection, position: 4n, status: 'active' }),
      ]);
      const holdersCollection = await projectInto(readStore, holders, history());
      expect(await readStore.find(holdersCollection)).toEqual([{ recipientId: WATI.recipientId }]);
    } finally {
      await readStore.close();
    }
  });

  function history() {
    return [
      rseRegistered(SITI),
      aidDisbursed(SITI),
      aidDisbursed(WATI),
      disbursementReversed(SITI),
    ];
  }
});
