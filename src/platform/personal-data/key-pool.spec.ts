import { KeyPool } from './key-pool';
import { MasterKey } from './master-key';

const masterKey = new MasterKey(Buffer.alloc(32, 4));

describe('KeyPool', () => {
  it('hands out each key once, and serves it from memory to its first lookup only', () => {
    const pool = new KeyPool();
    const made = KeyPool.make(masterKey, 3);
    pool.add(made);
    const taken = [pool.take(), pool.take(), pool.take()];
    expect(pool.take()).toBeUndefined();
    expect(new Set(taken).size).toBe(3);

    const keys = new Map<string, Buffer>();
    expect(pool.claim([taken[0] as string, 'elsewhere'], keys)).toEqual(['elsewhere']);
    expect(keys.get(taken[0] as string)).toEqual(made.find(({ keyId }) => keyId === taken[0])?.key);
    // A second lookup goes to the store, which may have destroyed it meanwhile.
    expect(pool.claim([taken[0] as string], new Map())).toEqual([taken[0]]);
  });

  it('forgets destroyed keys, taken or not', () => {
    const pool = new KeyPool();
    const made = KeyPool.make(masterKey, 2);
    pool.add(made);
    const taken = pool.take() as string;
    pool.forget(made.map(({ keyId }) => keyId));
    expect(pool.take()).toBeUndefined();
    expect(pool.claim([taken], new Map())).toEqual([taken]);
  });

  it('remembers at most 1024 handed-out keys, dropping the oldest', () => {
    const pool = new KeyPool();
    pool.add(KeyPool.make(masterKey, 1025));
    const taken = Array.from({ length: 1025 }, () => pool.take() as string);
    const keys = new Map<string, Buffer>();
    expect(pool.claim(taken, keys)).toEqual([taken[0]]);
    expect(keys.size).toBe(1024);
  });

  it('makes keys that the master key unwraps from what the store keeps', () => {
    for (const { keyId, key, wrapped } of KeyPool.make(masterKey, 5)) {
      expect(masterKey.unwrap(keyId, wrapped)).toEqual(key);
    }
  });
});
