import type { ReadModel } from '../../src/read/read-model';
import { recipientRegistryProjection } from './recipient-registry.projection';
import { RecipientsController } from './recipient-registry.routes';
import { RecipientRegistryExportController } from './recipient-registry.export';

export const readModel: ReadModel = {
  projection: recipientRegistryProjection,
  // The export first: otherwise /recipients/export would be taken for /recipients/:id.
  routes: [RecipientRegistryExportController, RecipientsController],
};
