import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadModel } from './read-model';

/**
 * The read models in `directory`: every folder in it that exports `readModel` from its index,
 * in name order. A folder is a read model by being there, so adding one touches nothing else;
 * a folder whose index exports no valid read model, or is named apart from its projection, stops
 * the service at start rather than going unserved.
 */
export function discoverReadModels(directory: string): ReadModel[] {
  const folders = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((folder) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- discovered, so not importable statically
    const exported = (require(join(directory, folder)) as { readModel?: unknown }).readModel;
    return checked(exported, folder);
  });
}

function checked(exported: unknown, folder: string): ReadModel {
  const where = `projections/${folder}/index`;
  if (typeof exported !== 'object' || exported === null)
    throw new Error(`${where} must export readModel ({ projection, routes })`);
  const { projection, routes } = exported as Partial<ReadModel>;
  if (!projection || typeof projection.evolve !== 'function' || !Array.isArray(projection.handles))
    throw new Error(`${where}: readModel.projection must be a projection definition`);
  if (projection.name !== folder)
    throw new Error(`${where}: the projection is named ${projection.name}; name it ${folder}`);
  if (!Array.isArray(routes) || routes.some((route) => typeof route !== 'function'))
    throw new Error(`${where}: readModel.routes must be a list of controllers (or [])`);
  return { projection, routes };
}
