import type { StoredEvent } from '../platform/event-store/event-store.port';
import { businessDateOf, happenedBy } from './business-date';

const event = (type: string, data: Record<string, unknown>): StoredEvent =>
  ({ type, data, metadata: { recordedAt: '2026-12-07T01:00:00.000Z' } }) as unknown as StoredEvent;

describe('business dates: the day an event says something happened in the field', () => {
  it('reads the handover, reversal, visit, mentoring and exhibition dates', () => {
    expect(businessDateOf(event('AidDisbursed', { disbursedOn: '2024-05-21' }))).toBe('2024-05-21');
    expect(businessDateOf(event('DisbursementReversed', { reversedOn: '2025-07-05' }))).toBe(
      '2025-07-05',
    );
    expect(businessDateOf(event('MonitoringRecorded', { visitDate: '2024-07-10' }))).toBe(
      '2024-07-10',
    );
    expect(businessDateOf(event('MentoringRecorded', { date: '2024-06-01' }))).toBe('2024-06-01');
    expect(businessDateOf(event('RecipientRegistered', { regencyCode: '64.72' }))).toBeUndefined();
  });

  it('counts an event on or before the day, and an undated one always', () => {
    const handedOver = event('AidDisbursed', { disbursedOn: '2024-05-21' });
    expect(happenedBy(handedOver, '2024-05-21')).toBe(true);
    expect(happenedBy(handedOver, '2024-05-20')).toBe(false);
    expect(happenedBy(handedOver, undefined)).toBe(true);
    expect(happenedBy(event('YearlyQuotaDefined', { year: 2026 }), '2024-01-01')).toBe(true);
  });
});
