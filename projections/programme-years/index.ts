import type { ReadModel } from '../../src/read/read-model';
import { programmeYearsProjection } from './programme-years.projection';
import { ProgrammeController } from './programme-years.routes';

export const readModel: ReadModel = {
  projection: programmeYearsProjection,
  routes: [ProgrammeController],
};
