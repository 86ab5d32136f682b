import { randomUUID } from 'node:crypto';
import type { MasterKey } from './master-key';

export interface NewDataKey {
  keyId: string;
  key: Buffer;
  wrapped: Buffer;
}

/** How many handed-out keys are remembered for their first lookup; the oldest go first. */
const HANDED_OUT_LIMIT = 1024;

/**
 * The keys a store made ahead and has not handed out yet, and those it handed out lately, so
 * that the append that first uses a key (the registration of its person) needs no read of the
 * store. A key leaves memory at that first lookup, or when destroyed; later lookups read the
 * store. No other process can destroy a key before that first lookup: it learns the key's id
 * from the log, and the append that first writes the id looks the key up before it is written.
 */
export class KeyPool {
  private fresh: { keyId: string; key: Buffer }[] = [];
  private readonly handedOut = new Map<string, Buffer>();

  get size(): number {
    return this.fresh.length;
  }

  /** A batch of new keys for the store to write; `add` them once they are durable. */
  static make(masterKey: MasterKey, count: number): NewDataKey[] {
    return Array.from({ length: count }, () => {
      const keyId = randomUUID();
      return { keyId, ...masterKey.newDataKey(keyId) };
    });
  }

  add(keys: readonly NewDataKey[]): void {
    this.fresh.push(...keys.map(({ keyId, key }) => ({ keyId, key })));
  }

  /** The id of a key written ahead, or undefined when the pool is empty. */
  take(): string | undefined {
    const taken = this.fresh.pop();
    if (taken === undefined) return undefined;
    this.handedOut.set(taken.keyId, taken.key);
    if (this.handedOut.size > HANDED_OUT_LIMIT) {
      this.handedOut.delete(this.handedOut.keys().next().value as string);
    }
    return taken.keyId;
  }

  /** Moves the keys of these ids this pool still holds into `keys`; answers the ids left. */
  claim(keyIds: readonly string[], keys: Map<string, Buffer>): string[] {
    const left: string[] = [];
    for (const keyId of keyIds) {
      const key = this.handedOut.get(keyId);
      if (key === undefined) {
        left.push(keyId);
      } else {
        keys.set(keyId, key);
        this.handedOut.delete(keyId);
      }
    }
    return left;
  }

  forget(keyIds: readonly string[]): void {
    for (const keyId of keyIds) this.handedOut.delete(keyId);
    this.fresh = this.fresh.filter(({ keyId }) => !keyIds.includes(keyId));
  }
}
