import { randomBytes } from 'node:crypto';
import { EventStoreUnavailableError } from '../event-store/event-store.errors';
import type { NewEvent, StoredEvent } from '../event-store/event-store.port';
import { encryptField } from './field-cipher';
import { PersonalDataCodec } from './personal-data-codec';
import { ERASED_TEXT, PersonalDataErasedError } from './personal-data';

const woman = 'key-woman';
const member = 'key-member';

class MemoryKeys {
  readonly keys = new Map([
    [woman, randomBytes(32)],
    [member, randomBytes(32)],
  ]);
  readonly lookups: string[][] = [];

  keysOf = (keyIds: readonly string[]): Promise<Map<string, Buffer>> => {
    this.lookups.push([...keyIds].sort());
    const found = new Map<string, Buffer>();
    for (const keyId of keyIds) {
      const key = this.keys.get(keyId);
      if (key) found.set(keyId, key);
    }
    return Promise.resolve(found);
  };
}

function stored(data: unknown, position = 1n): StoredEvent {
  return {
    streamName: 'recipient-1',
    revision: 0n,
    position,
    type: 'Test',
    data,
    metadata: {} as StoredEvent['metadata'],
  };
}

interface KubeData {
  [property: string]: unknown;
  members: Record<string, unknown>[];
}

const registration = (): NewEvent<string, KubeData> => ({
  type: 'KubeRegistered',
  data: {
    recipientId: 'r-1',
    dataKeyId: woman,
    groupName: 'KUBe Mawar',
    address: 'Jl. Pahlawan 7',
    phone: null,
    notes: undefined,
    amount: 5_000_000,
    reason: 'pd1:typed by a user',
    members: [
      { dataKeyId: member, name: 'Siti Aminah', nikHash: 'abc', role: 'ketua' },
      { name: 'Legacy Member' },
    ],
  },
});

