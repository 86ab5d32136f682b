import {
  aidDisbursed,
  disbursementReversed,
  kubeRegistered,
  monitoringRecorded,
  nikClaimed,
  quotaSlotConfirmed,
  quotaSlotReleased,
  quotaSlotReserved,
  readModelForEachTest,
  rseRegistered,
  yearlyQuotaDefined,
  type EventToStore,
  type RecipientRef,
  SITI,
  ROTAN,
} from '../../test/helpers/projection-specification';
import { auditTrailProjection } from './audit-trail.projection';
import { findAuditEntries, type AuditSearch } from './audit-trail.queries';

const SYSTEM = { actor: 'system' };
const SAMARINDA_OPERATOR = 'operator.samarinda';
const KUBAR_OPERATOR = 'operator.kutaibarat';

/**
 * Twelve events over five days, so that positions 10–12 sort after 9. Days are WITA (UTC+8): the
 * 14th of March there runs from 2025-03-13T16:00Z to 2025-03-14T16:00Z, and events 3/4 and 8/9
 * sit a millisecond either side of its two midnights.
 */
const history: EventToStore[] = [
  yearlyQuotaDefined(2025, 'RSE', { ...SYSTEM, recordedAt: '2025-01-02T00:00:00.000Z' }),
  yearlyQuotaDefined(2025, 'KUBE', { ...SYSTEM, recordedAt: '2025-01-02T00:00:00.000Z' }),
  nikClaimed(SITI, { actor: SAMARINDA_OPERATOR, recordedAt: '2025-03-13T15:59:59.999Z' }),
  rseRegistered(SITI, {}, { actor: SAMARINDA_OPERATOR, recordedAt: '2025-03-13T16:00:00.000Z' }),
  quotaSlotReserved(SITI, 2025, {
    actor: SAMARINDA_OPERATOR,
    recordedAt: '2025-03-14T02:00:00.000Z',
  }),
  aidDisbursed(SITI, {}, { actor: SAMARINDA_OPERATOR, recordedAt: '2025-03-14T02:00:00.000Z' }),
  quotaSlotConfirmed(SITI, 2025, {
    actor: SAMARINDA_OPERATOR,
    recordedAt: '2025-03-14T02:00:30.000Z',
  }),
  kubeRegistered(ROTAN, {}, { actor: KUBAR_OPERATOR, recordedAt: '2025-03-14T15:59:59.999Z' }),
  aidDisbursed(ROTAN, {}, { actor: KUBAR_OPERATOR, recordedAt: '2025-03-14T16:00:00.000Z' }),
  monitoringRecorded(
    SITI,
    {},
    { actor: SAMARINDA_OPERATOR, recordedAt: '2025-06-20T04:00:00.000Z' },
  ),
  disbursementReversed(ROTAN, {}, { actor: 'supervisor', recordedAt: '2025-06-21T05:00:00.000Z' }),
  quotaSlotReleased(ROTAN, 'REVERSED', 2025, {
    actor: 'supervisor',
    recordedAt: '2025-06-21T05:00:00.000Z',
  }),
];

const all = { limit: 100, offset: 0 };

