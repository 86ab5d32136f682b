import type { Type } from '@nestjs/common';
import type { AnyProjection } from '../platform/projection-engine/projection';

/**
 * One read model, as its folder under projections/ exports it (`export const readModel`): the
 * projection the engine keeps up to date and the controllers that serve it over HTTP.
 */
export interface ReadModel {
  projection: AnyProjection;
  routes: readonly Type[];
}
