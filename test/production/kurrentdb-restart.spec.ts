import { API, bearer, rseBody, type Api } from '../helpers/api-client';
import {
  caughtUpTo,
  docker,
  expectReadModelsToEqualReplay,
  isHealthy,
  productionPair,
  sendUntilAnswered,
  SKIPPED_WITHOUT_PAIR,
  startApiOnPair,
  uniqueNik,
  until,
} from './production-pair';

const pair = productionPair();

/**
 * KurrentDB restarts (an upgrade, a crash, a node moved) while the projections' subscription is
 * live: the server ends or breaks the subscription, and the engine must take it up again from its
 * checkpoint by itself, so that events appended after the restart reach the read models, once.
 */
if (pair) {
  describe('KurrentDB restarted under a live subscription (production pair)', () => {
    let api: Api;

    beforeAll(async () => {
      api = await startApiOnPair(pair, 'kurrentdb_restart');
    });

    afterAll(() => api?.stop());

    async function register(): Promise<{ recipientId: string; position: string }> {
      const answer = await sendUntilAnswered(api, '/recipients', rseBody({ nik: uniqueNik() }));
      expect(answer).toMatchObject({ status: 201 });
      return answer.body as { recipientId: string; position: string };
    }

    it('events appended after `docker restart` reach the read models, which equal a replay', async () => {
      const before = await register();
      await until(
        'read models caught up before the restart',
        () => caughtUpTo(api, before.position),
        30_000,
      );

      await docker(['restart', pair.kurrentdbContainer]);
      await until('KurrentDB healthy again', () => isHealthy(pair.kurrentdbContainer), 120_000);

      const after = await register();
      await until(
        'read models caught up after the restart',
        () => caughtUpTo(api, after.position),
        90_000,
      );

      for (const { recipientId } of [before, after]) {
        const found = await api.http
          .get(`${API}/recipients/${recipientId}`)
          .set('Authorization', bearer('monitor'));
        expect({ recipientId, status: found.status }).toEqual({ recipientId, status: 200 });
      }
      await expectReadModelsToEqualReplay(api);
    }, 300_000);
  });
} else {
  describe('KurrentDB restarted under a live subscription (production pair)', () => {
    it.todo(SKIPPED_WITHOUT_PAIR);
  });
}
