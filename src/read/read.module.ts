import { Module } from '@nestjs/common';
import { AuditTrailController } from '../../projections/audit-trail/audit-trail.routes';
import { GetAuditTrailHandler } from '../../projections/audit-trail/audit-trail.read';
import { MonitoringOutcomesController } from '../../projections/monitoring-outcomes/monitoring-outcomes.routes';
import { GetMonitoringOutcomesHandler } from '../../projections/monitoring-outcomes/monitoring-outcomes.read';
import { QuotaProgressController } from '../../projections/quota-progress/quota-progress.routes';
import { GetQuotaProgressHandler } from '../../projections/quota-progress/quota-progress.read';
import { RecipientsController } from '../../projections/recipient-registry/recipient-registry.routes';
import {
  FindRecipientsHandler,
  GetRecipientHandler,
} from '../../projections/recipient-registry/recipient-registry.read';

/** The read side over HTTP: one controller and query handler per read model. */
@Module({
  controllers: [
    QuotaProgressController,
    RecipientsController,
    AuditTrailController,
    MonitoringOutcomesController,
  ],
  providers: [
    GetQuotaProgressHandler,
    FindRecipientsHandler,
    GetRecipientHandler,
    GetAuditTrailHandler,
    GetMonitoringOutcomesHandler,
  ],
})
export class ReadModelsModule {}
