import { Module } from '@nestjs/common';
import { AuditTrailController } from './query-audit-trail/audit-trail.controller';
import { GetAuditTrailHandler } from './query-audit-trail/audit-trail.query';
import { MonitoringOutcomesController } from './query-monitoring-outcomes/monitoring-outcomes.controller';
import { GetMonitoringOutcomesHandler } from './query-monitoring-outcomes/monitoring-outcomes.query';
import { QuotaProgressController } from './query-quota-progress/quota-progress.controller';
import { GetQuotaProgressHandler } from './query-quota-progress/quota-progress.query';
import { RecipientsController } from './query-recipients/recipients.controller';
import { FindRecipientsHandler, GetRecipientHandler } from './query-recipients/recipients.query';

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
