import { Logger } from '@nestjs/common';
import { PROJECTIONS } from '../../projections';
import type { SubscribeOptions } from '../../src/platform/event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';
import {
  API,
  bearer,
  disbursementBody,
  kubeBody,
  rseBody,
  startApi,
  type Api,
} from '../helpers/api-client';
import { allEvents, expectEveryReadModelToEqualReplay } from '../helpers/read-model-comparison';
import { until } from '../helpers/until';

interface Health {
  status: string;
  projections: { name: string; status: string; position: string; error?: string }[];
}

/**
 * The read store stops taking writes for a few seconds while commands keep coming: the projector
 * must neither lose nor double-apply an event, nor spin, and must carry on by itself once the
 * store is back.
 */
describe('read store unreachable for a while', () => {
  let api: Api;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  beforeEach(async () => {
    api = await startApi();
  });

  afterEach(() => api.stop());

  const health = async () => (await api.http.get('/health')).body as Health;

  const caughtUp = async () => {
    const head = await api.headPosition();
    const { status, projections } = await health();
    return status === 'ok' && projections.every((p) => BigInt(p.position) >= head);
  };

  async function someCommands(count: number): Promise<void> {
    for (let n = 0; n < count; n++) {
      const registered = await api.http
        .post(`${API}/recipients`)
        .set('Authorization', bearer('operator'))
        .send(n % 4 === 3 ? kubeBody() : rseBody());
      expect(registered.status).toBe(201);
      if (n % 2 === 0) {
        const { recipientId } = registered.body as { recipientId: string };
        const disbursed = await api.http
          .post(`${API}/recipients/${recipientId}/disbursements`)
          .set('Authorization', bearer('operator'))
          .send(
            n % 4 === 3
              ? disbursementBody({
                  items: [{ description: 'Mesin jahit', quantity: 4, unitPriceRupiah: 5_000_000 }],
                })
              : disbursementBody(),
          );
        expect(disbursed.status).toBe(201);
      }
    }
  }

  it('retries with backoff, shows `retrying` meanwhile, then resumes from its checkpoint; read models end equal to a replay', async () => {
    const readStore = api.app.get<ReadStore>(READ_STORE);
    await someCommands(8);
    await until(caughtUp, 10_000);
    const before = await readStore.checkpoints();
    const checkpointBefore = before[0].position;
    expect(checkpointBefore).toBeGreaterThan(0n);

    const subscriptions: bigint[] = [];
    const subscribe = api.eventStore.subscribeToAll.bind(api.eventStore);
    jest
      .spyOn(api.eventStore, 'subscribeToAll')
      .mockImplementation((options?: SubscribeOptions) => {
        subscriptions.push(options?.after ?? 0n);
        return subscribe(options);
      });
    const commit = readStore.commit.bind(readStore);
    let unreachable = true;
    const attempts: number[] = [];
    jest.spyOn(readStore, 'commit').mockImplementation(async (...args) => {
      if (!unreachable) return commit(...args);
      attempts.push(Date.now());
      throw new Error('connect ECONNREFUSED 10.0.0.7:27017');
    });

    const outageStarted = Date.now();
    await someCommands(12);
    await until(async () => {
      const { status, projections } = await health();
      return status === 'degraded' && projections.every((p) => p.status === 'retrying');
    }, 5_000);
    expect((await health()).projections[0].error).toContain('ECONNREFUSED');
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 4_000 - (Date.now() - outageStarted))),
    );

    // Nothing moved while the store was away, and the engine waited longer after each failure
    // (1 s, 2 s, …) instead of trying again at once.
    expect(await readStore.checkpoints()).toEqual(before);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.length).toBeLessThanOrEqual(4);

    unreachable = false;
    await until(caughtUp, 20_000);
    // It took up again from the checkpoint it had, not from the start of the log.
    expect(subscriptions.length).toBeGreaterThanOrEqual(2);
    expect(subscriptions.every((after) => after === checkpointBefore)).toBe(true);

    const events = await allEvents(api.eventStore);
    await expectEveryReadModelToEqualReplay(PROJECTIONS, events, readStore);
  }, 60_000);
});