describe('findAuditEntries', () => {
  const readModel = readModelForEachTest(auditTrailProjection, history);
  const find = (search: AuditSearch) =>
    findAuditEntries(readModel.readStore, readModel.collection, search);

  /** The positions on the page, and its total. */
  async function positions(search: AuditSearch): Promise<{ positions: number[]; total: number }> {
    const found = await find(search);
    expect(found).toMatchObject({ limit: search.limit, offset: search.offset });
    return { positions: found.items.map((entry) => entry.position), total: found.total };
  }

  it('lists every entry in position order', async () => {
    expect(await positions(all)).toEqual({
      positions: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      total: 12,
    });
  });

  it('pages with limit and offset, counting every match', async () => {
    expect(await positions({ limit: 5, offset: 0 })).toEqual({
      positions: [1, 2, 3, 4, 5],
      total: 12,
    });
    expect(await positions({ limit: 5, offset: 8 })).toEqual({
      positions: [9, 10, 11, 12],
      total: 12,
    });
    expect(await positions({ limit: 5, offset: 12 })).toEqual({ positions: [], total: 12 });
  });

  it.each<[string, RecipientRef, [number, string][]]>([
    [
      "filters by recipient: the recipient's events, with its NIK claim and quota slot",
      SITI,
      [
        [3, 'NikClaimed'],
        [4, 'RecipientRegistered'],
        [5, 'QuotaSlotReserved'],
        [6, 'AidDisbursed'],
        [7, 'QuotaSlotConfirmed'],
        [10, 'MonitoringRecorded'],
      ],
    ],
    [
      "gives a recipient its quota slot's release, named only by the disbursement id",
      ROTAN,
      [
        [8, 'RecipientRegistered'],
        [9, 'AidDisbursed'],
        [11, 'DisbursementReversed'],
        [12, 'QuotaSlotReleased'],
      ],
    ],
  ])('%s', async (_title, recipient, entries) => {
    const found = await find({ ...all, recipientId: recipient.recipientId });
    expect(found.items.map(({ position, type }) => [position, type])).toEqual(entries);
    expect(found.total).toBe(entries.length);
  });

  it('filters by actor', async () => {
    expect(await positions({ ...all, actor: 'system' })).toEqual({ positions: [1, 2], total: 2 });
    expect(await positions({ ...all, actor: KUBAR_OPERATOR })).toEqual({
      positions: [8, 9],
      total: 2,
    });
    expect(
      await positions({ ...all, actor: 'supervisor', recipientId: ROTAN.recipientId }),
    ).toEqual({ positions: [11, 12], total: 2 });
    expect(await positions({ ...all, actor: 'auditor' })).toEqual({ positions: [], total: 0 });
  });

  it('takes a date-only "from" as the start of that day in WITA (16:00 UTC the day before)', async () => {
    expect(await positions({ ...all, from: '2025-03-14' })).toEqual({
      positions: [4, 5, 6, 7, 8, 9, 10, 11, 12],
      total: 9,
    });
  });

  it('takes a date-only "to" as the end of that day in WITA (16:00 UTC)', async () => {
    expect(await positions({ ...all, to: '2025-03-14' })).toEqual({
      positions: [1, 2, 3, 4, 5, 6, 7, 8],
      total: 8,
    });
  });

  it('answers one day with the same date as "from" and "to"', async () => {
    expect(await positions({ ...all, from: '2025-03-14', to: '2025-03-14' })).toEqual({
      positions: [4, 5, 6, 7, 8],
      total: 5,
    });
  });

  it('includes both ends of a range of instants', async () => {
    expect(
      await positions({
        ...all,
        from: '2025-03-14T02:00:00.000Z',
        to: '2025-03-15T00:00:00.000Z',
      }),
    ).toEqual({ positions: [5, 6, 7, 8, 9], total: 5 });
  });

  it('combines recipient, actor and time', async () => {
    expect(
      await positions({
        ...all,
        recipientId: SITI.recipientId,
        actor: SAMARINDA_OPERATOR,
        from: '2025-03-14',
        to: '2025-03-31',
        limit: 2,
      }),
    ).toEqual({ positions: [4, 5], total: 4 });
    expect(
      await positions({
        recipientId: SITI.recipientId,
        actor: SAMARINDA_OPERATOR,
        from: '2025-03-14',
        to: '2025-03-31',
        limit: 2,
        offset: 2,
      }),
    ).toEqual({ positions: [6, 7], total: 4 });
  });

  it('includes an event recorded exactly at a "from" instant written without milliseconds', async () => {
    expect(await positions({ ...all, from: '2025-03-14T02:00:00Z', to: '2025-03-14' })).toEqual({
      positions: [5, 6, 7, 8],
      total: 4,
    });
  });

  it('excludes an event recorded after a "to" instant written to the minute', async () => {
    expect(await positions({ ...all, from: '2025-03-14', to: '2025-03-14T02:00Z' })).toEqual({
      positions: [4, 5, 6],
      total: 3,
    });
  });

  it('reads an instant written with an offset, as the exports write it, as the same instant', async () => {
    // 10:00:30 WITA is 02:00:30 UTC: event 7, recorded then, and what follows that day.
    expect(
      await positions({ ...all, from: '2025-03-14T10:00:30.000+08:00', to: '2025-03-14' }),
    ).toEqual({ positions: [7, 8], total: 2 });
    expect(
      await positions({ ...all, from: '2025-03-14', to: '2025-03-14T10:00:00.000+08:00' }),
    ).toEqual({ positions: [4, 5, 6], total: 3 });
    expect(await positions({ ...all, from: '2025-03-13T21:00-05:00', to: '2025-03-14' })).toEqual({
      positions: [5, 6, 7, 8],
      total: 4,
    });
  });
});
