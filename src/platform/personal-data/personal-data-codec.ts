import { EventStoreUnavailableError } from '../event-store/event-store.errors';
import type { NewEvent, StoredEvent } from '../event-store/event-store.port';
import { decryptField, encryptField, isCiphertext, keyIdOf } from './field-cipher';
import {
  DATA_KEY_PROPERTY,
  PERSONAL_PROPERTIES,
  PersonalDataErasedError,
  type DataKeyStore,
} from './personal-data';

const PERSONAL = new Set<string>(PERSONAL_PROPERTIES);

/** What the codec needs of the key store. */
export type KeyLookup = Pick<DataKeyStore, 'keys'>;

/**
 * Encrypts and decrypts events' data by the convention of personal-data.ts: in an object with a
 * string `dataKeyId`, its PERSONAL_PROPERTIES that are strings. Decryption looks only there too,
 * so that free text elsewhere (a reason typed as "pd1:…") is never taken for ciphertext.
 *
 * The data given is never changed: what changes is copied along its path, and what holds no
 * personal field comes back as the same object.
 */
export class PersonalDataCodec {
  constructor(private readonly keyStore: KeyLookup) {}

  /**
   * The events with their personal fields encrypted; one key lookup for all of them. Rejects
   * with PersonalDataErasedError, before anything is written, when a key was destroyed.
   * `isClear` picks the fields to encrypt: all of them for the service; the migration leaves
   * alone the ones a log already holds encrypted or erased.
   */
  async encryptEvents(
    events: readonly NewEvent[],
    isClear: (text: string) => boolean = () => true,
  ): Promise<readonly NewEvent[]> {
    const keyIds = new Set<string>();
    for (const event of events) {
      mapPersonalFields(event.data, (text, keyId) => {
        if (isClear(text)) keyIds.add(keyId);
        return text;
      });
    }
    if (keyIds.size === 0) return events;
    const keys = await this.lookUp(keyIds);
    for (const keyId of keyIds) {
      if (!keys.has(keyId)) throw new PersonalDataErasedError(keyId);
    }
    return events.map((event) => {
      const data = mapPersonalFields(event.data, (text, keyId) =>
        isClear(text) ? encryptField(keyId, keys.get(keyId) as Buffer, text) : text,
      );
      return data === event.data ? event : { ...event, data };
    });
  }

  /** The events with clear text, ERASED_TEXT for a destroyed key; one key lookup per batch. */
  async decryptEvents<Event extends StoredEvent>(events: readonly Event[]): Promise<Event[]> {
    const keyIds = new Set<string>();
    for (const event of events) {
      mapPersonalFields(event.data, (text) => {
        if (isCiphertext(text)) keyIds.add(keyIdOf(text));
        return text;
      });
    }
    if (keyIds.size === 0) return [...events];
    const keys = await this.lookUp(keyIds);
    return events.map((event) => {
      const data = mapPersonalFields(event.data, (text) =>
        isCiphertext(text) ? decryptField(text, keys) : text,
      );
      return data === event.data ? event : { ...event, data };
    });
  }

  /**
   * Without its keys the store can neither write nor read personal data: a failing key store
   * makes it unavailable (503, retried by the projection engine), as a failing log would.
   */
  private async lookUp(keyIds: Set<string>): Promise<Map<string, Buffer>> {
    try {
      return await this.keyStore.keys([...keyIds]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EventStoreUnavailableError(`The personal-data key store failed: ${reason}`, {
        cause: error,
      });
    }
  }
}

/**
 * Calls `change` on every personal field of `value` (any depth) with the key id beside it, and
 * returns `value` itself when nothing changed, otherwise a copy of the objects and arrays on the
 * paths that did.
 */
export function mapPersonalFields<Value>(
  value: Value,
  change: (text: string, keyId: string) => string,
): Value {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const mapped = mapPersonalFields(item, change);
      if (mapped !== item) (copy ??= [...value])[index] = mapped;
    }
    return (copy ?? value) as Value;
  }
  const object = value as Record<string, unknown>;
  const keyId = object[DATA_KEY_PROPERTY];
  let copy: Record<string, unknown> | undefined;
  for (const property of Object.keys(object)) {
    const item = object[property];
    let mapped = item;
    if (typeof item === 'string') {
      if (typeof keyId === 'string' && PERSONAL.has(property)) mapped = change(item, keyId);
    } else {
      mapped = mapPersonalFields(item, change);
    }
    if (mapped !== item) (copy ??= { ...object })[property] = mapped;
  }
  return (copy ?? object) as Value;
}
