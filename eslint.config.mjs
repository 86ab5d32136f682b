import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Which part of the code may import which. A rule applies to the files matching `from` (and not
 * `except`), and forbids the imports matching `forbid` (paths from the repository root, which the
 * relative specifier is resolved to, so the depth of the importing file does not matter) or
 * `forbidPackages` (package names, subpaths included), unless they match `allow`. Globs: `*` is
 * one path segment, `**` any number. test/architecture/boundaries.spec.ts checks every rule.
 */
const BOUNDARIES = [
  {
    from: ['src/domain/**'],
    forbid: ['src/**', 'projections/**'],
    allow: ['src/domain/**'],
    forbidPackages: [
      '@nestjs/*',
      'class-validator',
      'class-transformer',
      'mongoose',
      'better-sqlite3',
      '@kurrent/*',
    ],
    message:
      'src/domain → frameworks, drivers, the rest of src/ and projections/ is forbidden: the domain stays pure TypeScript, testable and portable on its own.',
  },
  {
    from: ['src/platform/**'],
    forbid: ['src/**', 'projections/**'],
    allow: ['src/platform/**', 'src/config/**', 'src/domain/decider'],
    message:
      'src/platform → domain types and upper layers (write, read, http, operations, audit, cli, demo, dashboard, projections) is forbidden: the platform is generic infrastructure they build on; it may use src/config and the decider toolkit src/domain/decider only.',
  },
  {
    from: ['src/platform/event-store/**', 'src/platform/read-store/**'],
    forbid: ['src/platform/projection-engine/**', 'src/platform/command-handling/**'],
    message:
      'src/platform/{event-store,read-store} → projection-engine or command-handling is forbidden: the stores are the bottom of the platform, the engines use them, not the reverse.',
  },
  {
    from: ['src/read/**'],
    forbid: ['src/write/**', 'projections/**'],
    message:
      'src/read → src/write or projections/ is forbidden: the read side is independent of the write side, and projections plug into it (they import read, not the reverse).',
  },
  {
    from: ['src/write/**'],
    forbid: ['src/read/**', 'projections/**', 'src/audit/**'],
    message:
      'src/write → src/read, projections/ or src/audit is forbidden: commands decide from their own streams, never from read models or the audit tools.',
  },
  {
    from: ['src/http/**', 'src/operations/**'],
    forbid: ['src/write/**', 'src/read/**', 'projections/**'],
    message:
      'src/http and src/operations → src/write, src/read or projections/ is forbidden: they are cross-cutting plumbing the features use, so they must not depend on a feature.',
  },
  {
    from: ['src/operations/**'],
    forbid: ['src/domain/**'],
    message:
      'src/operations → src/domain is forbidden: health, logging and metrics observe the platform and HTTP generically and know no domain type.',
  },
  {
    from: ['projections/**'],
    except: ['projections/**/*.spec.ts'],
    forbid: [
      'src/write/**',
      'src/platform/*/sqlite/**',
      'src/platform/*/mongo/**',
      'src/platform/*/kurrentdb/**',
    ],
    message:
      'projections/ → src/write or a storage adapter (sqlite, mongo, kurrentdb) is forbidden: a projection reads events and writes through the read-store port, whatever the store.',
  },
  {
    from: ['projections/**/*.spec.ts'],
    forbid: ['src/write/**', 'src/platform/*/mongo/**', 'src/platform/*/kurrentdb/**'],
    message:
      'projections/ specs → src/write or the mongo/kurrentdb adapters is forbidden: a projection spec builds its events itself and runs on the SQLite adapters only.',
  },
  {
    from: ['bench/**'],
    forbid: ['test/**'],
    message:
      'bench → test is forbidden: benchmarks are built and run without the test tree (shared data generators live in bench/ or src/).',
  },
];

const ROOT = dirname(fileURLToPath(import.meta.url));

/** `*`: one path segment; `/**`: any number of segments, none included. */
function globToRegExp(glob, { subpaths = false } = {}) {
  const body = glob
    .split(/(\/\*\*|\*\*|\*)/)
    .map((part) => {
      if (part === '/**') return '(/.*)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}${subpaths ? '(/.*)?' : ''}$`);
}

const anyOf = (globs = [], options) => {
  const patterns = globs.map((glob) => globToRegExp(glob, options));
  return (path) => patterns.some((pattern) => pattern.test(path));
};

const RULES = BOUNDARIES.map((rule) => {
  const [from, except, forbid, allow] = [rule.from, rule.except, rule.forbid, rule.allow].map(
    (globs) => anyOf(globs),
  );
  return {
    appliesTo: (file) => from(file) && !except(file),
    forbidsPath: (path) => forbid(path) && !allow(path),
    forbidsPackage: anyOf(rule.forbidPackages, { subpaths: true }),
    message: rule.message,
  };
});

const toPosix = (path) => path.split(sep).join('/');

/** Checks every import, export … from, require() and import() against BOUNDARIES. */
const importDirection = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Keeps the imports between the parts of the code in the allowed direction',
    },
    schema: [],
    messages: { forbidden: "'{{specifier}}': {{message}}" },
  },
  create(context) {
    const file = toPosix(relative(ROOT, context.filename));
    const rules = RULES.filter((rule) => rule.appliesTo(file));
    if (rules.length === 0 || file.startsWith('../')) return {};

    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      const relativePath = specifier.startsWith('.');
      const target = relativePath
        ? toPosix(relative(ROOT, resolve(dirname(context.filename), specifier))).replace(
            /\.(ts|js|mjs|cjs)$/,
            '',
          )
        : specifier;
      for (const rule of rules) {
        if (relativePath ? rule.forbidsPath(target) : rule.forbidsPackage(target)) {
          context.report({
            node: source,
            messageId: 'forbidden',
            data: { specifier, message: rule.message },
          });
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportEqualsDeclaration: (node) => check(node.moduleReference.expression),
      TSImportType: (node) => check(node.argument?.literal),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          check(node.arguments[0]);
        }
      },
    };
  },
};

export default tseslint.config(
  // client/: the schema is generated from openapi/openapi.json, dist/ is its build output.
  {
    ignores: ['dist', 'coverage', 'data', 'node_modules', 'client/src/schema.d.ts', 'client/dist'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { boundaries: { rules: { 'import-direction': importDirection } } },
    rules: { 'boundaries/import-direction': 'error' },
  },
  {
    files: ['bench/**/*.ts', 'src/cli/**/*.ts', 'jest.config.js'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
