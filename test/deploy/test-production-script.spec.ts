import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * scripts/test-production.sh (`npm run test:production`): where no Docker engine answers it
 * says so in one line and exits 0; where one does, it starts the pair under a project of its
 * own, points the suites at it from the host, and removes it with its volumes on every path.
 * The engine is faked here by a `docker` and an `npx` that only record how they were called.
 */
const root = join(__dirname, '..', '..');
const script = join(root, 'scripts', 'test-production.sh');
/** Found once on the real PATH: the tests run the script with other ones. */
const bash = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'bansos-test-production-'));
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** A folder holding only links to the given commands, to be the whole PATH. */
function pathWith(commands: string[]): string {
  const bin = join(folder, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const command of commands) {
    const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
    symlinkSync(found.stdout.trim(), join(bin, command));
  }
  return bin;
}

function executable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function run(env: NodeJS.ProcessEnv) {
  const result = spawnSync(bash, [script], { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('scripts/test-production.sh without a Docker engine', () => {
  it('is what `npm run test:production` runs', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['test:production']).toBe('bash scripts/test-production.sh');
  });

  it('says in one line that docker is missing, and exits 0', () => {
    const { status, stdout, stderr } = run({ PATH: pathWith(['dirname']) });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/^test:production skipped: docker is not installed[^\n]*\n$/);
  });

  it('says in one line that no engine answers `docker info`, and exits 0', () => {
    const bin = pathWith(['dirname']);
    executable(
      join(bin, 'docker'),
      '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n',
    );
    const { status, stdout, stderr } = run({ PATH: bin });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(
      /^test:production skipped: no Docker engine answers `docker info`[^\n]*\n$/,
    );
  });

  const engineHere = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
  // Where an engine answers, running the script would start a real pair: not in the default run.
  (engineHere ? it.skip : it)('skips in one line on this machine, with its real PATH', () => {
    const { status, stdout } = run(process.env);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^test:production skipped: [^\n]*\n$/);
  });
});

describe('scripts/test-production.sh with a (fake) Docker engine', () => {
  /** `docker` answering as an engine with compose v2 would, `npx` standing for jest. */
  function fakeEngine(): {
    env: NodeJS.ProcessEnv;
    dockerCalls: () => string[];
    jestRuns: () => string[];
  } {
    const bin = join(folder, 'fake-bin');
    spawnSync('mkdir', ['-p', bin]);
    const dockerLog = join(folder, 'docker.log');
    const npxLog = join(folder, 'npx.log');
    executable(
      join(bin, 'docker'),
      `#!/usr/bin/env bash
echo "$*" >> '${dockerLog}'
case " $* " in
  *" compose version "*) exit 0 ;;
  *" ps -q "*) echo "container-\${@: -1}" ;;
  *" inspect "*) echo healthy ;;
esac
exit 0
`,
    );
    executable(
      join(bin, 'npx'),
      `#!/usr/bin/env bash
echo "$* | $EVENTSTORE_URL | $MONGODB_URL | $PRODUCTION_PAIR | $PRODUCTION_MONGODB_CONTAINER" >> '${npxLog}'
sleep "\${FAKE_JEST_SECONDS:-0}"
exit "\${FAKE_JEST_STATUS:-0}"
`,
    );
    const lines = (file: string) =>
      existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
    return {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      dockerCalls: () => lines(dockerLog),
      jestRuns: () => lines(npxLog),
    };
  }

  it('starts only the pair under its own project and ports, runs the suites from the host, sums up, removes the pair', () => {
    const engine = fakeEngine();
    const { status, stdout } = run(engine.env);
    expect(status).toBe(0);

    const calls = engine.dockerCalls();
    const up = calls.find((call) => call.includes(' up '));
    const project = /-p (bansos-production-test-\d+) /.exec(up ?? '')?.[1];
    expect(project).toBeDefined();
    expect(up).toContain('-f docker/docker-compose.yml up -d kurrentdb mongodb');
    expect(calls[calls.length - 1]).toContain(`-p ${project} `);
    expect(calls[calls.length - 1]).toMatch(/ down --volumes/);

    const runs = engine.jestRuns();
    expect(runs.map((line) => line.split(' | ')[0])).toEqual([
      'jest --runInBand test/production',
      'jest --runInBand test/contract/(kurrentdb|mongo)',
    ]);
    const [, eventStoreUrl, mongoUrl, pairFlag, mongoContainer] = runs[0].split(' | ');
    expect(eventStoreUrl).toMatch(/^kurrentdb:\/\/127\.0\.0\.1:\d+\?tls=false$/);
    expect(mongoUrl).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\w+\?directConnection=true$/);
    // Ports of its own, so that a stack already running on 2113 and 27017 is left alone.
    expect(eventStoreUrl).not.toContain(':2113?');
    expect(mongoUrl).not.toContain(':27017/');
    expect({ pairFlag, mongoContainer }).toEqual({
      pairFlag: '1',
      mongoContainer: 'container-mongodb',
    });

    expect(stdout).toMatch(/passed {2}e2e and reliability on the pair/);
    expect(stdout).toMatch(/passed {2}contract suites/);
  });

  it('exits non-zero when a suite fails, and still removes the pair', () => {
    const engine = fakeEngine();
    const { status, stdout } = run({ ...engine.env, FAKE_JEST_STATUS: '1' });
    expect(status).toBe(1);
    expect(stdout).toMatch(/FAILED {2}e2e and reliability on the pair/);
    expect(engine.dockerCalls().at(-1)).toMatch(/ down --volumes/);
  });

  it('removes the pair on Ctrl-C in the middle of a suite', async () => {
    const engine = fakeEngine();
    const child = spawn(bash, [script], {
      cwd: root,
      env: { ...engine.env, FAKE_JEST_SECONDS: '30' },
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const deadline = Date.now() + 10_000;
    while (engine.jestRuns().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(engine.jestRuns()).toHaveLength(1);
    process.kill(-(child.pid as number), 'SIGINT'); // as a terminal does: the whole group
    expect(await exited).toBe(130);
    expect(engine.dockerCalls().at(-1)).toMatch(/ down --volumes/);
    expect(engine.jestRuns()).toHaveLength(1);
  }, 20_000);
});
