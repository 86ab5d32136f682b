// @ts-check
/**
 * Runs a command-line tool compiled in dist/src/cli as a shell user expects: dist/ is built first
 * (once, its messages on stderr) only when it is missing or older than the sources; in an installed
 * package or the Docker image, which hold no src/, dist/ runs as it is.
 *
 * The tool runs in a child Node process with stdio inherited rather than required in this one:
 * only a fresh process takes Node flags such as the audit CLI's heap limit, and the tools that
 * check `require.main` run as the main module. The child's exit status is this process's; a
 * signal sent to this process is passed on, and a child killed by a signal kills this process
 * with the same one, so that the shell sees it (130 after Ctrl-C).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** What `npm run build` compiles for the tools (tsconfig.build.json). */
const SOURCES = ['src', 'projections', 'tsconfig.json', 'tsconfig.build.json'];

/** Held while one launcher builds, naming its process: the others wait, then find dist/ built. */
const BUILD_LOCK = join(ROOT, 'dist', '.build-lock');

/** Signals passed on to the tool. Ctrl-C reaches it from the terminal too: it ends at the first. */
const FORWARDED_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);

/**
 * Something under `path` changed after `time` (ms), if anything did. Folders count too: deleting
 * a file changes its folder. Specs are not built.
 * @param {string} path
 * @param {number} time
 * @returns {string | undefined}
 */
function changeAfter(path, time) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (stats.mtimeMs > time) return path;
  if (!stats.isDirectory()) return undefined;
  for (const entry of readdirSync(path)) {
    const changed = entry.endsWith('.spec.ts') ? undefined : changeAfter(join(path, entry), time);
    if (changed) return changed;
  }
  return undefined;
}

/**
 * Why `entry` must be built before it runs, if it must: it is missing, or a source changed after
 * it was built (every build writes every file of dist/). Without src/ there is nothing to build.
 * @param {string} entry
 * @returns {string | undefined}
 */
function buildReason(entry) {
  if (!existsSync(join(ROOT, 'src'))) return undefined;
  const built = statSync(entry, { throwIfNoEntry: false });
  if (!built) return `${relative(ROOT, entry)} is missing`;
  for (const source of SOURCES) {
    const changed = changeAfter(join(ROOT, source), built.mtimeMs);
    if (changed) return `${relative(ROOT, changed)} changed since the last build`;
  }
  return undefined;
}

/**
 * `npm run build`, its output on stderr: stdout is the tool's alone. The build's exit status.
 * @param {string} name
 * @param {string} reason
 * @returns {number}
 */
function build(name, reason) {
  process.stderr.write(`${name}: building dist/ first (${reason})\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.error) {
    process.stderr.write(`${name}: cannot run npm to build dist/: ${result.error.message}\n`);
    return 1;
  }
  if (result.status !== 0) process.stderr.write(`${name}: the build failed\n`);
  return result.status ?? 1;
}

/**
 * Whether the build lock is held by a live process. A lock left by a launcher that was killed
 * names a process that is gone; an empty one is being written.
 * @returns {boolean}
 */
function buildLockHeld() {
  let holder;
  try {
    holder = readFileSync(BUILD_LOCK, 'utf8');
  } catch {
    return false;
  }
  const pid = Number(holder);
  if (!holder || !Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Runs `work` holding the build lock, so that two tools started together do not both write dist/;
 * waits while another process holds it.
 * @template T
 * @param {string} name
 * @param {() => T} work
 * @returns {T}
 */
function withBuildLock(name, work) {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  for (let waiting = false; ; waiting = true) {
    try {
      writeFileSync(BUILD_LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    if (!buildLockHeld()) {
      rmSync(BUILD_LOCK, { force: true });
      continue;
    }
    if (!waiting) process.stderr.write(`${name}: waiting for the build another process runs\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  try {
    return work();
  } finally {
    rmSync(BUILD_LOCK, { force: true });
  }
}

/**
 * The Node flags for the tool: its defaults, unless the same flag is given on the command line
 * (`node --max-old-space-size=2048 bin/…`) or in NODE_OPTIONS; then the command line's own.
 * @param {readonly string[]} defaults
 * @returns {string[]}
 */
function nodeFlags(defaults) {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map(
    (flag) => flag.split('=')[0],
  );
  return [...defaults.filter((flag) => !given.includes(flag.split('=')[0])), ...process.execArgv];
}

/**
 * Runs dist/src/cli/<cli>.js with this process's arguments; exits as it does.
 * @param {string} name the command's name, in messages
 * @param {string} cli the file name in src/cli, without extension
 * @param {readonly string[]} [defaultNodeFlags]
 */
export function launch(name, cli, defaultNodeFlags = []) {
  const entry = join(ROOT, 'dist', 'src', 'cli', `${cli}.js`);
  if (buildReason(entry)) {
    // Asked again under the lock: another launcher may have built meanwhile.
    const status = withBuildLock(name, () => {
      const reason = buildReason(entry);
      return reason ? build(name, reason) : 0;
    });
    if (status !== 0) {
      // tsc writes dist/ despite type errors: dated 1970, it is built again next time.
      if (existsSync(entry)) utimesSync(entry, 0, 0);
      return process.exit(status);
    }
  }
  if (!existsSync(entry)) {
    process.stderr.write(
      `${name}: ${relative(process.cwd(), entry)} is missing: run npm run build\n`,
    );
    return process.exit(1);
  }
  const child = spawn(
    process.execPath,
    [...nodeFlags(defaultNodeFlags), entry, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const forwarded of FORWARDED_SIGNALS) process.off(forwarded, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}
