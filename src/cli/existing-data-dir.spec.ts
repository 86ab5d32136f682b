import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppConfig } from '../config/app.config';
import { requireExistingLedger } from './existing-data-dir';

describe('a DATA_DIR the tools may read the ledger from', () => {
  let parent: string;

  beforeEach(() => (parent = mkdtempSync(join(tmpdir(), 'bansos-data-dir-'))));
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('is refused when it is missing or holds no events.sqlite, naming both; nothing is created', () => {
    const typo = join(parent, 'dtaa');
    expect(() => requireExistingLedger(parseAppConfig({ DATA_DIR: typo }))).toThrow(
      `No event log in DATA_DIR ${typo}: ${join(typo, 'events.sqlite')} does not exist`,
    );
    expect(existsSync(typo)).toBe(false);

    expect(() => requireExistingLedger(parseAppConfig({ DATA_DIR: parent }))).toThrow(
      /events\.sqlite does not exist/,
    );
  });

  it('is taken when it holds events.sqlite', () => {
    writeFileSync(join(parent, 'events.sqlite'), '');
    expect(() => requireExistingLedger(parseAppConfig({ DATA_DIR: parent }))).not.toThrow();
  });

  it('does not matter when the events are in KurrentDB', () => {
    const config = parseAppConfig({
      DATA_DIR: join(parent, 'dtaa'),
      EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false',
    });
    expect(() => requireExistingLedger(config)).not.toThrow();
  });
});
