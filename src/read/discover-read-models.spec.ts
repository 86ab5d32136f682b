import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverReadModels } from './discover-read-models';

/** Folders written as plain CommonJS, so that the spec needs no compiler. */
describe('discoverReadModels', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'bansos-read-models-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function folder(name: string, index: string): void {
    mkdirSync(join(directory, name));
    writeFileSync(join(directory, name, 'index.js'), index);
  }

  const projection = (name: string) =>
    `{ name: '${name}', version: 1, indexes: [], handles: [], documentIds: () => [], evolve: (d) => d }`;

  it('finds every folder that exports a read model, in name order, and ignores loose files', () => {
    folder('zeta', `exports.readModel = { projection: ${projection('zeta')}, routes: [] };`);
    folder(
      'alpha',
      `exports.readModel = { projection: ${projection('alpha')}, routes: [class A {}] };`,
    );
    writeFileSync(join(directory, 'index.js'), 'module.exports = {};');
    const found = discoverReadModels(directory);
    expect(found.map((readModel) => readModel.projection.name)).toEqual(['alpha', 'zeta']);
    expect(found[0].routes).toHaveLength(1);
  });

  it.each([
    ['no readModel export', 'exports.other = 1;', /must export readModel/],
    [
      'a projection that is not one',
      'exports.readModel = { projection: {}, routes: [] };',
      /projection definition/,
    ],
    [
      'a projection named apart from its folder',
      `exports.readModel = { projection: ${projection('other')}, routes: [] };`,
      /named other; name it broken/,
    ],
    [
      'routes that are not controllers',
      `exports.readModel = { projection: ${projection('broken')}, routes: ['x'] };`,
      /list of controllers/,
    ],
  ])('stops at start on a folder with %s, naming the folder', (_case, index, message) => {
    folder('broken', index);
    expect(() => discoverReadModels(directory)).toThrow(message);
    expect(() => discoverReadModels(directory)).toThrow(/projections\/broken\/index/);
  });
});
