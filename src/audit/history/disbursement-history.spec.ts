import type { RecipientEvent } from '../../domain/recipient/recipient.events';
import type { StoredEvent } from '../../platform/event-store/event-store.port';
import { DisbursementHistory } from './disbursement-history';

const RECORDED = ['2025-03-01', '2025-04-01', '2025-05-01', '2025-06-01', '2025-07-01'];

/** The events as the log stores them, one recorded day each, in this order. */
function log(events: RecipientEvent[]): StoredEvent[] {
  return events.map((event, index) => ({
    ...event,
    streamName: 'recipient-kube-1',
    revision: BigInt(index),
    position: BigInt(index + 1),
    metadata: {
      actor: 'operator',
      recordedAt: `${RECORDED[index]}T02:00:00.000Z`,
      eventId: `e${index}`,
      correlationId: 'c',
      causationId: 'c',
      commandId: 'c',
      schemaVersion: 1,
      hash: '',
      previousHash: null,
    },
  })) as unknown as StoredEvent[];
}

const member = (n: number) => ({
  name: `Anggota ${n}`,
  role: n === 1 ? ('CHAIR' as const) : ('MEMBER' as const),
  nikHash: `hash-${n}`,
  nikMasked: `6472********000${n}`,
});

const registered: RecipientEvent = {
  type: 'RecipientRegistered',
  data: {
    recipientId: 'kube-1',
    kind: 'KUBE',
    regencyCode: '64.72',
    groupName: 'KUBE Mawar',
    businessType: 'Kerajinan',
    members: [1, 2, 3, 4, 5].map(member),
  },
};

const disbursed = (attempt: number, disbursedOn: string): RecipientEvent => ({
  type: 'AidDisbursed',
  data: {
    recipientId: 'kube-1',
    disbursementId: `kube-1.${attempt}`,
    kind: 'KUBE',
    regencyCode: '64.72',
    year: 2025,
    form: 'EQUIPMENT',
    items: [{ description: 'Mesin jahit', quantity: 1, unitPriceRupiah: 20_000_000 }],
    valueRupiah: 20_000_000,
    disbursedOn,
  },
});

describe('DisbursementHistory', () => {
  it('shows a corrected NIK on aid given before the correction: the mistyped one was never hers', () => {
    const history = new DisbursementHistory();
    history.add(
      log([
        registered,
        disbursed(1, '2025-03-20'),
        {
          type: 'NikCorrected',
          data: {
            recipientId: 'kube-1',
            before: { nikHash: 'hash-2', nikMasked: '6472********0002' },
            after: { nikHash: 'hash-9', nikMasked: '6472********0009' },
            reason: 'salah ketik',
          },
        },
      ]),
    );
    expect(history.list()[0].maskedNiks).toEqual([
      '6472********0001',
      '6472********0009',
      '6472********0003',
      '6472********0004',
      '6472********0005',
    ]);
  });

  it('keeps the group as it was on aid already given, and shows the newcomer on later aid', () => {
    const history = new DisbursementHistory();
    history.add(
      log([
        registered,
        disbursed(1, '2025-03-20'),
        {
          type: 'MemberReplaced',
          data: {
            recipientId: 'kube-1',
            departure: 'LEFT',
            left: member(3),
            joined: { ...member(6), role: 'MEMBER' },
            effectiveOn: '2025-04-10',
            reason: 'pindah',
          },
        },
        {
          type: 'DisbursementReversed',
          data: {
            recipientId: 'kube-1',
            disbursementId: 'kube-1.1',
            kind: 'KUBE',
            regencyCode: '64.72',
            year: 2025,
            valueRupiah: 20_000_000,
            reason: 'salah catat',
            reversedOn: '2025-05-01',
          },
        },
        disbursed(2, '2025-06-20'),
      ]),
    );
    const [first, second] = history.list();
    expect(first.maskedNiks).toContain('6472********0003');
    expect(second.maskedNiks).toContain('6472********0006');
    expect(second.maskedNiks).not.toContain('6472********0003');
  });

  it('as of a day before the correction, shows the NIK as it was then known', () => {
    const history = new DisbursementHistory({ knownBefore: '2025-04-15T16:00:00.000Z' });
    history.add(
      log([
        registered,
        disbursed(1, '2025-03-20'),
        {
          type: 'RecipientDetailsCorrected',
          data: { recipientId: 'kube-1', changes: [], reason: 'x' },
        },
        {
          type: 'NikCorrected',
          data: {
            recipientId: 'kube-1',
            before: { nikHash: 'hash-2', nikMasked: '6472********0002' },
            after: { nikHash: 'hash-9', nikMasked: '6472********0009' },
            reason: 'salah ketik',
          },
        },
      ]),
    );
    expect(history.list()[0].maskedNiks).toContain('6472********0002');
  });
});
