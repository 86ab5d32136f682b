import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LogSealedData } from './seal';

/**
 * One line of the anchor file: a seal's digest, kept outside the event store so that rewriting
 * or deleting the seals stream is found. It also records the seal it continues, so that its
 * segment of the log can be checked on its own, even when other seals were never anchored.
 */
export interface SealAnchor extends LogSealedData {
  /** Where the LogSealed event is stored, and its revision in the seals stream. */
  sealPosition: string;
  sealRevision: string;
  previous: LogSealedData;
  anchoredAt: string;
}

/** A line of the anchor file, numbered from 1 for messages. */
export interface NumberedAnchor extends SealAnchor {
  line: number;
}

export class AnchorFileError extends Error {
  override readonly name = 'AnchorFileError';
}

/** Appends one line and waits for it to reach the disk; the file is created readable by its owner only. */
export async function appendSealAnchor(file: string, anchor: SealAnchor): Promise<void> {
  let created = false;
  let handle;
  try {
    handle = await open(file, 'ax', 0o600);
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    handle = await open(file, 'a', 0o600);
  }
  try {
    await handle.write(`${JSON.stringify(anchor)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // A new file's name must survive a crash as well as its content.
  if (created) {
    const folder = await open(dirname(file), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

const DECIMAL = /^\d+$/;
const HASH = /^[0-9a-f]{64}$/;

/** Every anchor of the file, in file order; a line that is not one is an error naming it. */
export async function readSealAnchors(file: string): Promise<NumberedAnchor[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AnchorFileError(`Cannot read the anchor file ${file}: ${(error as Error).message}`);
  }
  const anchors: NumberedAnchor[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((content, index) => {
    const line = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new AnchorFileError(`${file} line ${line}: not a JSON object`);
    }
    const problem = anchorProblem(parsed);
    if (problem) throw new AnchorFileError(`${file} line ${line}: ${problem}`);
    anchors.push({ ...(parsed as SealAnchor), line });
  });
  return anchors;
}

function anchorProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const anchor = value as Partial<SealAnchor>;
  for (const field of ['sealPosition', 'sealRevision'] as const) {
    const value = anchor[field];
    if (typeof value !== 'string' || !DECIMAL.test(value))
      return `${field} must be a decimal string`;
  }
  const sealed = sealedProblem(anchor, '');
  if (sealed) return sealed;
  if (anchor.previous === null || typeof anchor.previous !== 'object') {
    return 'previous must be the seal it continues';
  }
  const previous = sealedProblem(anchor.previous, 'previous.');
  if (previous) return previous;
  if (BigInt(anchor.previous.sealedPosition) > BigInt(anchor.sealedPosition as string)) {
    return 'previous.sealedPosition is after sealedPosition';
  }
  return null;
}

function sealedProblem(data: Partial<LogSealedData>, prefix: string): string | null {
  if (typeof data.sealedPosition !== 'string' || !DECIMAL.test(data.sealedPosition)) {
    return `${prefix}sealedPosition must be a decimal string`;
  }
  for (const field of ['eventCount', 'streamCount'] as const) {
    if (!Number.isSafeInteger(data[field]) || (data[field] as number) < 0) {
      return `${prefix}${field} must be a whole number`;
    }
  }
  if (typeof data.logHash !== 'string' || !HASH.test(data.logHash)) {
    return `${prefix}logHash must be 64 hexadecimal digits`;
  }
  return null;
}
