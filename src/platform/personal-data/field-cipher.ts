import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CIPHERTEXT_PREFIX, ERASED_TEXT } from './personal-data';
import { randomSlice } from './random-pool';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A field that claims to be ciphertext but is not what `encryptField` writes, or whose tag does
 * not verify: the log was altered or a key was swapped. Never read as erased.
 */
export class CiphertextError extends Error {
  override readonly name = 'CiphertextError';

  constructor(reason: string) {
    super(`An encrypted personal field cannot be read: ${reason}`);
  }
}

/** `pd1:<keyId>:<base64url of iv | ciphertext | tag>`, AES-256-GCM, the key id authenticated. */
export function encryptField(keyId: string, key: Buffer, text: string): string {
  // The id ends at the first ':' when read back: one holding a ':' could never be decrypted.
  if (keyId === '' || keyId.includes(':')) throw new Error(`Not a data key id: "${keyId}"`);
  const iv = randomSlice(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const sealed = Buffer.concat([
    iv,
    cipher.update(text, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${CIPHERTEXT_PREFIX}${keyId}:${sealed.toString('base64url')}`;
}

export function isCiphertext(text: string): boolean {
  return text.startsWith(CIPHERTEXT_PREFIX);
}

/** The id of the key a field written by `encryptField` needs. */
export function keyIdOf(field: string): string {
  return parse(field).keyId;
}

/** The clear text, or ERASED_TEXT when its key is not among `keys` (destroyed). */
export function decryptField(field: string, keys: ReadonlyMap<string, Buffer>): string {
  const { keyId, sealed } = parse(field);
  const key = keys.get(keyId);
  if (key === undefined) return ERASED_TEXT;
  const body = Buffer.from(sealed, 'base64url');
  if (body.length < IV_BYTES + TAG_BYTES) throw new CiphertextError(`too short (key ${keyId})`);
  const decipher = createDecipheriv(ALGORITHM, key, body.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    const text = decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES));
    return Buffer.concat([text, decipher.final()]).toString('utf8');
  } catch {
    throw new CiphertextError(`its tag does not verify (key ${keyId})`);
  }
}

function parse(field: string): { keyId: string; sealed: string } {
  if (!isCiphertext(field)) throw new CiphertextError(`no ${CIPHERTEXT_PREFIX} prefix`);
  const separator = field.indexOf(':', CIPHERTEXT_PREFIX.length);
  const keyId = field.slice(CIPHERTEXT_PREFIX.length, separator);
  const sealed = field.slice(separator + 1);
  if (separator < 0 || keyId === '' || !BASE64URL.test(sealed)) {
    throw new CiphertextError('it is not pd1:<keyId>:<base64url>');
  }
  return { keyId, sealed };
}
