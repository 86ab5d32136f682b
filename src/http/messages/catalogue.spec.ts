import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { hasMessage, localise } from './catalogue';
import { ID } from './id';

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const FILES = [...sources('src'), ...sources('projections')].map((path) => ({
  path: relative(ROOT, join(ROOT, path)),
  text: readFileSync(join(ROOT, path), 'utf8'),
}));

/** Every literal found by the patterns, with the files it is in. */
function found(patterns: readonly RegExp[]): Map<string, string[]> {
  const all = new Map<string, string[]>();
  for (const { path, text } of FILES) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        all.set(match[1], [...(all.get(match[1]) ?? []), path]);
      }
    }
  }
  return all;
}

/** Codes as the code raises them: domain refusals, HTTP exceptions' bodies, the filter's own. */
const CODES = found([
  /\b(?:invalid|ruleViolated|notFound)\(\s*'([A-Z][A-Z0-9_]*)'/g,
  /new DomainError\(\s*'[a-z_]+',\s*'([A-Z][A-Z0-9_]*)'/g,
  /\bcode:\s*'([A-Z][A-Z0-9_]*)'/g,
  /\bplain\(\s*\d{3},\s*'([A-Z][A-Z0-9_]*)'/g,
]);

/** The rule each class-validator decorator reports; a decorator missing here fails the test. */
const DECORATOR_RULES: Record<string, string | null> = {
  IsInt: 'isInt',
  IsNumber: 'isNumber',
  IsString: 'isString',
  IsBoolean: 'isBoolean',
  IsObject: 'isObject',
  IsArray: 'isArray',
  IsUUID: 'isUuid',
  IsIn: 'isIn',
  IsDefined: 'isDefined',
  Min: 'min',
  Max: 'max',
  Length: 'isLength',
  Matches: 'matches',
  ArrayMinSize: 'arrayMinSize',
  ArrayMaxSize: 'arrayMaxSize',
  ArrayUnique: 'arrayUnique',
  ValidateNested: 'nestedValidation',
  // These refuse nothing themselves (or report under the name they are given, found below).
  IsOptional: null,
  ValidateIf: null,
  ValidateBy: null,
  Allow: null,
};

function decoratorsUsed(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const { path, text } of FILES) {
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'class-validator'/g)) {
      for (const name of match[1].split(',').map((part) => part.trim())) {
        // Decorators are called (`@Min(…)`, or `Min(…)` inside applyDecorators); types are not.
        if (!/^[A-Z]/.test(name) || !new RegExp(`\\b${name}\\(`).test(text)) continue;
        used.set(name, [...(used.get(name) ?? []), path]);
      }
    }
  }
  return used;
}

/** Keys rules declare with says(english, 'key') or localisedAs('key'). */
const DECLARED_KEYS = found([
  /\bsays\(\s*(?:'[^']*'|`[^`]*`|[A-Z_]+),\s*'([A-Za-z_]+)'/g,
  /\blocalisedAs\(\s*'([A-Za-z_]+)'/g,
]);

/** Rules named in ValidateBy / registerDecorator: `name: 'isPosition'`. */
const NAMED_RULES = found([/\bValidateBy\(\s*\{\s*name:\s*'([a-zA-Z]+)'/g]);

describe('the Indonesian catalogue', () => {
  it('finds the codes it checks (the patterns still match how codes are raised)', () => {
    for (const code of ['QUOTA_EXHAUSTED', 'RECIPIENT_NOT_FOUND', 'INVALID_NIK', 'RATE_LIMITED']) {
      expect(CODES.has(code)).toBe(true);
    }
    expect(CODES.size).toBeGreaterThan(40);
  });

  it('has an entry for every code raised in src/ and projections/', () => {
    const missing = [...CODES].filter(([code]) => !hasMessage('id', code));
    // Add each to src/http/messages/id.ts: `CODE: 'Kalimat baku…'` or `(p) => \`${…}\``.
    expect(missing.map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`)).toEqual(
      [],
    );
  });

  it('has an entry for the rule of every class-validator decorator used', () => {
    const unknown = [...decoratorsUsed()].filter(([name]) => !(name in DECORATOR_RULES));
    expect(unknown.map(([name, files]) => `${name} (${files.join(', ')})`)).toEqual([]);
    const rules = [...decoratorsUsed().keys()]
      .map((name) => DECORATOR_RULES[name])
      .filter((rule): rule is string => typeof rule === 'string');
    const built = ['whitelistValidation', 'nestedValidation', 'unknownValue'];
    expect([...rules, ...built].filter((rule) => !hasMessage('id', rule))).toEqual([]);
  });

  it('has an entry for every key a rule declares', () => {
    expect(DECLARED_KEYS.has('notBlank')).toBe(true);
    const missing = [...DECLARED_KEYS].filter(([key]) => !hasMessage('id', key));
    expect(missing.map(([key, files]) => `${key} (${files.join(', ')})`)).toEqual([]);
  });

  it('has an entry for every rule named with ValidateBy', () => {
    expect(NAMED_RULES.size).toBeGreaterThan(0);
    // Also where the decorator declares a key: a refusal built by hand names only the rule.
    const missing = [...NAMED_RULES].filter(([rule]) => !hasMessage('id', rule));
    expect(missing.map(([rule, files]) => `${rule} (${files.join(', ')})`)).toEqual([]);
  });

  it.each(Object.keys(ID))('says %s in full, with or without its parameters', (key) => {
    for (const params of [{}, { field: 'items.0.quantity', problem: 'UNKNOWN', c0: 1 }]) {
      const text = localise('id', { key, params }, 'English');
      expect(text).not.toBe('English');
      expect(text).not.toMatch(/undefined|NaN|\[object|\$\{/);
      expect(text.trim()).toBe(text);
      expect(text.length).toBeGreaterThan(10);
    }
  });
});

describe('localise', () => {
  it('keeps English as raised', () => {
    expect(localise('en', { key: 'QUOTA_EXHAUSTED', params: {} }, 'The target is reached')).toBe(
      'The target is reached',
    );
  });

  it('builds Indonesian from the key and parameters', () => {
    expect(
      localise(
        'id',
        { key: 'INVALID_NIK', params: { field: 'members.2.nik', problem: 'NOT_16_DIGITS' } },
        'members.2.nik must be exactly 16 digits',
      ),
    ).toBe('members.2.nik harus terdiri dari 16 angka');
    expect(localise('id', { key: 'min', params: { field: 'quota', c0: 0 } }, 'x')).toBe(
      'quota harus bernilai paling sedikit 0',
    );
  });

  it('falls back to English for a key it does not know, never to nothing', () => {
    expect(localise('id', { key: 'NO_SUCH_CODE', params: {} }, 'As raised')).toBe('As raised');
    expect(localise('id', { key: 'constructor', params: {} }, 'As raised')).toBe('As raised');
    expect(localise('id', undefined, 'As raised')).toBe('As raised');
  });
});
