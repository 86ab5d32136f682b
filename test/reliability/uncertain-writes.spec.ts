import { Logger } from '@nestjs/common';
import type { Response } from 'supertest';
import { fold } from '../../src/domain/decider';
import { quotaDecider } from '../../src/domain/quota/quota.decider';
import type { QuotaEvent } from '../../src/domain/quota/quota.events';
import { EventStoreUnavailableError } from '../../src/platform/event-store/event-store.errors';
import type { StoredEvent } from '../../src/platform/event-store/event-store.port';
import {
  API,
  bearer,
  disburse,
  disbursementBody,
  monitoringBody,
  register,
  rseBody,
  startApi,
  type Api,
  type TokenName,
} from '../helpers/api-client';

interface Effects {
  streamName: string;
  revision: string;
}

interface AnswerRecord {
  requestHash: string;
  statusCode: number;
  body: Record<string, unknown>;
  effects: Effects[];
}

const dataOf = <T>(event: StoredEvent) => event.data as T;

/**
 * Every command is one atomic append, its Idempotency-Key's answer included. When the store
 * commits it and the answer is then lost (the client sees 503), the command is either stored
 * whole or not at all: retried with its key it gets the original answer, and without a key it is
 * refused for the effect it already had; it is never applied twice, and never half.
 */
