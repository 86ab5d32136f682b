import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError } from '../event-store.errors';
import { KurrentDbEventStore, UnsupportedServerError } from './kurrentdb-event-store';

const context = { actor: 'a', correlationId: 'c', causationId: 'c', commandId: 'c' };

/** A client double with only what the version check and an append to a new stream touch. */
function clientOf(versions: (() => Promise<string>)[], multiStreamAppend = jest.fn()) {
  let asked = 0;
  const client = {
    get capabilities() {
      const version = versions[Math.min(asked++, versions.length - 1)];
      return version().then((serverVersion) => ({ serverVersion }));
    },
    // A stream with no events: the tip read yields nothing.
    readStream: () => (async function* () {})(),
    multiStreamAppend,
  };
  return { store: new KurrentDbEventStore(client as unknown as KurrentDBClient), client };
}

const unreachable = () =>
  Promise.reject(Object.assign(new Error('No connection established'), { code: 14 }));

describe('KurrentDB adapter: the server it needs', () => {
  it.each(['25.1.0', '25.1.2.1433', '26.0.0'])('accepts KurrentDB %s', async (version) => {
    await expect(clientOf([async () => version]).store.checkServer()).resolves.toBeUndefined();
  });

  it.each(['24.10.4', '23.10.0', 'unknown'])(
    'refuses %s, naming the version it needs',
    async (version) => {
      const refusal = clientOf([async () => version]).store.checkServer();
      await expect(refusal).rejects.toBeInstanceOf(UnsupportedServerError);
      await expect(refusal).rejects.toThrow(/needs KurrentDB 25\.1 or later/);
    },
  );

  it('asks again after the server was unreachable, rather than remembering the failure', async () => {
    const { store } = clientOf([unreachable, async () => '25.1.0']);
    await expect(store.checkServer()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.checkServer()).resolves.toBeUndefined();
  });

  it('refuses every append on an older server, without sending it', async () => {
    const multiStreamAppend = jest.fn();
    const { store } = clientOf([async () => '24.10.0'], multiStreamAppend);
    await expect(
      store.appendToStream('s-1', [{ type: 'A', data: {} }], { expectedRevision: 'any', context }),
    ).rejects.toBeInstanceOf(UnsupportedServerError);
    expect(multiStreamAppend).not.toHaveBeenCalled();
  });

  it('names a server without the multi-stream append (gRPC unimplemented) as too old', async () => {
    const multiStreamAppend = jest
      .fn()
      .mockRejectedValue(Object.assign(new Error('unimplemented'), { code: 12 }));
    const { store } = clientOf([async () => '25.1.0'], multiStreamAppend);
    await expect(
      store.appendToStream('s-1', [{ type: 'A', data: {} }], { expectedRevision: 'any', context }),
    ).rejects.toBeInstanceOf(UnsupportedServerError);
  });
});
