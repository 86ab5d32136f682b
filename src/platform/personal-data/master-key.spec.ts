import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig } from '../../config/app.config';
import { loadMasterKey, MasterKey } from './master-key';
import { DEV_MASTER_KEY_FILE } from './personal-data';

describe('MasterKey', () => {
  const master = new MasterKey(Buffer.alloc(32, 7));

  it('makes a fresh 32-byte data key, wrapped so that only it unwraps it, under the same id', () => {
    const { key, wrapped } = master.newDataKey('key-1');
    expect(key).toHaveLength(32);
    expect(wrapped.includes(key)).toBe(false);
    expect(master.unwrap('key-1', wrapped)).toEqual(key);
    expect(master.newDataKey('key-2').key).not.toEqual(key);
    expect(() => new MasterKey(Buffer.alloc(32, 8)).unwrap('key-1', wrapped)).toThrow(
      /PERSONAL_DATA_KEY is not the master key it was stored with/,
    );
    expect(() => master.unwrap('key-2', wrapped)).toThrow(/does not unwrap/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new MasterKey(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('loadMasterKey', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bansos-master-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates one key into DATA_DIR, owner-only, and keeps using it', () => {
    const config = parseAppConfig({ DATA_DIR: dataDir });
    const wrapped = loadMasterKey(config).newDataKey('key-1').wrapped;
    const file = join(dataDir, DEV_MASTER_KEY_FILE);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadMasterKey(config).unwrap('key-1', wrapped)).toHaveLength(32);
  });

  it('uses PERSONAL_DATA_KEY when set, and writes no file', () => {
    const key = Buffer.alloc(32, 9);
    const config = parseAppConfig({ DATA_DIR: dataDir, PERSONAL_DATA_KEY: key.toString('hex') });
    const wrapped = loadMasterKey(config).newDataKey('key-1').wrapped;
    expect(new MasterKey(key).unwrap('key-1', wrapped)).toHaveLength(32);
    expect(() => statSync(join(dataDir, DEV_MASTER_KEY_FILE))).toThrow(/ENOENT/);
  });
});
