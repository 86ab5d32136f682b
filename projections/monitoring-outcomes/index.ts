import type { ReadModel } from '../../src/read/read-model';
import { monitoringOutcomesProjection } from './monitoring-outcomes.projection';
import { MonitoringOutcomesController } from './monitoring-outcomes.routes';

export const readModel: ReadModel = {
  projection: monitoringOutcomesProjection,
  routes: [MonitoringOutcomesController],
};
