import type { ReadModel } from '../../src/read/read-model';
import { mentoringPartnersProjection } from './mentoring-partners.projection';
import { MentoringPartnersController } from './mentoring-partners.routes';

export const readModel: ReadModel = {
  projection: mentoringPartnersProjection,
  routes: [MentoringPartnersController],
};
