import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The import-direction rules of eslint.config.mjs (boundaries/import-direction), checked on small
 * snippets placed at virtual paths, so that a rule that silently stops matching (a moved folder, a
 * mistyped glob) fails here instead of letting the imports through. Each file below imports one
 * module per snippet; `forbidden` ones must be reported with the rule's message, `allowed` ones not.
 */
const ROOT = join(__dirname, '../..');
const RULE = 'boundaries/import-direction';

interface Boundary {
  /** The start of the rule's message: the direction it forbids. */
  direction: string;
  /** The virtual file, from the repository root. */
  file: string;
  forbidden: string[];
  allowed: string[];
}

const BOUNDARIES: Boundary[] = [
  {
    direction: 'src/domain →',
    file: 'src/domain/recipient/example.ts',
    forbidden: [
      '../../platform/clock',
      '../../write/streams',
      '../../read/read-model',
      '../../http/field-errors',
      '../../operations/metrics/service-metrics',
      '../../config/app.config',
      '../../../projections',
      '../../../projections/quota-progress/quota-progress.projection',
      '@nestjs/common',
      '@nestjs/cqrs',
      'class-validator',
      'class-transformer',
      'class-transformer/cjs/storage',
      'mongoose',
      'better-sqlite3',
      '@kurrent/kurrentdb-client',
    ],
    allowed: ['./recipient.events', '../programme/regencies', '../decider', '..', 'node:crypto'],
  },
  {
    direction: 'src/domain →',
    file: 'src/domain/example.ts',
    forbidden: ['../platform/clock', '../http/field-errors', '../../projections'],
    allowed: ['./decider', './programme/regencies'],
  },
  {
    direction: 'src/platform →',
    file: 'src/platform/command-handling/example.ts',
    forbidden: [
      '../../domain/recipient/recipient.decider',
      '../../domain/domain-error',
      '../../domain',
      '../../write/streams',
      '../../read/read-model',
      '../../http/auth/principal',
      '../../operations/metrics/service-metrics',
      '../../audit/as-of',
      '../../cli/audit',
      '../../demo/seeded-random',
      '../../dashboard/dashboard.module',
      '../../app.module',
      '../../../projections',
      '../../../projections/programme-event',
    ],
    allowed: [
      '../../domain/decider',
      '../../config/app.config',
      '../event-store/event-store.port',
      '../clock',
      './command-runner',
      '@nestjs/common',
    ],
  },
  {
    direction: 'src/platform →',
    file: 'src/platform/clock.ts',
    forbidden: ['../domain/programme/regencies', '../http/auth/principal', '../../projections'],
    allowed: ['../domain/decider', '../config/app.config', './event-store/event-store.port'],
  },
  {
    direction: 'src/platform/{event-store,read-store} →',
    file: 'src/platform/event-store/sqlite/example.ts',
    forbidden: ['../../projection-engine/projection', '../../command-handling/command-runner'],
    allowed: ['../event-store.port', '../../clock', '../../../config/app.config'],
  },
  {
    direction: 'src/platform/{event-store,read-store} →',
    file: 'src/platform/read-store/example.ts',
    forbidden: ['../projection-engine/projection-engine', '../command-handling/command-runner'],
    allowed: ['./read-store.port', '../event-store/event-store.port', '../clock'],
  },
  {
    direction: 'src/read →',
    file: 'src/read/example.ts',
    forbidden: ['../write/streams', '../write/disburse-aid', '../../projections'],
    allowed: ['./read-model', '../platform/read-store/read-store.port', '../domain/decider'],
  },
  {
    direction: 'src/write →',
    file: 'src/write/disburse-aid/example.ts',
    forbidden: [
      '../../read/read-model',
      '../../../projections/quota-progress',
      '../../audit/as-of',
    ],
    allowed: [
      '../streams',
      './disburse-aid.dto',
      '../../domain/recipient/recipient.decider',
      '../../platform/command-handling/command-runner',
      '../../http/field-errors',
    ],
  },
  {
    direction: 'src/http and src/operations →',
    file: 'src/http/idempotency/example.ts',
    forbidden: ['../../write/streams', '../../read/page', '../../../projections'],
    allowed: [
      '../auth/principal',
      '../../platform/command-handling/command-runner',
      '../../operations/logging/request-context',
      '../../domain/domain-error',
    ],
  },
  {
    direction: 'src/http and src/operations →',
    file: 'src/operations/metrics/example.ts',
    forbidden: ['../../write/streams', '../../read/read-model', '../../../projections'],
    allowed: ['./service-metrics', '../../platform/event-store/event-store.port'],
  },
  {
    direction: 'src/operations → src/domain',
    file: 'src/operations/metrics/example.ts',
    forbidden: ['../../domain/domain-error', '../../domain/decider'],
    allowed: ['../../http/auth/principal', '../../config/app.config'],
  },
  {
    direction: 'projections/ →',
    file: 'projections/quota-progress/example.ts',
    forbidden: [
      '../../src/write/streams',
      '../../src/write/set-allocation',
      '../../src/platform/read-store/sqlite/sqlite-read-store',
      '../../src/platform/event-store/sqlite/sqlite-event-store',
      '../../src/platform/read-store/mongo/mongo-read-store',
      '../../src/platform/event-store/kurrentdb/kurrentdb-event-store',
    ],
    allowed: [
      './quota-progress.projection',
      '../programme-event',
      '../../src/read/read-model',
      '../../src/platform/read-store/read-store.port',
      '../../src/platform/projection-engine/projection',
      '../../src/domain/programme/regencies',
    ],
  },
  {
    direction: 'projections/ →',
    file: 'projections/index.ts',
    forbidden: ['../src/write/streams', '../src/platform/read-store/sqlite/sqlite-read-store'],
    allowed: ['./quota-progress', '../src/read/read-model'],
  },
  {
    direction: 'projections/ specs →',
    file: 'projections/quota-progress/example.spec.ts',
    forbidden: [
      '../../src/write/streams',
      '../../src/platform/read-store/mongo/mongo-read-store',
      '../../src/platform/event-store/kurrentdb/kurrentdb-event-store',
    ],
    allowed: [
      '../../src/platform/read-store/sqlite/sqlite-read-store',
      '../../src/platform/event-store/sqlite/sqlite-event-store',
      './quota-progress.projection',
      '../../test/helpers/projection-specification',
    ],
  },
  {
    direction: 'bench →',
    file: 'bench/example.ts',
    forbidden: ['../test/helpers/read-model-comparison', '../test/audit/ledger-log'],
    allowed: ['./programme-events', '../src/demo/seeded-random', '../projections'],
  },
];

