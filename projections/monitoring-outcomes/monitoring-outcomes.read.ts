import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { monitoringOutcomesProjection } from './monitoring-outcomes.projection';
import { monitoringOutcomes, type MonitoringOutcomes } from './monitoring-outcomes.queries';
import { ReadModels } from '../../src/platform/projection-engine/read-models';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';

export class GetMonitoringOutcomes extends Query<MonitoringOutcomes> {
  constructor(
    readonly search: { year?: number; regencyCode?: string },
    readonly minPosition: bigint | undefined,
  ) {
    super();
  }
}

@QueryHandler(GetMonitoringOutcomes)
export class GetMonitoringOutcomesHandler implements IQueryHandler<GetMonitoringOutcomes> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ search, minPosition }: GetMonitoringOutcomes): Promise<MonitoringOutcomes> {
    const { name } = monitoringOutcomesProjection;
    return this.readModels.read(name, minPosition, (collection) =>
      monitoringOutcomes(this.readStore, collection, search),
    );
  }
}
