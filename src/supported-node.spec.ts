import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);
/** The machine's own Node, which may be older than the one the suite runs on. */
const SYSTEM_NODE = '/usr/bin/node';

function majorOf(version: string): number {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

describe('the supported Node', () => {
  it('is what package.json "engines" says, and .nvmrc names a version at least as new', () => {
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    const check = readFileSync(join(__dirname, 'supported-node.ts'), 'utf8');
    const required = Number(/REQUIRED_MAJOR = (\d+)/.exec(check)?.[1]);
    expect(engines).toBe(`>=${required}`);
    expect(majorOf(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim())).toBeGreaterThanOrEqual(
      required,
    );
  });

  it('is checked before anything else the service loads', () => {
    const main = readFileSync(join(__dirname, 'main.ts'), 'utf8');
    expect(main.split('\n')[0]).toBe("import './supported-node';");
  });

  const systemMajor = existsSync(SYSTEM_NODE)
    ? majorOf(execFileSync(SYSTEM_NODE, ['-v']).toString())
    : undefined;
  const older = systemMajor !== undefined && systemMajor < 22;
  if (!older) {
    it.todo(
      `skipped: the run on an older Node needs ${SYSTEM_NODE} older than 22 (it is ${systemMajor ?? 'absent'})`,
    );
    return;
  }
  it('stops an older Node with a message rather than a crash', async () => {
    const failure = (await run(SYSTEM_NODE, [
      '-r',
      '@swc-node/register',
      join(__dirname, 'supported-node.ts'),
    ]).then(
      () => undefined,
      (error: unknown) => error,
    )) as { code: number; stderr: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /^bansos-ledger needs Node 22 or later \(\.nvmrc: 24\); this is v\d+\./,
    );
  });
});
