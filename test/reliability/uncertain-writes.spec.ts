import { Logger } from '@nestjs/common';
import { FixedClock } from '../../src/common/clock';
import type { AppendOptions, AppendResult, NewEvent } from '../../src/event-store/event-store.port';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.errors';
import {
  API,
  bearer,
  disbursementBody,
  NOW,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';

/**
 * A write whose outcome is unknown (the store committed, then the answer was lost) must not be
 * undone: undoing it would release a NIK that is registered, or a quota slot that is used.
 */
describe('writes whose outcome is unknown', () => {
  let api: Api;
  let clock: FixedClock;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    clock = new FixedClock(NOW);
    api = await startApi({ clock });
  });

  afterEach(() => api.stop());

  /** The next append to a stream of `category` is stored, then answered as if the store failed. */
  function loseTheAnswerOfNextAppendTo(category: string): void {
    const store = api.eventStore;
    const append = store.appendToStream.bind(store);
    let armed = true;
    jest
      .spyOn(store, 'appendToStream')
      .mockImplementation(
        async (
          stream: string,
          events: readonly NewEvent[],
          options: AppendOptions,
        ): Promise<AppendResult> => {
          const result = await append(stream, events, options);
          if (armed && stream.startsWith(`${category}-`)) {
            armed = false;
            throw new EventStoreUnavailableError('connection lost after the commit');
          }
          return result;
        },
      );
  }

  it('keeps the NIK claims of a registration that may have been stored, so the NIK is not registered twice', async () => {
    const body = rseBody();
    loseTheAnswerOfNextAppendTo('recipient');
    const first = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(body);
    expect(first.status).toBe(503);

    const again = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(body);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NIK_ALREADY_REGISTERED' });
    const registered = (await api.eventsAfter()).filter(
      (event) => event.type === 'RecipientRegistered',
    );
    expect(registered).toHaveLength(1);
  });

  it('keeps the quota slot of a disbursement that may have been recorded', async () => {
    const registered = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(rseBody());
    const recipientId = (registered.body as { recipientId: string }).recipientId;
    loseTheAnswerOfNextAppendTo('recipient');
    const lost = await api.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(disbursementBody());
    expect(lost.status).toBe(503);

    const types = (await api.eventsAfter()).map((event) => event.type);
    expect(types).toContain('AidDisbursed');
    expect(types).toContain('QuotaSlotReserved');
    expect(types).not.toContain('QuotaSlotReleased');
  });

  it('settles a slot left pending by a request that died, instead of blocking the recipient', async () => {
    const registered = await api.http
      .post(`${API}/recipients`)
      .set('Authorization', bearer('operator'))
      .send(rseBody());
    const recipientId = (registered.body as { recipientId: string }).recipientId;
    // A request reserved `<id>.1` and died before recording the aid.
    await api.eventStore.appendToStream(
      'quota-2025-RSE',
      [
        {
          type: 'QuotaSlotReserved',
          data: {
            disbursementId: `${recipientId}.1`,
            recipientId,
            regencyCode: '64.72',
            valueRupiah: 5_000_000,
            reservedAt: NOW.toISOString(),
          },
        },
      ],
      {
        expectedRevision: 'any',
        context: { actor: 'e2e', correlationId: 'c', causationId: 'c', commandId: 'c' },
      },
    );
    const body = disbursementBody();
    const soon = await api.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(body);
    expect(soon.status).toBe(409);
    expect(soon.body).toMatchObject({ code: 'DISBURSEMENT_IN_PROGRESS' });

    clock.set(new Date(NOW.getTime() + 61_000));
    const later = await api.http
      .post(`${API}/recipients/${recipientId}/disbursements`)
      .set('Authorization', bearer('operator'))
      .send(body);
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({ disbursementId: `${recipientId}.2` });
    const types = (await api.eventsAfter()).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['DisbursementAbandoned', 'QuotaSlotReleased']));
  });
});
