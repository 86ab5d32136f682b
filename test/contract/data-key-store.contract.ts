import type { DataKeyStore } from '../../src/platform/personal-data/personal-data';

export interface DataKeyStoreSubject {
  /** A store over storage of its own, empty. */
  store: DataKeyStore;
  /** A second store over the same storage, as another process would open it. */
  openAnother(): Promise<DataKeyStore>;
  dispose(): Promise<void>;
}

/** What every DataKeyStore adapter must do; run against SQLite always, MongoDB when set. */
export function describeDataKeyStoreContract(
  name: string,
  open: () => Promise<DataKeyStoreSubject>,
): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let subject: DataKeyStoreSubject;
    const others: DataKeyStore[] = [];

    beforeEach(async () => {
      subject = await open();
    });

    afterEach(async () => {
      await Promise.all(others.splice(0).map((store) => store.close()));
      await subject.dispose();
    });

    const another = async () => {
      const store = await subject.openAnother();
      others.push(store);
      return store;
    };

    it('hands out distinct, durable keys of 32 bytes to concurrent callers', async () => {
      const { store } = subject;
      const keyIds = await Promise.all(Array.from({ length: 300 }, () => store.newKeyId()));
      expect(new Set(keyIds).size).toBe(300);
      const keys = await (await another()).keys(keyIds);
      expect(keys.size).toBe(300);
      expect([...keys.values()].every((key) => key.length === 32)).toBe(true);
      expect(new Set([...keys.values()].map((key) => key.toString('hex'))).size).toBe(300);
    });

    it('answers the same key every time, to every instance', async () => {
      const keyId = await subject.store.newKeyId();
      const key = (await subject.store.keys([keyId])).get(keyId);
      expect((await subject.store.keys([keyId])).get(keyId)).toEqual(key);
      expect((await (await another()).keys([keyId])).get(keyId)).toEqual(key);
    });

    it('never hands out a key another instance handed out', async () => {
      const other = await another();
      const taken = await Promise.all(
        Array.from({ length: 200 }, (_, index) => (index % 2 ? other : subject.store).newKeyId()),
      );
      expect(new Set(taken).size).toBe(200);
    });

    it('leaves out ids it has no key for', async () => {
      const keyId = await subject.store.newKeyId();
      const keys = await subject.store.keys([keyId, 'never-made']);
      expect([...keys.keys()]).toEqual([keyId]);
      expect((await subject.store.keys([])).size).toBe(0);
    });

    it('destroys keys for every instance, idempotently, leaving the others', async () => {
      const { store } = subject;
      const keyIds = await Promise.all(Array.from({ length: 4 }, () => store.newKeyId()));
      const other = await another();
      expect((await other.keys(keyIds)).size).toBe(4);
      await store.destroy(keyIds.slice(0, 2));
      await store.destroy(keyIds.slice(0, 2));
      await store.destroy([]);
      expect([...(await other.keys(keyIds)).keys()].sort()).toEqual(keyIds.slice(2).sort());
      expect([...(await store.keys(keyIds)).keys()].sort()).toEqual(keyIds.slice(2).sort());
    });
  });
}
