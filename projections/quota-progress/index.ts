import type { ReadModel } from '../../src/read/read-model';
import { quotaProgressProjection } from './quota-progress.projection';
import { QuotaProgressController } from './quota-progress.routes';

export const readModel: ReadModel = {
  projection: quotaProgressProjection,
  routes: [QuotaProgressController],
};
