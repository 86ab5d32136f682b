// @ts-check
/**
 * Runs a command-line tool compiled in dist/src/cli as a shell user expects: dist/ is built first
 * (once, its messages on stderr) only when no build has finished well since a source last changed;
 * in an installed package or the Docker image, which hold no src/, dist/ runs as it is. On a Node
 * older than package.json's "engines" it says so and exits 1.
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
import { fileURLToPath } from 'node:url';

// Not import.meta.dirname: this file must load on an old Node to say that it is too old.
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** What `npm run build` compiles for the tools (tsconfig.build.json). */
const SOURCES = ['src', 'projections', 'tsconfig.json', 'tsconfig.build.json'];

/**
 * Written only when a build run by a launcher has finished well, dated when that build began;
 * removed before each build. Missing, dist/ is incomplete or from a failed, interrupted or
 * outside build (`npm run build` does not write it), and is built again.
 */
const BUILT_STAMP = join(ROOT, 'dist', '.built');

/** Held while one launcher builds, naming its process: the others wait, then find dist/ built. */
const BUILD_LOCK = join(ROOT, 'dist', '.build-lock');

/** Signals passed on to the tool. Ctrl-C reaches it from the terminal too: it ends at the first. */
const FORWARDED_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);

/** When package.json's "engines" cannot be read (it says ">=22"). */
const FALLBACK_NODE_MAJOR = 22;

/**
 * The Node major the ledger needs, from package.json's "engines" (">=N"), and the one .nvmrc
 * names, if there is one. On an older Node, better-sqlite3 crashes without a word.
 * @returns {{ major: number, nvmrc: string | undefined }}
 */
function requiredNode() {
  let major = FALLBACK_NODE_MAJOR;
  try {
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines;
    const declared = /^>=\s*(\d+)/.exec(String(engines?.node ?? ''));
    if (declared) major = Number(declared[1]);
  } catch {
    // No readable package.json: the fallback.
  }
  let nvmrc;
  try {
    nvmrc = readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim() || undefined;
  } catch {
    // The Docker image ships no .nvmrc.
  }
  return { major, nvmrc };
}

/**
 * A source file under `path` changed after `time` (ms), if one did. Files only: a folder's time
 * changes when a spec is added or removed, which needs no build. A deleted source leaves its
 * compiled .js in dist/ after the next build; nothing imports it, so it does no harm.
 * @param {string} path
 * @param {number} time
 * @returns {string | undefined}
 */
function changeAfter(path, time) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isDirectory()) return stats.mtimeMs > time ? path : undefined;
  for (const entry of readdirSync(path)) {
    // Specs are not built.
    const changed = entry.endsWith('.spec.ts') ? undefined : changeAfter(join(path, entry), time);
    if (changed) return changed;
  }
  return undefined;
}

/**
 * Why dist/ must be built before `entry` runs, if it must: no finished build, `entry` missing,
 * or a source changed after the last build began. Without src/ there is nothing to build.
 * @param {string} entry
 * @returns {string | undefined}
 */
function buildReason(entry) {
  if (!existsSync(join(ROOT, 'src'))) return undefined;
  const built = statSync(BUILT_STAMP, { throwIfNoEntry: false });
  if (!built) return 'no finished build';
  if (!existsSync(entry)) return `${relative(ROOT, entry)} is missing`;
  for (const source of SOURCES) {
    const changed = changeAfter(join(ROOT, source), built.mtimeMs);
    if (changed) return `${relative(ROOT, changed)} changed since the last build`;
  }
  return undefined;
}

/**
 * `npm run build`, its output on stderr: stdout is the tool's alone. Whether it succeeded; only
 * then is the stamp written, so a failed or interrupted build (tsc writes dist/ despite type
 * errors) is built again by whichever tool runs next.
 * @param {string} name
 * @param {string} reason
 * @returns {boolean}
 */
function build(name, reason) {
  process.stderr.write(`${name}: building dist/ first (${reason})\n`);
  rmSync(BUILT_STAMP, { force: true });
  // The stamp is dated when the build began: a source saved during the build is newer.
  const began = new Date();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.error) {
    process.stderr.write(`${name}: cannot run npm to build dist/: ${result.error.message}\n`);
    return false;
  }
  if (result.status !== 0) {
    process.stderr.write(`${name}: the build failed\n`);
    return false;
  }
  writeFileSync(BUILT_STAMP, '');
  utimesSync(BUILT_STAMP, began, began);
  return true;
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
  const node = requiredNode();
  if (Number(process.versions.node.split('.')[0]) < node.major) {
    process.stderr.write(
      `bansos-ledger needs Node ${node.major} or later${node.nvmrc ? ` (.nvmrc: ${node.nvmrc})` : ''}; ` +
        `this is ${process.version}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const entry = join(ROOT, 'dist', 'src', 'cli', `${cli}.js`);
  if (buildReason(entry)) {
    // Asked again under the lock: another launcher may have built meanwhile.
    const built = withBuildLock(name, () => {
      const reason = buildReason(entry);
      return reason ? build(name, reason) : true;
    });
    // Exit status 1 whatever the build's (tsc's 2 would read as bad usage of the tool).
    if (!built) {
      process.exitCode = 1;
      return;
    }
  }
  if (!existsSync(entry)) {
    process.stderr.write(
      `${name}: ${relative(process.cwd(), entry)} is missing: run npm run build\n`,
    );
    process.exitCode = 1;
    return;
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
