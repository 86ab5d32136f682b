import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAppConfig } from '../../src/config/app.config';

const root = join(__dirname, '..', '..');
const CONFIG_FILE = 'src/config/app.config.ts';

interface Entry {
  value: string;
  /** `# NAME=value`: unset by default (or a default derived from another variable). */
  commented: boolean;
}

/** `NAME=value` and `# NAME=value` lines; the shell's single quotes are taken off the value. */
function readEnvExample(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, comment, name, text] = match;
    if (entries.has(name)) throw new Error(`${file} lists ${name} twice`);
    entries.set(name, { value: text.replace(/^'(.*)'$/, '$1'), commented: comment !== undefined });
  }
  return entries;
}

/**
 * The variables parseAppConfig reads, recorded by an environment that watches every look-up,
 * so the names it builds at run time (`env[name]`) count too. Run once per branch that reads
 * more: with JWT configured, and on KurrentDB.
 */
function variablesTheConfigReads(): Set<string> {
  const read = new Set<string>();
  const watching = (values: Record<string, string>): NodeJS.ProcessEnv =>
    new Proxy(values, {
      get: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
      has: (target, key) => {
        if (typeof key === 'string') read.add(key);
        return key in target;
      },
    });
  parseAppConfig(watching({}));
  parseAppConfig(watching({ JWT_SECRET: 's'.repeat(32) }));
  parseAppConfig(watching({ EVENTSTORE_URL: 'kurrentdb://localhost:2113' }));
  return read;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(folder, file));
}

/**
 * `env.NAME`, `process.env.NAME`, `env['NAME']` and `env[CONSTANT]` (a string constant of the
 * same file) across src/ and projections/. A name built at run time is allowed only in the
 * configuration, whose reads variablesTheConfigReads records.
 */
function variablesTheSourceReads(): { names: Set<string>; unresolved: string[] } {
  const names = new Set<string>();
  const unresolved: string[] = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('projections')]) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, name] of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b/g)) names.add(name);
    for (const [, key] of text.matchAll(/\benv\[([^\]]+)\]/g)) {
      const literal = /^['"]([A-Z][A-Z0-9_]*)['"]$/.exec(key)?.[1];
      const constant = new RegExp(`const ${key} = '([A-Z][A-Z0-9_]*)'`).exec(text)?.[1];
      const name = literal ?? constant;
      if (name !== undefined) names.add(name);
      else if (file !== CONFIG_FILE) unresolved.push(`${file}: ${key}`);
    }
  }
  return { names, unresolved };
}

describe('.env.example', () => {
  const example = readEnvExample('.env.example');
  const configReads = variablesTheConfigReads();
  const source = variablesTheSourceReads();
  const read = new Set([...configReads, ...source.names]);

  it('finds every variable the code reads by name', () => {
    expect(source.unresolved).toEqual([]);
    // Both ways of finding them found something: names built at run time, and the CLIs' reads.
    expect(configReads).toContain('PROJECTION_LEASE_TTL_MS');
    expect(source.names).toContain('RETENTION_DAYS_AFTER_LAST_EVENT');
  });

  it('lists every variable that src/ and projections/ read', () => {
    expect([...read].filter((name) => !example.has(name)).sort()).toEqual([]);
  });

  it('lists no variable that nothing reads', () => {
    expect([...example.keys()].filter((name) => !read.has(name)).sort()).toEqual([]);
  });

  it('says what each variable means, on the line above it', () => {
    const lines = readFileSync(join(root, '.env.example'), 'utf8').split('\n');
    const undescribed = [...example.keys()].filter((name) => {
      const at = lines.findIndex((line) => new RegExp(`^(#\\s*)?${name}=`).test(line));
      const above = lines[at - 1] ?? '';
      return !/^# \S/.test(above) || /^#\s*[A-Z][A-Z0-9_]*=/.test(above);
    });
    expect(undescribed).toEqual([]);
  });

  it.each([...example].filter(([, entry]) => !entry.commented))(
    'writes the configuration’s own default for %s',
    (name, { value }) => {
      // Only the configuration's variables can be set uncommented: their default is checked here.
      expect(configReads).toContain(name);
      expect(parseAppConfig({ [name]: value })).toEqual(parseAppConfig({}));
    },
  );

  it.each(['JWT_JWKS_URL', 'JWT_SECRET'])(
    'holds example values that production start-up accepts together (with %s)',
    (jwtKeys) => {
      const alternative = jwtKeys === 'JWT_SECRET' ? 'JWT_JWKS_URL' : 'JWT_SECRET';
      const env = Object.fromEntries(
        [...example]
          .filter(([name]) => name !== alternative && configReads.has(name))
          .map(([name, { value }]) => [name, value]),
      );
      expect(env.NODE_ENV).toBe('production');
      expect(() => parseAppConfig(env)).not.toThrow();
    },
  );
});

describe('docker/env.example', () => {
  const example = readEnvExample('.env.example');
  const docker = readEnvExample('docker/env.example');
  const compose = readFileSync(join(root, 'docker', 'docker-compose.yml'), 'utf8');

  it('lists only variables of .env.example or of the compose file', () => {
    const unknown = [...docker.keys()].filter(
      (name) => !example.has(name) && !compose.includes(`\${${name}:`),
    );
    expect(unknown).toEqual([]);
  });

  it('gives the same defaults as .env.example', () => {
    const defaults = [...docker].filter(([name, entry]) => entry.commented && example.has(name));
    expect(defaults.length).toBeGreaterThan(0);
    for (const [name, { value }] of defaults) {
      expect({ name, value }).toEqual({ name, value: example.get(name)?.value });
    }
  });
});
