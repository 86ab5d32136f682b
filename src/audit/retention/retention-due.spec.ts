import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { RetentionDue, retentionCutOff } from './retention-due';

let position = 0n;

function event(recipientId: string, type: string, recordedAt: string, data = {}): StoredEvent {
  position++;
  return {
    id: `event-${position}`,
    streamName: `recipient-${recipientId}`,
    type,
    revision: 0n,
    position,
    data: { recipientId, ...data },
    metadata: { recordedAt, actor: 'test' },
  } as unknown as StoredEvent;
}

const registered = (id: string, at: string, data: object = {}) =>
  event(id, 'RecipientRegistered', at, {
    kind: 'RSE',
    regencyCode: '64.72',
    dataKeyId: `key-${id}`,
    ...data,
  });

describe('RetentionDue', () => {
  it('lists those whose last event was recorded before the cut-off, the longest idle first', () => {
    const due = new RetentionDue();
    due.add([
      registered('a', '2020-01-01T00:00:00.000Z'),
      registered('b', '2019-06-01T00:00:00.000Z'),
      registered('c', '2020-01-01T00:00:00.000Z'),
      // A disbursement to c keeps her in the programme.
      event('c', 'AidDisbursed', '2024-03-01T00:00:00.000Z'),
      event('b', 'RecipientMoved', '2019-07-01T00:00:00.000Z', { toRegencyCode: '64.71' }),
    ]);
    expect(due.dueBefore(new Date('2023-01-01T00:00:00.000Z'))).toEqual([
      {
        recipientId: 'b',
        kind: 'RSE',
        regencyCode: '64.71',
        lastEventAt: '2019-07-01T00:00:00.000Z',
        encrypted: true,
      },
      {
        recipientId: 'a',
        kind: 'RSE',
        regencyCode: '64.72',
        lastEventAt: '2020-01-01T00:00:00.000Z',
        encrypted: true,
      },
    ]);
  });

  it('leaves out the erased; an erasure is no activity, and one member’s leaves the group due', () => {
    const due = new RetentionDue();
    due.add([
      registered('a', '2020-01-01T00:00:00.000Z'),
      registered('k', '2020-01-01T00:00:00.000Z', { kind: 'KUBE' }),
      registered('old', '2020-01-01T00:00:00.000Z', { dataKeyId: undefined }),
      event('a', 'PersonalDataErased', '2024-01-01T00:00:00.000Z', { dataKeyIds: ['key-a'] }),
      event('k', 'PersonalDataErased', '2024-01-01T00:00:00.000Z', {
        dataKeyIds: ['key-m'],
        memberNikHash: 'hash-m',
      }),
    ]);
    expect(due.dueBefore(new Date('2023-01-01T00:00:00.000Z'))).toEqual([
      expect.objectContaining({ recipientId: 'k', lastEventAt: '2020-01-01T00:00:00.000Z' }),
      expect.objectContaining({ recipientId: 'old', encrypted: false }),
    ]);
  });

  it('reaches back whole days from now', () => {
    expect(retentionCutOff(new Date('2026-03-01T00:00:00.000Z'), 365).toISOString()).toBe(
      '2025-03-01T00:00:00.000Z',
    );
  });
});
