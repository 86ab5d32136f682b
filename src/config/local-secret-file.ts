import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a file the embedded default generates on first start (development tokens, the NIK key),
 * creating it readable by its owner only. Two processes starting together on one DATA_DIR end up
 * with the same content.
 */
export function readOrCreateSecretFile(
  file: string,
  create: () => string,
): { content: string; created: boolean } {
  try {
    return { content: readFileSync(file, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Owner-only, like the file: DATA_DIR also holds the stores' personal data.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole to a file of our own, then linked into place: the link either appears with the
  // full content or fails because another process linked first, and then its content is read.
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, create(), { mode: 0o600 });
  try {
    linkSync(draft, file);
    return { content: readFileSync(file, 'utf8'), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { content: readFileSync(file, 'utf8'), created: false };
  } finally {
    unlinkSync(draft);
  }
}
