import type { Response } from 'supertest';
import { fold } from '../../src/domain/decider';
import { quotaDecider } from '../../src/domain/quota/quota.decider';
import type { QuotaEvent } from '../../src/domain/quota/quota.events';
import {
  API,
  bearer,
  disbursementBody,
  itemsWorth,
  kubeBody,
  nextNik,
  register,
  rseBody,
  setAllocation,
  startApi,
  type Api,
  type DisbursementBody,
  type KubeBody,
  type RseBody,
} from '../helpers/api-client';

interface ErrorAnswer {
  code: string;
}

const codeOf = (response: Response): string => (response.body as ErrorAnswer).code;

const count = <T>(items: readonly T[], predicate: (item: T) => boolean): number =>
  items.filter(predicate).length;

describe('concurrent requests over HTTP', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api.stop());

  const registration = (body: RseBody | KubeBody, idempotencyKey?: string) => {
    const request = api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(body);
    return idempotencyKey === undefined ? request : request.set('Idempotency-Key', idempotencyKey);
  };

  const disbursement = (recipientId: string, body: DisbursementBody = disbursementBody()) =>
    api.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(body);

  async function quotaState(year: number, kind: 'RSE' | 'KUBE') {
    const stored = await api.eventStore.readStream(`quota-${year}-${kind}`);
    return fold(
      quotaDecider,
      stored.map((event) => ({ type: event.type, data: event.data }) as QuotaEvent),
    );
  }

  it('25 simultaneous disbursements against an allocation of 20: exactly 20 × 201 and 5 × QUOTA_EXHAUSTED', async () => {
    await setAllocation(api, 2025, 'KUBE', '64.72', 20);
    const kubes = await Promise.all(
      Array.from({ length: 25 }, () => register(api, kubeBody({ regencyCode: '64.72' }))),
    );
    expect(new Set(kubes).size).toBe(25);

    const before = await api.headPosition();
    const responses = await Promise.all(
      kubes.map((recipientId) =>
        disbursement(recipientId, disbursementBody({ items: itemsWorth(19_000_000) })),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(count(statuses, (status) => status === 201)).toBe(20);
    expect(count(statuses, (status) => status === 409)).toBe(5);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(codeOf(response)).toBe('QUOTA_EXHAUSTED');
    }

    // Each disbursement is one append of two events (the aid recorded, its slot taken), side by
    // side in the log; the refused ones wrote nothing.
    const written = await api.eventsAfter(before);
    expect(count(written, (event) => event.type === 'AidDisbursed')).toBe(20);
    expect(written).toHaveLength(40);
    for (let index = 0; index < written.length; index += 2) {
      const [aid, slot] = written.slice(index, index + 2);
      expect([aid.type, slot.type]).toEqual(['AidDisbursed', 'QuotaSlotTaken']);
      expect(slot.data).toMatchObject({
        disbursementId: (aid.data as { disbursementId: string }).disbursementId,
      });
      expect(slot.metadata.commandId).toBe(aid.metadata.commandId);
    }
    const quota = await quotaState(2025, 'KUBE');
    const held = [...quota.slots.values()].filter((slot) => slot.regencyCode === '64.72');
    expect(held).toHaveLength(20);
    expect(held.every((slot) => !slot.pending)).toBe(true);
    const aided = new Set(
      written.flatMap((event) =>
        event.type === 'AidDisbursed' ? [(event.data as { recipientId: string }).recipientId] : [],
      ),
    );
    expect(new Set(held.map((slot) => slot.recipientId))).toEqual(aided);
  });

  it('10 simultaneous registrations of one NIK: exactly one 201, nine NIK_ALREADY_REGISTERED', async () => {
    const nik = nextNik('female');
    const before = await api.headPosition();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        registration(rseBody({ nik, name: `Pendaftar ${n + 1}` })),
      ),
    );

    expect(count(responses, (response) => response.status === 201)).toBe(1);
    // The losers are read again after the winner's append and refused for good: no request is
    // told "in progress" and none is left to retry.
    const refused = responses.filter((response) => response.status !== 201);
    expect(refused.map((response) => [response.status, codeOf(response)])).toEqual(
      Array(9).fill([409, 'NIK_ALREADY_REGISTERED']),
    );

    const written = await api.eventsAfter(before);
    expect(written.map((event) => event.type)).toEqual(['NikClaimed', 'RecipientRegistered']);
  });

  it('two KUBEs sharing two members, registered at once in opposite order: one wins, nothing leaks', async () => {
    const first = kubeBody();
    const second = kubeBody();
    second.members[0] = { ...first.members[3], role: 'CHAIR' };
    second.members[4] = { ...first.members[1], role: 'MEMBER' };
    const before = await api.headPosition();
    const responses = await Promise.all([registration(first), registration(second)]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const loser = responses.find((response) => response.status === 409);
    expect(loser && codeOf(loser)).toBe('NIK_ALREADY_REGISTERED');
    // Only the winner's append is stored: its five claims, then its registration. The loser
    // claimed nothing, not even the three NIKs no one else holds.
    const winner = responses.find((response) => response.status === 201);
    const winnerId = (winner?.body as { recipientId: string } | undefined)?.recipientId;
    const written = await api.eventsAfter(before);
    expect(written.map((event) => event.type)).toEqual([
      ...Array<string>(5).fill('NikClaimed'),
      'RecipientRegistered',
    ]);
    expect(written.map((event) => (event.data as { recipientId: string }).recipientId)).toEqual(
      Array(6).fill(winnerId),
    );
  });

  it('the same Idempotency-Key sent 10 times at once: one registration, ten identical answers', async () => {
    const body = rseBody();
    const before = await api.headPosition();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => registration(body, 'e2e-concurrent-key-1')),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    const answers = responses.map((response) => response.body as { recipientId: string });
    expect(new Set(answers.map((answer) => answer.recipientId)).size).toBe(1);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const replayed = responses.filter((r) => r.headers['idempotent-replayed'] === 'true');
    expect(replayed).toHaveLength(9);

    // One append: the effect, then the key's answer as its last event.
    const written = await api.eventsAfter(before);
    expect(written.map((event) => event.type)).toEqual([
      'NikClaimed',
      'RecipientRegistered',
      'IdempotentRequestAnswered',
    ]);
  });

  it('the same Idempotency-Key with two different bodies at once: one 201, one 422', async () => {
    const before = await api.headPosition();
    const responses = await Promise.all([
      registration(rseBody(), 'e2e-concurrent-key-2'),
      registration(rseBody(), 'e2e-concurrent-key-2'),
    ]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 422]);
    const refused = responses.find((response) => response.status === 422);
    expect(refused?.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    const written = await api.eventsAfter(before);
    expect(count(written, (event) => event.type === 'RecipientRegistered')).toBe(1);

    const later = await registration(rseBody(), 'e2e-concurrent-key-2');
    expect(later.status).toBe(422);
    expect(codeOf(later)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('two simultaneous disbursements to one recipient: one 201, one 409, one slot held', async () => {
    const recipientId = await register(api, rseBody({ regencyCode: '64.71' }));
    const before = await api.headPosition();
    const responses = await Promise.all([
      disbursement(recipientId, disbursementBody({ disbursedOn: '2025-08-01' })),
      disbursement(recipientId, disbursementBody({ disbursedOn: '2025-08-02' })),
    ]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    const refused = responses.find((response) => response.status === 409);
    expect(refused && codeOf(refused)).toBe('ALREADY_DISBURSED');

    const written = await api.eventsAfter(before);
    expect(written.map((event) => event.type)).toEqual(['AidDisbursed', 'QuotaSlotTaken']);
    const quota = await quotaState(2025, 'RSE');
    const held = [...quota.slots.values()].filter((slot) => slot.recipientId === recipientId);
    expect(held).toEqual([
      { recipientId, regencyCode: '64.71', valueRupiah: 5_000_000, pending: false },
    ]);
  });
});
