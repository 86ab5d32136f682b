import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a file the embedded default generates on first start (development tokens, the NIK key),
 * creating it readable by its owner only. `wx` makes creation exclusive, so two processes starting
 * together on one DATA_DIR end up with the same content.
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
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, create(), { flag: 'wx', mode: 0o600 });
    return { content: readFileSync(file, 'utf8'), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { content: readFileSync(file, 'utf8'), created: false };
  }
}