/** Every way a module can be named; each must be checked, not only `import … from`. */
const FORMS: Record<string, (specifier: string) => string> = {
  'import … from': (s) => `import { a } from '${s}';\nexport { a };\n`,
  'import type': (s) => `import type { A } from '${s}';\nexport type { A };\n`,
  'side-effect import': (s) => `import '${s}';\n`,
  'export … from': (s) => `export { a } from '${s}';\n`,
  'export * from': (s) => `export * from '${s}';\n`,
  'import()': (s) => `export const a = () => import('${s}');\n`,
  'require()': (s) => `export const a = require('${s}');\n`,
  'import = require()': (s) => `import a = require('${s}');\nexport { a };\n`,
  'typeof import()': (s) => `export type A = typeof import('${s}');\n`,
};

interface Snippet {
  code: string;
  filePath: string;
}

interface Reported {
  ruleId: string | null;
  message: string;
}

/**
 * Lints the snippets with the repository's own eslint.config.mjs. In a child process: ESLint loads
 * its (ES module) config with a dynamic import, which Jest's module sandbox does not allow.
 */
function lint(snippets: Snippet[]): Reported[][] {
  const script = `
    const { ESLint } = require('eslint');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const results = [];
      for (const { code, filePath } of JSON.parse(input)) {
        const [result] = await eslint.lintText(code, { filePath });
        results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
      }
      process.stdout.write(JSON.stringify(results));
    });`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
    timeout: 100_000,
  });
  return JSON.parse(output) as Reported[][];
}

const importOf = (specifier: string) => `import '${specifier}';\n`;

const cases = BOUNDARIES.flatMap((boundary) => [
  ...boundary.forbidden.map((specifier) => ({ boundary, specifier, forbidden: true })),
  ...boundary.allowed.map((specifier) => ({ boundary, specifier, forbidden: false })),
]);
const formCases = Object.entries(FORMS).map(([form, code]) => ({ form, code }));

describe('import direction rules (eslint.config.mjs)', () => {
  let reported: Reported[][];
  let reportedForms: Reported[][];
  let reportedOutside: Reported[];

  beforeAll(() => {
    const results = lint([
      ...cases.map(({ boundary, specifier }) => ({
        code: importOf(specifier),
        filePath: join(ROOT, boundary.file),
      })),
      ...formCases.map(({ code }) => ({
        code: code('../write/streams'),
        filePath: join(ROOT, 'src/read/example.ts'),
      })),
      // Tests may reach into any layer.
      {
        code: importOf('../../src/write/streams') + importOf('../../src/platform/clock'),
        filePath: join(ROOT, 'test/e2e/example.spec.ts'),
      },
    ]);
    reported = results.slice(0, cases.length);
    reportedForms = results.slice(cases.length, cases.length + formCases.length);
    reportedOutside = results[results.length - 1];
  }, 120_000);

  /** The boundary messages of one snippet; a parse error fails the case instead of passing it. */
  const boundaryMessages = (messages: Reported[]) => {
    const fatal = messages.filter((message) => message.ruleId === null);
    expect(fatal).toEqual([]);
    return messages.filter((message) => message.ruleId === RULE).map(({ message }) => message);
  };

  it.each(cases.map((testCase, index) => [testCase.boundary.file, testCase.specifier, index]))(
    '%s importing %s',
    (_file, _specifier, index) => {
      const { boundary, specifier, forbidden } = cases[index as number];
      const messages = boundaryMessages(reported[index as number]);
      if (forbidden) {
        expect(messages).toContainEqual(
          expect.stringContaining(`'${specifier}': ${boundary.direction}`),
        );
      } else {
        expect(messages).toEqual([]);
      }
    },
  );

  it.each(formCases.map(({ form }, index) => [form, index]))(
    'a forbidden module named by %s is reported',
    (_form, index) => {
      expect(boundaryMessages(reportedForms[index as number])).toEqual([
        expect.stringContaining("'../write/streams': src/read →"),
      ]);
    },
  );

  it('says which direction is forbidden and why', () => {
    const [message] = boundaryMessages(reported[0]);
    expect(message).toMatch(/^'[^']+': src\/domain → .+ is forbidden: .{20,}/);
  });

  it('leaves files outside the rules (tests) free to import any layer', () => {
    expect(boundaryMessages(reportedOutside)).toEqual([]);
  });
});
