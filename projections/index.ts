import type { ProjectionDefinition } from '../src/platform/projection-engine/projection';
import { auditTrailProjection } from './audit-trail/audit-trail.projection';
import { mentoringPartnersProjection } from './mentoring-partners/mentoring-partners.projection';
import { monitoringOutcomesProjection } from './monitoring-outcomes/monitoring-outcomes.projection';
import { quotaProgressProjection } from './quota-progress/quota-progress.projection';
import { recipientRegistryProjection } from './recipient-registry/recipient-registry.projection';

/** Every read model the engine keeps up to date. Adding one: docs/adding-a-projection.md. */
export const PROJECTIONS: readonly ProjectionDefinition[] = [
  quotaProgressProjection,
  recipientRegistryProjection,
  auditTrailProjection,
  monitoringOutcomesProjection,
  mentoringPartnersProjection,
] as ProjectionDefinition[];
