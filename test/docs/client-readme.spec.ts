import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');
const README = join(ROOT, 'client/README.md');

/** The ```ts blocks of client/README.md, as written there. */
function examples(): string[] {
  const readme = readFileSync(README, 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, block]) => block);
}

/**
 * The compiler's complaints about `source` as a consumer's file would get them: strict, with the
 * package name resolved to the client's sources and the DOM's fetch types, not Node's.
 */
function diagnosticsOf(source: string): string[] {
  const file = join(ROOT, 'client/readme-example.ts');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: { '@bansos-ledger/client': ['client/src/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `example line ${line + 1}: ${message}`;
  });
}

describe('client/README.md', () => {
  it('has a usage example that compiles against the client', () => {
    const [example] = examples();

    expect(example).toContain("from '@bansos-ledger/client'");
    expect(diagnosticsOf(example)).toEqual([]);
  });

  it('would show a mistake in the example: a wrong path does not compile', () => {
    const [example] = examples();
    const broken = example.replace("'/api/v1/recipients'", "'/api/v1/recipient'");

    expect(broken).not.toBe(example);
    expect(diagnosticsOf(broken).length).toBeGreaterThan(0);
  });
});
