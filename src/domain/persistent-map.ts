const BITS = 4;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

interface Entry<Value> {
  kind: 'entry';
  key: string;
  hash: number;
  value: Value;
}

/** Keys whose whole 32-bit hashes are equal. */
interface Collision<Value> {
  kind: 'collision';
  hash: number;
  entries: readonly Entry<Value>[];
}

interface Node<Value> {
  kind: 'node';
  children: Branch<Value>;
}

type Child<Value> = Entry<Value> | Collision<Value> | Node<Value>;
type Branch<Value> = readonly (Child<Value> | undefined)[];

/**
 * An immutable map from text keys to values whose `set` and `delete` answer a new map in a few
 * steps however large it is, sharing everything they did not change with the map they came from
 * (a hash array mapped trie: 16 children a node, 4 bits of a key's 32-bit hash a level). A
 * decider's state must stay immutable, and a yearly quota holds up to a million slots: copying
 * them for each event made reading its stream take time in the square of its length.
 */
export class PersistentMap<Value> {
  private static readonly EMPTY = new PersistentMap<never>(emptyBranch(), 0, fnv1a);

  private constructor(
    private readonly root: Branch<Value>,
    /** How many keys the map holds. */
    readonly size: number,
    private readonly hashOf: (key: string) => number,
  ) {}

  static empty<Value>(): PersistentMap<Value> {
    return PersistentMap.EMPTY;
  }

  /** An empty map hashing keys with `hashOf`: for tests that need keys whose hashes collide. */
  static withHash<Value>(hashOf: (key: string) => number): PersistentMap<Value> {
    return new PersistentMap<Value>(emptyBranch(), 0, hashOf);
  }

  get(key: string): Value | undefined {
    const hash = this.hashOf(key);
    let node: Branch<Value> = this.root;
    for (let shift = 0; ; shift += BITS) {
      const child = node[(hash >>> shift) & MASK];
      if (child === undefined) return undefined;
      if (child.kind === 'entry') return child.key === key ? child.value : undefined;
      if (child.kind === 'collision') return child.entries.find((e) => e.key === key)?.value;
      node = child.children;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: Value): PersistentMap<Value> {
    const entry: Entry<Value> = { kind: 'entry', key, hash: this.hashOf(key), value };
    const { branch, added } = insert(this.root, 0, entry);
    return new PersistentMap(branch, this.size + (added ? 1 : 0), this.hashOf);
  }

  delete(key: string): PersistentMap<Value> {
    if (this.get(key) === undefined) return this;
    return new PersistentMap(
      remove(this.root, 0, key, this.hashOf(key)),
      this.size - 1,
      this.hashOf,
    );
  }

  *values(): IterableIterator<Value> {
    for (const [, value] of this.entries()) yield value;
  }

  /** In no particular order, but the same order for the same map. */
  *entries(): IterableIterator<[string, Value]> {
    yield* entriesOf(this.root);
  }
}

function emptyBranch<Value>(): Branch<Value> {
  return new Array<Child<Value> | undefined>(WIDTH).fill(undefined);
}

function insert<Value>(
  branch: Branch<Value>,
  shift: number,
  entry: Entry<Value>,
): { branch: Branch<Value>; added: boolean } {
  const index = (entry.hash >>> shift) & MASK;
  const child = branch[index];
  let next: Child<Value>;
  let added = true;
  if (child === undefined) {
    next = entry;
  } else if (child.kind === 'node') {
    const inner = insert(child.children, shift + BITS, entry);
    next = { kind: 'node', children: inner.branch };
    added = inner.added;
  } else if (child.hash === entry.hash) {
    const entries = child.kind === 'entry' ? [child] : child.entries;
    const kept = entries.filter((other) => other.key !== entry.key);
    added = kept.length === entries.length;
    next =
      kept.length === 0
        ? entry
        : { kind: 'collision', hash: entry.hash, entries: [...kept, entry] };
  } else {
    // Two different hashes: they part at this level or a deeper one (32 bits cover every level).
    const split: Branch<Value> = emptyBranch<Value>().map((_, i) =>
      i === ((child.hash >>> (shift + BITS)) & MASK) ? child : undefined,
    );
    next = { kind: 'node', children: insert(split, shift + BITS, entry).branch };
  }
  const copy = branch.slice();
  copy[index] = next;
  return { branch: copy, added };
}

/** The branch without `key`, which it holds. Emptied nodes stay: they cost a little memory only. */
function remove<Value>(
  branch: Branch<Value>,
  shift: number,
  key: string,
  hash: number,
): Branch<Value> {
  const index = (hash >>> shift) & MASK;
  const child = branch[index] as Child<Value>;
  let next: Child<Value> | undefined;
  if (child.kind === 'node') {
    next = { kind: 'node', children: remove(child.children, shift + BITS, key, hash) };
  } else if (child.kind === 'collision') {
    const kept = child.entries.filter((entry) => entry.key !== key);
    next = kept.length === 1 ? kept[0] : { ...child, entries: kept };
  } else {
    next = undefined;
  }
  const copy = branch.slice();
  copy[index] = next;
  return copy;
}

function* entriesOf<Value>(branch: Branch<Value>): IterableIterator<[string, Value]> {
  for (const child of branch) {
    if (child === undefined) continue;
    if (child.kind === 'entry') yield [child.key, child.value];
    else if (child.kind === 'collision')
      for (const entry of child.entries) yield [entry.key, entry.value];
    else yield* entriesOf(child.children);
  }
}

/** FNV-1a over the key's UTF-16 code units: quick, and spread well enough for ids. */
function fnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
