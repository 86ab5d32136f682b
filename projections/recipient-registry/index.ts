import type { ReadModel } from '../../src/read/read-model';
import { recipientRegistryProjection } from './recipient-registry.projection';
import { RecipientsController } from './recipient-registry.routes';

export const readModel: ReadModel = {
  projection: recipientRegistryProjection,
  routes: [RecipientsController],
};
