import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');
const TSCONFIG = join(ROOT, 'src/dashboard/assets/tsconfig.json');

/** The dashboard's tsconfig as the compiler reads it. */
function dashboardConfig(): ts.ParsedCommandLine {
  const config = ts.getParsedCommandLineOfConfigFile(
    TSCONFIG,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`${TSCONFIG} cannot be read`);
  return config;
}

/** What the compiler says about the dashboard's script, one line per complaint. */
function diagnostics(): string[] {
  const config = dashboardConfig();
  const program = ts.createProgram(config.fileNames, config.options);
  return [...config.errors, ...ts.getPreEmitDiagnostics(program)].map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${relative(ROOT, diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}

/**
 * The dashboard's script is plain JavaScript, served as it is, with JSDoc types from the
 * generated client schema: what it reads must be what the routes answer.
 */
describe('the dashboard script (src/dashboard/assets/dashboard.js)', () => {
  it('checks the script itself, strictly, without emitting anything', () => {
    const { fileNames, options } = dashboardConfig();

    expect(fileNames.map((file) => relative(ROOT, file))).toEqual([
      'src/dashboard/assets/dashboard.js',
    ]);
    expect(options).toMatchObject({ allowJs: true, checkJs: true, strict: true, noEmit: true });
  });

  it('type-checks against the OpenAPI document with the DOM: no diagnostics', () => {
    expect(diagnostics()).toEqual([]);
  });
});