describe('commands whose answer was lost after the commit', () => {
  let api: Api;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(async () => {
    api = await startApi();
  });

  afterEach(() => api.stop());

  /**
   * The next commit that touches a stream of `category` is stored, then answered as if the
   * connection to the store had been lost.
   */
  function loseTheAnswerOfNextCommitTo(category: string): void {
    const store = api.eventStore;
    const append = store.appendToStreams.bind(store);
    let armed = true;
    jest.spyOn(store, 'appendToStreams').mockImplementation(async (appends, options) => {
      const result = await append(appends, options);
      if (armed && appends.some(({ streamName }) => streamName.startsWith(`${category}-`))) {
        armed = false;
        throw new EventStoreUnavailableError('connection lost after the commit');
      }
      return result;
    });
  }

  const post = (path: string, body: object, token: TokenName, idempotencyKey?: string) => {
    const request = api.http.post(`${API}${path}`).set('Authorization', bearer(token)).send(body);
    return idempotencyKey === undefined ? request : request.set('Idempotency-Key', idempotencyKey);
  };

  function expectLost(response: Response): void {
    expect({ status: response.status, body: response.body as unknown }).toEqual({
      status: 503,
      body: expect.objectContaining({ code: 'EVENT_STORE_UNAVAILABLE' }),
    });
  }

  /**
   * Nothing in the log is half a command: every AidDisbursed has its QuotaSlotTaken, every
   * DisbursementReversed its QuotaSlotReleased and every NikClaimed its RecipientRegistered, each
   * in the same commit; and no effect is there twice.
   */
  async function expectNothingHalfDone(): Promise<StoredEvent[]> {
    const events = await api.eventsAfter();
    const inCommit = (event: StoredEvent, type: string) =>
      events.filter(
        (other) => other.type === type && other.metadata.commandId === event.metadata.commandId,
      );
    for (const event of events) {
      if (event.type === 'AidDisbursed') {
        const { disbursementId, recipientId } = dataOf<{
          disbursementId: string;
          recipientId: string;
        }>(event);
        const taken = inCommit(event, 'QuotaSlotTaken');
        expect(taken.map((slot) => slot.data)).toEqual([
          expect.objectContaining({ disbursementId, recipientId }),
        ]);
      }
      if (event.type === 'DisbursementReversed') {
        const { disbursementId } = dataOf<{ disbursementId: string }>(event);
        expect(inCommit(event, 'QuotaSlotReleased').map((slot) => slot.data)).toEqual([
          { disbursementId, reason: 'REVERSED' },
        ]);
      }
      if (event.type === 'NikClaimed') {
        const { recipientId } = dataOf<{ recipientId: string }>(event);
        expect(inCommit(event, 'RecipientRegistered')).toEqual([
          expect.objectContaining({ streamName: `recipient-${recipientId}` }),
        ]);
      }
    }
    for (const type of ['QuotaSlotTaken', 'QuotaSlotReleased']) {
      const slots = events.filter((event) => event.type === type);
      const ids = slots.map((event) => dataOf<{ disbursementId: string }>(event).disbursementId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    const nikStreams = events
      .filter((event) => event.streamName.startsWith('nik-'))
      .map((event) => event.streamName);
    expect(new Set(nikStreams).size).toBe(nikStreams.length);
    return events;
  }

  describe('retried with the same Idempotency-Key: the original answer, nothing applied twice', () => {
    interface Case {
      /** What the command is. */
      name: string;
      /** The category of a stream the command appends to. */
      category: string;
      token: TokenName;
      /** Sets up what the command needs; answers its path and body. */
      given(): Promise<{ path: string; body: object }>;
      status: number;
      /** The effects of the command, in append order, its answer record last. */
      types: string[];
    }

    const cases: Case[] = [
      {
        name: 'a registration',
        category: 'recipient',
        token: 'operator',
        given: async () => ({ path: '/recipients', body: rseBody() }),
        status: 201,
        types: ['NikClaimed', 'RecipientRegistered'],
      },
      {
        name: 'a disbursement',
        category: 'recipient',
        token: 'operator',
        given: async () => {
          const recipientId = await register(api, rseBody());
          return { path: `/recipients/${recipientId}/disbursements`, body: disbursementBody() };
        },
        status: 201,
        types: ['AidDisbursed', 'QuotaSlotTaken'],
      },
      {
        name: 'a reversal',
        category: 'recipient',
        token: 'operator',
        given: async () => {
          const disbursementId = await disburse(api, await register(api, rseBody()));
          return {
            path: `/disbursements/${disbursementId}/reversal`,
            body: { reason: 'Data ganda' },
          };
        },
        status: 200,
        types: ['DisbursementReversed', 'QuotaSlotReleased'],
      },
      {
        name: 'a monitoring visit',
        category: 'recipient',
        token: 'monitor',
        given: async () => {
          const recipientId = await register(api, rseBody());
          await disburse(api, recipientId);
          return { path: `/recipients/${recipientId}/monitoring`, body: monitoringBody() };
        },
        status: 201,
        types: ['MonitoringRecorded'],
      },
    ];

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const { path, body } = await c.given();
      const key = `uncertain-${c.category}-${c.types[0]}`;
      const head = await api.headPosition();
      loseTheAnswerOfNextCommitTo(c.category);
      expectLost(await post(path, body, c.token, key));

      // The whole command was stored, in one commit: its effects, then its key's answer.
      const stored = await api.eventsAfter(head);
      expect(stored.map((event) => event.type)).toEqual([...c.types, 'IdempotentRequestAnswered']);
      const record = stored[stored.length - 1];
      const answer = dataOf<AnswerRecord>(record);
      expect(answer).toEqual({
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        statusCode: c.status,
        body: expect.any(Object),
        effects: stored
          .slice(0, -1)
          .map(({ streamName, revision }) => ({ streamName, revision: revision.toString() })),
      });
      expect(answer.body).not.toHaveProperty('position');
      for (const event of stored) {
        expect(event.metadata).toMatchObject({
          commandId: record.metadata.commandId,
          causationId: record.streamName,
        });
      }

      // Retried with its key, twice: the answer the lost one would have given, with the position
      // of its commit's last event, and nothing more written.
      const original = { ...answer.body, position: record.position.toString() };
      for (let retry = 1; retry <= 2; retry++) {
        const retried = await post(path, body, c.token, key);
        expect({
          status: retried.status,
          replayed: retried.headers['idempotent-replayed'],
          body: retried.body as unknown,
        }).toEqual({ status: c.status, replayed: 'true', body: original });
      }
      expect(await api.eventsAfter(head)).toHaveLength(stored.length);

      // The same key with another body is still refused.
      const reused = await post(path, { ...body, other: true }, c.token, key);
      expect({ status: reused.status, body: reused.body as unknown }).toEqual({
        status: 422,
        body: expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' }),
      });
      await expectNothingHalfDone();
    });
  });

  describe('retried without a key: refused for the effect it already had', () => {
    it('a registration: NIK_ALREADY_REGISTERED, one claim, one recipient', async () => {
      const body = rseBody();
      const head = await api.headPosition();
      loseTheAnswerOfNextCommitTo('recipient');
      expectLost(await post('/recipients', body, 'operator'));

      const again = await post('/recipients', body, 'operator');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'NIK_ALREADY_REGISTERED' });
      expect((await api.eventsAfter(head)).map((event) => event.type)).toEqual([
        'NikClaimed',
        'RecipientRegistered',
      ]);
      await expectNothingHalfDone();
    });

    it('a disbursement: ALREADY_DISBURSED, one aid, one slot', async () => {
      const recipientId = await register(api, rseBody());
      const body = disbursementBody();
      const head = await api.headPosition();
      loseTheAnswerOfNextCommitTo('recipient');
      expectLost(await post(`/recipients/${recipientId}/disbursements`, body, 'operator'));

      const again = await post(`/recipients/${recipientId}/disbursements`, body, 'operator');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'ALREADY_DISBURSED' });
      const stored = await api.eventsAfter(head);
      expect(stored.map((event) => [event.type, event.streamName])).toEqual([
        ['AidDisbursed', `recipient-${recipientId}`],
        ['QuotaSlotTaken', 'quota-2025-RSE'],
      ]);
      await expectNothingHalfDone();
    });
  });

  it('an older log: a slot left pending by a request that died is taken over at once, not left blocking', async () => {
    const recipientId = await register(api, rseBody());
    // Before one append per command, a request reserved `<id>.1` and died before recording the aid.
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
            reservedAt: new Date().toISOString(),
          },
        },
      ],
      {
        expectedRevision: 'any',
        context: { actor: 'e2e', correlationId: 'c', causationId: 'c', commandId: 'c' },
      },
    );
    const head = await api.headPosition();
    const disbursed = await post(
      `/recipients/${recipientId}/disbursements`,
      disbursementBody(),
      'operator',
    );
    expect(disbursed.status).toBe(201);
    expect(disbursed.body).toMatchObject({ disbursementId: `${recipientId}.1` });
    expect((await api.eventsAfter(head)).map((event) => event.type)).toEqual([
      'AidDisbursed',
      'QuotaSlotTaken',
    ]);
    const quota = fold(
      quotaDecider,
      (await api.eventStore.readStream('quota-2025-RSE')).map(
        (event) => ({ type: event.type, data: event.data }) as QuotaEvent,
      ),
    );
    expect([...quota.slots.entries()]).toEqual([
      [
        `${recipientId}.1`,
        { recipientId, regencyCode: '64.72', valueRupiah: 5_000_000, pending: false },
      ],
    ]);
    await expectNothingHalfDone();
  });
});
