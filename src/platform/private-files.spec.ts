import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig } from '../config/app.config';
import { SqliteEventStore } from './event-store/sqlite/sqlite-event-store';
import { ensurePrivateFile, loosenedPaths, loosenedWarning, privatePaths } from './private-files';
import { SqliteReadStore } from './read-store/sqlite/sqlite-read-store';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('private files', () => {
  let root: string;
  let umask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bansos-private-'));
    // The usual umask, which leaves new files readable by everyone: creation must not rely on it.
    umask = process.umask(0o022);
  });

  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a file owner-only, and its missing folders', () => {
    const file = join(root, 'a', 'b', 'secret');
    ensurePrivateFile(file);
    expect([modeOf(join(root, 'a')), modeOf(join(root, 'a', 'b')), modeOf(file)]).toEqual([
      '700',
      '700',
      '600',
    ]);
  });

  it('leaves an existing file as it is', () => {
    const file = join(root, 'kept');
    writeFileSync(file, 'content', { mode: 0o640 });
    ensurePrivateFile(file);
    expect([modeOf(file), statSync(file).size]).toEqual(['640', 7]);
  });

  it('keeps both SQLite stores owner-only, their -wal and -shm files too', async () => {
    const dataDir = join(root, 'data');
    const events = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const reads = new SqliteReadStore({ file: join(dataDir, 'read-models.sqlite') });
    try {
      const names = readdirSync(dataDir).sort();
      expect(names).toEqual([
        'events.sqlite',
        'events.sqlite-shm',
        'events.sqlite-wal',
        'read-models.sqlite',
        'read-models.sqlite-shm',
        'read-models.sqlite-wal',
      ]);
      expect(names.map((name) => modeOf(join(dataDir, name)))).toEqual(names.map(() => '600'));
      expect(modeOf(dataDir)).toBe('700');
    } finally {
      await events.close();
      await reads.close();
    }
  });

  it('names what group or others may use, and DATA_DIR only when it holds something', () => {
    const config = parseAppConfig({ DATA_DIR: join(root, 'data') });
    const paths = privatePaths(config);
    expect(loosenedPaths(paths)).toEqual([]);

    ensurePrivateFile(join(config.dataDir, 'nik-hmac.key'));
    ensurePrivateFile(join(config.dataDir, 'events.sqlite'));
    expect(loosenedPaths(paths)).toEqual([]);

    chmodSync(config.dataDir, 0o750);
    chmodSync(join(config.dataDir, 'events.sqlite'), 0o604);
    const loosened = loosenedPaths(paths);
    expect(loosened).toEqual([
      { path: config.dataDir, mode: '0750', folder: true },
      { path: join(config.dataDir, 'events.sqlite'), mode: '0604', folder: false },
    ]);
    expect(loosened.map(loosenedWarning)).toEqual([
      `${config.dataDir} is open to group or others (mode 0750) though it holds personal data, keys or tokens: chmod 700 it`,
      `${join(config.dataDir, 'events.sqlite')} is open to group or others (mode 0604) though it holds personal data, keys or tokens: chmod 600 it`,
    ]);
  });

  it('does not name an open DATA_DIR that holds none of its files', () => {
    const config = parseAppConfig({ DATA_DIR: root, EVENTSTORE_URL: 'kurrentdb://localhost:2113' });
    chmodSync(root, 0o755);
    expect(loosenedPaths(privatePaths(config))).toEqual([]);
  });
});
