import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app.config';
import { readOrCreateSecretFile } from '../../config/local-secret-file';

/**
 * NIKs are matched by a keyed hash (HMAC-SHA256): equal NIKs give equal hashes, but without the
 * key a hash cannot be turned back into a NIK by trying the (small) space of valid NIKs.
 */
export const NIK_HASHER = Symbol('NikHasher');

export class NikHasher {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('The NIK key must be at least 32 characters long');
  }

  hash(nik: string): string {
    return createHmac('sha256', this.secret).update(nik, 'utf8').digest('hex');
  }

  /**
   * A keyed hash of other text that may hold personal data (a request body, a client's key).
   * The purpose goes first, after a newline no NIK has, so no such hash can equal a NIK's.
   */
  keyedHash(purpose: string, text: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\n${text}`, 'utf8').digest('hex');
  }
}

/** NIK_HMAC_SECRET, or on the embedded default a key generated once into DATA_DIR. */
export function createNikHasher(config: AppConfig): NikHasher {
  const secret =
    config.nikHmacSecret ??
    readOrCreateSecretFile(join(config.dataDir, 'nik-hmac.key'), () =>
      randomBytes(32).toString('hex'),
    ).content.trim();
  return new NikHasher(secret);
}
