import { randomBytes } from 'node:crypto';
import { replay } from '../../src/platform/projection-engine/apply-events';
import { encryptField } from '../../src/platform/personal-data/field-cipher';
import {
  mapPersonalFields,
  PersonalDataCodec,
} from '../../src/platform/personal-data/personal-data-codec';
import type { ProgrammeEvent, ProgrammeProjection } from '../../projections/programme-event';
import {
  eventLog,
  recipientStream,
  storedEvent,
  type EventToStore,
  type RecipientRef,
  type StoreOptions,
} from './projection-specification';

/**
 * An erasure of the recipient's personal data: the whole recipient, or the one member whose NIK
 * has the keyed hash `memberNikHash`; `dataKeyIds` the keys it destroys.
 */
export function personalDataErased(
  recipient: Pick<RecipientRef, 'recipientId'>,
  data: { dataKeyIds: string[]; memberNikHash?: string; reason?: string; reference?: string },
  options: StoreOptions = {},
): EventToStore {
  const { dataKeyIds, memberNikHash } = data;
  return storedEvent(
    recipientStream(recipient.recipientId),
    {
      type: 'PersonalDataErased',
      data: {
        recipientId: recipient.recipientId,
        dataKeyIds,
        ...(memberNikHash === undefined ? {} : { memberNikHash }),
        reason: data.reason ?? 'Permintaan penghapusan oleh subjek data (UU PDP Pasal 8)',
        reference: data.reference ?? 'PDP/2026/017',
      },
    },
    options,
  );
}

/** The keys the erasures among `events` destroy. */
const destroyedBy = (events: readonly ProgrammeEvent[]): Set<string> =>
  new Set(
    events.flatMap((event) => (event.type === 'PersonalDataErased' ? event.data.dataKeyIds : [])),
  );

/**
 * The documents a projection holds after `events`, met the two ways an erasure is met. Live: it
 * read each event decrypted while the keys of the erasures after it still existed, and then
 * the PersonalDataErased event. Rebuilt: it reads every event after the keys were destroyed, the
 * erased fields reading ERASED_TEXT. The events go through the service's own codec: encrypted by
 * the convention (a key per `dataKeyId`), then decrypted with the keys left.
 */
export async function liveAndRebuilt<Doc extends object>(
  definition: ProgrammeProjection<Doc>,
  events: readonly EventToStore[],
): Promise<{ live: Record<string, Doc>; rebuilt: Record<string, Doc> }> {
  const clear = eventLog(events);
  const keys = new Map<string, Buffer>();
  for (const event of clear) {
    mapPersonalFields(event.data, (text, keyId) => {
      if (!keys.has(keyId)) keys.set(keyId, randomBytes(32));
      return text;
    });
  }
  // The same event with its personal fields encrypted: its type and shape unchanged.
  const encrypted = clear.map(
    (event) =>
      ({
        ...event,
        data: mapPersonalFields(event.data, (text, keyId) =>
          encryptField(keyId, keys.get(keyId) as Buffer, text),
        ),
      }) as ProgrammeEvent,
  );
  /** The events decrypted once the keys the erasures among `erasures` destroy are gone. */
  const decrypted = (
    toRead: readonly ProgrammeEvent[],
    erasures: readonly ProgrammeEvent[],
  ): Promise<ProgrammeEvent[]> => {
    const destroyed = destroyedBy(erasures);
    const codec = new PersonalDataCodec({
      keys: (keyIds) =>
        Promise.resolve(
          new Map([...keys].filter(([keyId]) => keyIds.includes(keyId) && !destroyed.has(keyId))),
        ),
    });
    return codec.decryptEvents(toRead);
  };

  const live: ProgrammeEvent[] = [];
  for (const [index, event] of encrypted.entries()) {
    live.push(...(await decrypted([event], encrypted.slice(0, index))));
  }
  const rebuilt = await decrypted(encrypted, encrypted);
  return {
    live: Object.fromEntries(replay(definition, live)),
    rebuilt: Object.fromEntries(replay(definition, rebuilt)),
  };
}