describe('PersonalDataCodec', () => {
  let keys: MemoryKeys;
  let codec: PersonalDataCodec;
  const womanKey = () => keys.keys.get(woman) ?? Buffer.alloc(32);

  beforeEach(() => {
    keys = new MemoryKeys();
    codec = new PersonalDataCodec({ keys: keys.keysOf });
  });

  it('encrypts the personal strings of objects with a dataKeyId, at any depth, and nothing else', async () => {
    const event = registration();
    const original = JSON.stringify(event);
    const [encrypted] = await codec.encryptEvents([event]);
    const data = encrypted.data as KubeData;
    expect(data.groupName).toMatch(/^pd1:key-woman:/);
    expect(data.address).toMatch(/^pd1:key-woman:/);
    expect(data.members[0].name).toMatch(/^pd1:key-member:/);
    // Not personal, not a string, or beside no key: as they were.
    expect(data).toMatchObject({
      recipientId: 'r-1',
      dataKeyId: woman,
      phone: null,
      amount: 5_000_000,
      reason: 'pd1:typed by a user',
    });
    expect(data.notes).toBeUndefined();
    expect(data.members[0]).toMatchObject({ dataKeyId: member, nikHash: 'abc', role: 'ketua' });
    expect(data.members[1]).toEqual({ name: 'Legacy Member' });
    expect(JSON.stringify(encrypted)).not.toMatch(/Mawar|Pahlawan|Siti/);
    // The command's own event is left as it was.
    expect(JSON.stringify(event)).toBe(original);
  });

  it('looks the keys of a whole batch up once, and not at all when nothing is personal', async () => {
    await codec.encryptEvents([registration(), registration()]);
    expect(keys.lookups).toEqual([[member, woman]]);
    const plain: NewEvent[] = [{ type: 'AidDisbursed', data: { recipientId: 'r-1', amount: 1 } }];
    expect(await codec.encryptEvents(plain)).toBe(plain);
    // A key named beside no personal string is not needed: no lookup, so no refusal either.
    await codec.encryptEvents([{ type: 'X', data: { dataKeyId: 'key-gone', phone: null } }]);
    expect(keys.lookups).toHaveLength(1);
  });

  it('refuses, before encrypting anything, to write with a destroyed key', async () => {
    keys.keys.delete(member);
    await expect(codec.encryptEvents([registration()])).rejects.toEqual(
      new PersonalDataErasedError(member),
    );
  });

  it('encrypts only the fields `isClear` picks, and needs no key for the others', async () => {
    // The member's key is gone, but her only field is left alone: no refusal.
    keys.keys.delete(member);
    const event = registration();
    event.data.members[0].name = ERASED_TEXT;
    const [encrypted] = await codec.encryptEvents([event], (text) => text !== ERASED_TEXT);
    const data = encrypted.data as KubeData;
    expect(data.groupName).toMatch(/^pd1:key-woman:/);
    expect(data.members[0].name).toBe(ERASED_TEXT);
    expect(keys.lookups).toEqual([[woman]]);
  });

  it('makes a failing key store an unavailable event store, for writes and reads', async () => {
    const failing = new PersonalDataCodec({
      keys: () => Promise.reject(new Error('connection refused')),
    });
    const [encrypted] = await codec.encryptEvents([registration()]);
    for (const attempt of [
      () => failing.encryptEvents([registration()]),
      () => failing.decryptEvents([stored(encrypted.data)]),
    ]) {
      await expect(attempt()).rejects.toEqual(
        new EventStoreUnavailableError('The personal-data key store failed: connection refused'),
      );
    }
  });

  it('reads back the clear text, one lookup per batch', async () => {
    const encrypted = await codec.encryptEvents([registration()]);
    keys.lookups.length = 0;
    const batch = [stored(encrypted[0].data, 1n), stored(encrypted[0].data, 2n)];
    const [first, second] = await codec.decryptEvents(batch);
    const expected = { ...registration().data, notes: undefined };
    expect(first.data).toEqual(expected);
    expect(second.data).toEqual(expected);
    expect(keys.lookups).toEqual([[member, woman]]);
  });

  it("reads a destroyed key's fields as erased, and the others' as they were", async () => {
    const [encrypted] = await codec.encryptEvents([registration()]);
    keys.keys.delete(member);
    const [read] = await codec.decryptEvents([stored(encrypted.data)]);
    expect(read.data).toMatchObject({
      groupName: 'KUBe Mawar',
      members: [{ name: ERASED_TEXT, nikHash: 'abc' }, { name: 'Legacy Member' }],
    });
  });

  it('hands events without ciphertext back as they are, with no lookup', async () => {
    const legacy = stored({ recipientId: 'r-1', name: 'Siti', members: [{ name: 'Ani' }] });
    const withKey = stored({ dataKeyId: woman, name: 'clear, written before encryption' });
    const typed = stored({ dataKeyId: woman, reason: 'pd1:not ciphertext' });
    const read = await codec.decryptEvents([legacy, withKey, typed]);
    expect(read[0]).toBe(legacy);
    expect(read[1]).toBe(withKey);
    expect(read[2]).toBe(typed);
    expect(keys.lookups).toEqual([]);
  });

  it('does not change the events it decrypts (a store may hand out what it holds)', async () => {
    const data = { dataKeyId: woman, name: encryptField(woman, womanKey(), 'Siti') };
    const event = stored(data);
    const [read] = await codec.decryptEvents([event]);
    expect(read.data).toEqual({ dataKeyId: woman, name: 'Siti' });
    expect(event.data).toBe(data);
    expect(data.name).toMatch(/^pd1:/);
  });

  it('fails on a personal field altered in the log, rather than reading it as erased', async () => {
    const name = encryptField(woman, womanKey(), 'Siti');
    const altered = `${name.slice(0, -2)}${name.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(
      codec.decryptEvents([stored({ dataKeyId: woman, name: altered })]),
    ).rejects.toThrow(/cannot be read/);
  });
});
