import { createHash } from 'node:crypto';

/** SHA-256 of a bearer token: what is compared and what keys rate limits, never the token. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
