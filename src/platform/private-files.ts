import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { AppConfig } from '../config/app.config';
import { DATA_KEY_FILE, DEV_MASTER_KEY_FILE } from './personal-data/personal-data';

/** The stores hold personal data, and the keys and tokens guard it: their owner's only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Creates the folder and any missing parent owner-only; an existing folder keeps its mode. */
export function ensurePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
}

/**
 * Creates the file empty and owner-only unless it exists, whatever the umask of the process that
 * uses this module. SQLite opens an empty file as a new database and gives its -wal and -shm files
 * the database's mode, so a store created here stays private with them.
 */
export function ensurePrivateFile(file: string): void {
  ensurePrivateFolder(dirname(file));
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Everything this configuration keeps that must stay private, DATA_DIR first. */
export function privatePaths(config: AppConfig): string[] {
  const sqlite = (file: string) => [file, `${file}-wal`, `${file}-shm`];
  return [
    config.dataDir,
    ...(config.eventStore.kind === 'sqlite' ? sqlite(config.eventStore.file) : []),
    ...(config.readStore.kind === 'sqlite' ? sqlite(config.readStore.file) : []),
    ...(config.sealAnchorFile === null ? [] : [config.sealAnchorFile]),
    join(config.dataDir, 'nik-hmac.key'),
    join(config.dataDir, 'dev-tokens.json'),
    join(config.dataDir, DEV_MASTER_KEY_FILE),
    ...(config.readStore.kind === 'sqlite' ? sqlite(join(config.dataDir, DATA_KEY_FILE)) : []),
  ];
}

export interface LoosenedPath {
  path: string;
  /** Permission bits, octal, e.g. `0644`. */
  mode: string;
  folder: boolean;
}

/**
 * The paths of `privatePaths` that group or others may use, e.g. after an operator's chmod or
 * from a version that created them with the umask's modes. Absent or unreadable paths are
 * skipped; the first (DATA_DIR) only counts once it holds one of the others, so an unused
 * folder (a server-backed deployment) is not reported.
 */
export function loosenedPaths([folder, ...files]: string[]): LoosenedPath[] {
  if (process.platform === 'win32') return [];
  const loosened: LoosenedPath[] = [];
  let folderInUse = false;
  for (const file of files) {
    const mode = modeOf(file);
    if (mode === null) continue;
    if (isInside(folder, file)) folderInUse = true;
    if (mode & 0o077) loosened.push({ path: file, mode: octal(mode), folder: false });
  }
  const folderMode = folderInUse ? modeOf(folder) : null;
  if (folderMode !== null && folderMode & 0o077) {
    loosened.unshift({ path: folder, mode: octal(folderMode), folder: true });
  }
  return loosened;
}

/** One warning line per path: names and modes only, nothing of the content. */
export function loosenedWarning({ path, mode, folder }: LoosenedPath): string {
  return `${path} is open to group or others (mode ${mode}) though it holds personal data, keys or tokens: chmod ${folder ? '700' : '600'} it`;
}

function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null;
  }
}

function isInside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && !rest.startsWith(`..${sep}`) && rest !== '..';
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
