import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/**
 * What `npm run client:generate` writes, made in memory by openapi-typescript's API (the same
 * header, default options). It runs in a Node process of its own because a dependency of
 * openapi-typescript is an ES module that jest's module system cannot load.
 */
async function generatedSchema(): Promise<string> {
  const program = `
    import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
    import { pathToFileURL } from 'node:url';
    const ast = await openapiTS(pathToFileURL('openapi/openapi.json'), { silent: true });
    process.stdout.write(COMMENT_HEADER + astToString(ast));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', program],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Where two texts part, as `line N` with both lines; undefined when they are equal. */
function firstDifference(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined;
  const [left, right] = [committed.split('\n'), generated.split('\n')];
  const line = left.findIndex((text, index) => text !== right[index]);
  const at = line === -1 ? left.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(left[at])}, generated ${JSON.stringify(right[at])}`;
}

/** client/src/schema.d.ts is committed: the client and the e2e helpers compile against it. */
describe('the typed client', () => {
  it('is generated from the current OpenAPI snapshot (else: npm run client:generate)', async () => {
    const generated = await generatedSchema();

    expect(generated).toContain('export interface paths {');
    expect(firstDifference(read('client/src/schema.d.ts'), generated)).toBeUndefined();
  });

  it('is versioned with the service and depends on the openapi-fetch it is tested with', () => {
    const service = JSON.parse(read('package.json')) as {
      version: string;
      devDependencies: Record<string, string>;
    };
    const client = JSON.parse(read('client/package.json')) as {
      version: string;
      dependencies: Record<string, string>;
    };

    expect(client.version).toBe(service.version);
    expect(client.dependencies).toEqual({
      'openapi-fetch': service.devDependencies['openapi-fetch'],
    });
  });
});
