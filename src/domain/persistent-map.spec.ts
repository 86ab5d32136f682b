import { PersistentMap } from './persistent-map';

/** A seeded stream of numbers in [0, 1), so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

function contentsOf<Value>(map: PersistentMap<Value>): [string, Value][] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Random sets and deletes on both a PersistentMap and a Map; every version is kept and checked. */
function agreesWithMap(empty: PersistentMap<number>, keys: number, steps: number): void {
  const random = seeded(keys * 31 + steps);
  const versions: [PersistentMap<number>, [string, number][]][] = [];
  let map = empty;
  const expected = new Map<string, number>();
  for (let step = 0; step < steps; step++) {
    const key = `k${Math.floor(random() * keys)}`;
    if (random() < 0.3) {
      map = map.delete(key);
      expected.delete(key);
    } else {
      map = map.set(key, step);
      expected.set(key, step);
    }
    expect(map.size).toBe(expected.size);
    expect(map.get(key)).toBe(expected.get(key));
    if (step % 50 === 0) versions.push([map, [...expected].sort(([a], [b]) => a.localeCompare(b))]);
  }
  expect(contentsOf(map)).toEqual([...expected].sort(([a], [b]) => a.localeCompare(b)));
  // No later change reached an earlier version.
  for (const [version, contents] of versions) {
    expect(contentsOf(version)).toEqual(contents);
    expect(version.size).toBe(contents.length);
    for (const [key, value] of contents) expect(version.get(key)).toBe(value);
  }
}

describe('PersistentMap', () => {
  it('holds what was set, forgets what was deleted, and counts its keys', () => {
    const map = PersistentMap.empty<string>().set('a', 'x').set('b', 'y').set('a', 'z');
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual(['z', 'y', undefined, 2]);
    const smaller = map.delete('a').delete('missing');
    expect([smaller.get('a'), smaller.has('b'), smaller.size]).toEqual([undefined, true, 1]);
    expect([...smaller.values()]).toEqual(['y']);
  });

  it('leaves every earlier version as it was', () => {
    const before = PersistentMap.empty<number>().set('a', 1);
    const after = before.set('a', 2).set('b', 3).delete('a');
    expect(contentsOf(before)).toEqual([['a', 1]]);
    expect(contentsOf(after)).toEqual([['b', 3]]);
  });

  it('agrees with a Map over thousands of random sets and deletes, in every version', () => {
    agreesWithMap(PersistentMap.empty(), 1_000, 3_000);
  });

  it('agrees with a Map when every key has the same hash', () => {
    agreesWithMap(
      PersistentMap.withHash(() => 0xdeadbeef),
      40,
      400,
    );
  });

  it('agrees with a Map when hashes share all but their last bits', () => {
    agreesWithMap(
      PersistentMap.withHash((key) => (key.length % 3) * 0x10000000),
      60,
      600,
    );
  });
});
