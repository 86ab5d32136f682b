import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseAppConfig } from '../../src/config/app.config';

const root = join(__dirname, '..', '..');
const composeFile = join(root, 'docker', 'docker-compose.yml');
const envExample = join(root, 'docker', 'env.example');
const secrets = {
  AUTH_TOKENS: JSON.stringify([{ token: 'compose-test-token-0001', actor: 'a', roles: ['admin'] }]),
  NIK_HMAC_SECRET: 'compose-test-secret-0123456789abcdef',
  PERSONAL_DATA_KEY: 'ab'.repeat(32),
};

/** The environment without the variables the compose file interpolates. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of [
    'AUTH_TOKENS',
    'NIK_HMAC_SECRET',
    'PERSONAL_DATA_KEY',
    'READY_MAX_LAG_SECONDS',
    'LOG_LEVEL',
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

function compose(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync('docker-compose', [...args, '-f', composeFile, 'config'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** KEY=VALUE lines, as docker-compose reads an env file (comments and blank lines skipped). */
function readEnvFile(file: string): Record<string, string> {
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

const installed =
  spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).error === undefined;

if (installed) {
  describe('docker/docker-compose.yml (docker-compose config)', () => {
    it('is accepted, wiring the service to KurrentDB and the MongoDB replica set once both are healthy', () => {
      const { status, output } = compose([], cleanEnv(secrets));
      expect({ status, output }).toMatchObject({ status: 0 });
      expect(output).toContain('EVENTSTORE_URL: kurrentdb://kurrentdb:2113?tls=false');
      expect(output).toContain('MONGODB_URL: mongodb://mongodb:27017/bansos?replicaSet=rs0');
      expect(output).toContain('NODE_ENV: production');
      expect(output.match(/condition: service_healthy/g)).toHaveLength(2);
      expect(output).toContain('- --replSet');
      expect(output).toContain('rs.initiate(');
      expect(output).toMatch(/kurrentdb-data:\/var\/lib\/kurrentdb/);
      expect(output).toMatch(/mongodb-data:\/data\/db/);
    });

    it('publishes KurrentDB and MongoDB on other host ports when told, as test:production does', () => {
      const { status, output } = compose(
        [],
        cleanEnv({ ...secrets, KURRENTDB_HOST_PORT: '12113', MONGODB_HOST_PORT: '37017' }),
      );
      expect({ status, output }).toMatchObject({ status: 0 });
      expect(output).toContain('127.0.0.1:12113:2113');
      expect(output).toContain('127.0.0.1:37017:27017');
      expect(output).not.toContain(':2113:2113');
    });

    it('takes the secrets from an env file such as docker/env.example', () => {
      const { status, output } = compose(['--env-file', envExample], cleanEnv());
      expect({ status, output }).toMatchObject({ status: 0 });
      expect(output).toContain(`NIK_HMAC_SECRET: ${readEnvFile(envExample).NIK_HMAC_SECRET}`);
    });

    it('refuses to run without AUTH_TOKENS, saying where to set it', () => {
      const folder = mkdtempSync(join(tmpdir(), 'bansos-compose-'));
      const emptyEnvFile = join(folder, 'empty.env');
      writeFileSync(emptyEnvFile, '');
      try {
        const { status, output } = compose(['--env-file', emptyEnvFile], cleanEnv());
        expect(status).not.toBe(0);
        expect(output).toContain('set AUTH_TOKENS in docker/.env');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
} else {
  describe('docker/docker-compose.yml (docker-compose config)', () => {
    it.todo('skipped: docker-compose is not installed (apt-get install docker-compose)');
  });
}

describe('docker/docker-compose.yml images', () => {
  const images = [...readFileSync(composeFile, 'utf8').matchAll(/^\s+image: (\S+)$/gm)].map(
    (match) => match[1],
  );

  it.each([
    ['KurrentDB', /^docker\.kurrent\.io\/kurrent-latest\/kurrentdb:/],
    ['MongoDB', /^mongo:/],
    ['Prometheus', /^prom\/prometheus:/],
    ['Grafana', /^grafana\/grafana:/],
  ])('pins %s to a full major.minor.patch version', (_name, repository) => {
    const image = images.find((candidate) => repository.test(candidate));
    expect(image).toMatch(/:v?\d+\.\d+\.\d+$/);
  });
});

describe('docker/docker-compose.yml operations kit', () => {
  const { services } = parse(readFileSync(composeFile, 'utf8')) as {
    services: Record<string, { profiles?: string[]; volumes?: string[] }>;
  };

  it('puts Prometheus and Grafana under the `ops` profile, so a plain `up` starts what it did', () => {
    const profiled = Object.entries(services)
      .filter(([, service]) => service.profiles !== undefined)
      .map(([name, service]) => [name, service.profiles]);
    expect(profiled).toEqual([
      ['prometheus', ['ops']],
      ['grafana', ['ops']],
    ]);
  });

  it('mounts files that exist in docker/', () => {
    const mounted = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => volume.split(':')[0]);
    expect(mounted.length).toBeGreaterThan(0);
    expect(mounted.filter((source) => !existsSync(join(root, 'docker', source)))).toEqual([]);
  });
});

/**
 * From the host, a replicaSet URL makes the driver look the set's member up by the name it has
 * in the compose network (`mongodb`), which the host cannot resolve: every MongoDB URL the
 * operator is told to use from the host must connect directly.
 */
describe('the MongoDB URL documented for the host', () => {
  const documents = ['docker/docker-compose.yml', 'docker/README.md', 'docs/production.md'];
  const hostUrls = (file: string) =>
    [
      ...readFileSync(join(root, file), 'utf8').matchAll(
        /mongodb:\/\/(?:localhost|127\.0\.0\.1)[^\s`'")]*/g,
      ),
    ].map((match) => match[0]);

  it.each(documents)('%s names it, with directConnection=true and no replicaSet', (file) => {
    const urls = hostUrls(file);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url).toContain('directConnection=true');
      expect(url).not.toContain('replicaSet=');
    }
  });

  it('is accepted by the service configuration', () => {
    const [url] = hostUrls('docs/production.md');
    expect(parseAppConfig({ MONGODB_URL: url }).readStore).toEqual({ kind: 'mongodb', url });
  });
});

describe('docker/env.example', () => {
  it('holds values that production start-up accepts', () => {
    const { AUTH_TOKENS, NIK_HMAC_SECRET, PERSONAL_DATA_KEY } = readEnvFile(envExample);
    const config = parseAppConfig({
      NODE_ENV: 'production',
      AUTH_TOKENS,
      NIK_HMAC_SECRET,
      PERSONAL_DATA_KEY,
    });
    expect(config.authTokens?.map((grant) => grant.roles)).toEqual([['admin'], ['operator']]);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];

  it('builds in one stage and runs from a slim image of the Node in .nvmrc in another', () => {
    const major = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    expect(major).toMatch(/^\d+$/);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(new RegExp(`^node:${major}-[\\w-]*slim AS build`));
    expect(stages[0]).toMatch(/RUN npm ci\b/);
    expect(stages[0]).toContain('npm run build');
    expect(stages[0]).toContain('--omit=dev');
    expect(runtime).toMatch(new RegExp(`^node:${major}-[\\w-]*slim\n`));
  });

  it('runs as a user other than root, with a health check on /health/ready', () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node",.*\/health\/ready/m);
  });

  it('copies no dev dependencies, sources or tests into the runtime image', () => {
    const copied = runtime.split('\n').filter((line) => line.startsWith('COPY'));
    expect(copied.every((line) => line.includes('--from=build'))).toBe(true);
    expect(copied.join('\n')).not.toMatch(/\/app\/(src|test|bench)\b/);
  });
});

describe('.dockerignore', () => {
  it('keeps local data, secrets, dependencies and build output out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'data', '.env', '**/.env', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});
