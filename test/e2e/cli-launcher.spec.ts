import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LAUNCHER = join(__dirname, '../../bin/launch.mjs');

/**
 * What the stand-in build does: build, build taking two seconds, fail as tsc does (dist/ written,
 * exit 2), or hang.
 */
type BuildMode = 'ok' | 'slow' | 'fail' | 'hang';

/**
 * A stand-in build: it records each run and writes the two tools into dist/ as tsc would (also
 * when it fails); when told to hang, it then says so and waits to be interrupted.
 */
const BUILD_SCRIPT = `
const { appendFileSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const mode = readFileSync('build-mode', 'utf8');
appendFileSync('builds.log', mode + '\\n');
if (mode === 'slow') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
mkdirSync('dist/src/cli', { recursive: true });
for (const tool of ['tool', 'other']) {
  writeFileSync('dist/src/cli/' + tool + '.js', "console.log('" + tool + " ran')");
}
if (mode === 'hang') {
  writeFileSync('build-started', '');
  setTimeout(() => {}, 60_000);
}
process.exitCode = mode === 'fail' ? 2 : 0;
`;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * bin/launch.mjs in a scratch project of its own (a source, a stand-in build, two tools): when it
 * builds dist/ and when not, and what a failed or interrupted build leaves for the next tool.
 */
describe('the launcher of the command-line tools', () => {
  let root: string;

  const stamp = () => join(root, 'dist/.built');
  const builds = () => readFileSync(join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean);
  const setBuild = (mode: BuildMode) => writeFileSync(join(root, 'build-mode'), mode);
  const save = (path: string) => writeFileSync(join(root, path), 'export const a = 1;\n');

  /** Runs a tool through the launcher, in a process group of its own (for Ctrl-C). */
  function launch(tool: 'tool' | 'other', onSpawn?: (pid: number) => void): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(root, 'bin', tool)], {
        cwd: root,
        detached: true,
      });
      if (child.pid !== undefined) onSpawn?.(child.pid);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    });
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bansos-launcher-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    copyFileSync(LAUNCHER, join(root, 'bin/launch.mjs'));
    for (const tool of ['tool', 'other']) {
      writeFileSync(
        join(root, 'bin', tool),
        `import('./launch.mjs').then(({ launch }) => launch('${tool}', '${tool}'));\n`,
      );
    }
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({
        private: true,
        engines: { node: '>=22' },
        scripts: { build: 'node build.js' },
      }),
    );
    writeFileSync(join(root, 'build.js'), BUILD_SCRIPT);
    writeFileSync(join(root, 'src/cli/tool.ts'), 'export {};\n');
    setBuild('ok');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds once, then runs the built tool until a source file changes', async () => {
    expect(await launch('tool')).toEqual({
      status: 0,
      signal: null,
      stdout: 'tool ran\n',
      stderr: expect.stringMatching(/^tool: building dist\/ first \(.+\)\n$/),
    });
    expect(existsSync(stamp())).toBe(true);
    expect(await launch('other')).toMatchObject({ status: 0, stdout: 'other ran\n', stderr: '' });

    // A spec added (its folder's time changes) or removed needs no build.
    save('src/cli/tool.spec.ts');
    expect(await launch('tool')).toMatchObject({ status: 0, stderr: '' });
    rmSync(join(root, 'src/cli/tool.spec.ts'));
    expect(await launch('tool')).toMatchObject({ status: 0, stderr: '' });
    expect(builds()).toEqual(['ok']);

    save('src/cli/tool.ts');
    expect(await launch('other')).toMatchObject({
      status: 0,
      stdout: 'other ran\n',
      stderr: 'other: building dist/ first (src/cli/tool.ts changed since the last build)\n',
    });
    expect(builds()).toEqual(['ok', 'ok']);
  }, 60_000);

  it('builds once when two tools start together: the second waits for the build, then runs', async () => {
    setBuild('slow');
    const [tool, other] = await Promise.all([launch('tool'), launch('other')]);
    expect(tool).toMatchObject({ status: 0, stdout: 'tool ran\n' });
    expect(other).toMatchObject({ status: 0, stdout: 'other ran\n' });
    expect(builds()).toEqual(['slow']);
    expect(tool.stderr + other.stderr).toMatch(/: waiting for the build another process runs\n/);
    expect(existsSync(join(root, 'dist/.build-lock'))).toBe(false);
  }, 60_000);

  it('exits 1 when the build fails, and no tool runs the half-built dist/ until a build succeeds', async () => {
    expect(await launch('tool')).toMatchObject({ status: 0 });
    setBuild('fail');
    save('src/cli/tool.ts');

    expect(await launch('tool')).toEqual({
      status: 1,
      signal: null,
      stdout: '',
      stderr: expect.stringMatching(/the build failed\n$/),
    });
    expect(existsSync(stamp())).toBe(false);
    // The other tool's entry file is as new as the failed build: it builds again all the same.
    expect(await launch('other')).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'other: building dist/ first (no finished build)\nother: the build failed\n',
    });

    setBuild('ok');
    expect(await launch('other')).toMatchObject({ status: 0, stdout: 'other ran\n' });
    expect(builds()).toEqual(['ok', 'fail', 'fail', 'ok']);
    expect(existsSync(stamp())).toBe(true);
  }, 60_000);

  it('leaves no finished build after a Ctrl-C during the build: the next tool builds again', async () => {
    expect(await launch('tool')).toMatchObject({ status: 0 });
    setBuild('hang');
    save('src/cli/tool.ts');

    let group = 0;
    const interrupted = launch('tool', (pid) => (group = pid));
    while (!existsSync(join(root, 'build-started'))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // As the terminal does: SIGINT to the whole foreground process group.
    process.kill(-group, 'SIGINT');
    expect(await interrupted).toMatchObject({ signal: 'SIGINT', stdout: '' });
    expect(existsSync(stamp())).toBe(false);

    setBuild('ok');
    expect(await launch('tool')).toMatchObject({
      status: 0,
      stdout: 'tool ran\n',
      stderr: 'tool: building dist/ first (no finished build)\n',
    });
  }, 60_000);
});
