import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `size` bytes from the system's CSPRNG, never handed out twice. Taken from a block drawn 4 KiB
 * at a time: one call per field or key costs several times what the cipher does.
 */
export function randomSlice(size: number): Buffer {
  if (offset + size > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, size));
    offset = 0;
  }
  const slice = Buffer.from(pool.subarray(offset, offset + size));
  // Zeroed once taken, so the block never holds a key that was handed out.
  pool.fill(0, offset, offset + size);
  offset += size;
  return slice;
}
