import { randomBytes } from 'node:crypto';
import { CiphertextError, decryptField, encryptField, keyIdOf } from './field-cipher';
import { ERASED_TEXT } from './personal-data';

const keyId = 'b5f0c2de-0000-4000-8000-000000000001';
const key = randomBytes(32);
const keys = new Map([[keyId, key]]);

/** The field with one character of its base64url body changed. */
function flipped(field: string, at: number): string {
  const index = field.length - at;
  const replacement = field[index] === 'A' ? 'B' : 'A';
  return field.slice(0, index) + replacement + field.slice(index + 1);
}

describe('field cipher', () => {
  it('writes pd1:<keyId>:<base64url> holding no clear text, and reads it back', () => {
    const field = encryptField(keyId, key, 'Siti Aminah, Jl. Pahlawan 7');
    expect(field).toMatch(new RegExp(`^pd1:${keyId}:[A-Za-z0-9_-]+$`));
    expect(field).not.toContain('Siti');
    expect(Buffer.from(field.split(':')[2], 'base64url').toString('latin1')).not.toContain('Siti');
    expect(keyIdOf(field)).toBe(keyId);
    expect(decryptField(field, keys)).toBe('Siti Aminah, Jl. Pahlawan 7');
  });

  it('uses a fresh IV each time, and keeps empty and non-ASCII text', () => {
    expect(encryptField(keyId, key, 'Siti')).not.toBe(encryptField(keyId, key, 'Siti'));
    expect(decryptField(encryptField(keyId, key, ''), keys)).toBe('');
    expect(decryptField(encryptField(keyId, key, 'Ibu Ṡiti 🌾'), keys)).toBe('Ibu Ṡiti 🌾');
  });

  it('reads as erased once the key is gone', () => {
    expect(decryptField(encryptField(keyId, key, 'Siti'), new Map())).toBe(ERASED_TEXT);
  });

  it('refuses altered ciphertext, a tag that does not verify, instead of calling it erased', () => {
    const field = encryptField(keyId, key, 'Siti Aminah');
    for (const at of [1, 10, field.length - keyId.length - 10]) {
      expect(() => decryptField(flipped(field, at), keys)).toThrow(CiphertextError);
    }
  });

  it('refuses a field moved under another key id: the id is authenticated', () => {
    const otherId = 'b5f0c2de-0000-4000-8000-000000000002';
    const moved = encryptField(keyId, key, 'Siti').replace(keyId, otherId);
    expect(() => decryptField(moved, new Map([[otherId, key]]))).toThrow(CiphertextError);
  });

  it.each([
    ['no key id', 'pd1::AAAA'],
    ['no separator', `pd1:${keyId}`],
    ['a body that is not base64url', `pd1:${keyId}:not base64!`],
    ['a body too short for iv and tag', `pd1:${keyId}:AAAA`],
    ['no prefix', 'Siti'],
  ])('refuses a field with %s', (_case, field) => {
    expect(() => decryptField(field, keys)).toThrow(CiphertextError);
  });

  it('refuses to write under a key id that could not be read back', () => {
    expect(() => encryptField('', key, 'Siti')).toThrow(/Not a data key id/);
    expect(() => encryptField('a:b', key, 'Siti')).toThrow(/Not a data key id/);
  });

  it('names the key, never the text, when it refuses', () => {
    const field = flipped(encryptField(keyId, key, 'Siti Aminah'), 3);
    expect(() => decryptField(field, keys)).toThrow(`key ${keyId}`);
  });
});
