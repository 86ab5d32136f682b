import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config';
import { readOrCreateSecretFile } from '../../config/local-secret-file';
import { DEV_MASTER_KEY_FILE } from './personal-data';
import { randomSlice } from './random-pool';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/**
 * The master key: data keys are stored wrapped by it (AES-256-GCM, the key id as additional data,
 * so a wrapped key moved to another id does not unwrap). A copy of the key store alone, or of
 * the log alone, reveals nothing.
 */
export class MasterKey {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('The personal-data master key must be 32 bytes');
  }

  /** A new data key, and how the store keeps it: wrapped as iv | wrapped key | tag. */
  newDataKey(keyId: string): { key: Buffer; wrapped: Buffer } {
    const key = randomSlice(DATA_KEY_BYTES);
    const iv = randomSlice(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const wrapped = Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
    return { key, wrapped };
  }

  unwrap(keyId: string, wrapped: Uint8Array): Buffer {
    const body = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    if (body.length !== IV_BYTES + DATA_KEY_BYTES + TAG_BYTES) {
      throw new Error(`The data key ${keyId} is not a wrapped key of ${DATA_KEY_BYTES} bytes`);
    }
    const decipher = createDecipheriv(ALGORITHM, this.key, body.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(body.subarray(IV_BYTES + DATA_KEY_BYTES));
    try {
      const key = decipher.update(body.subarray(IV_BYTES, IV_BYTES + DATA_KEY_BYTES));
      return Buffer.concat([key, decipher.final()]);
    } catch {
      throw new Error(
        `The data key ${keyId} does not unwrap: PERSONAL_DATA_KEY is not the master key it was ` +
          'stored with (or the key store was altered)',
      );
    }
  }
}

/** PERSONAL_DATA_KEY, or on the embedded default a key generated once into DATA_DIR (0600). */
export function loadMasterKey(config: AppConfig): MasterKey {
  if (config.personalDataKey !== null) return new MasterKey(config.personalDataKey);
  const file = join(config.dataDir, DEV_MASTER_KEY_FILE);
  const hex = readOrCreateSecretFile(file, () => randomBytes(32).toString('hex')).content.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error(`${file} must hold 64 hex digits (the generated personal-data master key)`);
  }
  return new MasterKey(Buffer.from(hex, 'hex'));
}
