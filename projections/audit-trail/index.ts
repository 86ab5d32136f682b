import type { ReadModel } from '../../src/read/read-model';
import { auditTrailProjection } from './audit-trail.projection';
import { AuditTrailController } from './audit-trail.routes';

export const readModel: ReadModel = {
  projection: auditTrailProjection,
  routes: [AuditTrailController],
};
