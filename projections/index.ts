import { discoverReadModels } from '../src/read/discover-read-models';

/** Every read model: one folder each, found at start. Adding one: docs/adding-a-projection.md. */
export const READ_MODELS = discoverReadModels(__dirname);

/** Their projections, which the engine keeps up to date. */
export const PROJECTIONS = READ_MODELS.map((readModel) => readModel.projection);
