import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { quotaProgressProjection } from './quota-progress.projection';
import { quotaProgress, type QuotaProgressReport } from './quota-progress.queries';
import { ReadModels } from '../../src/platform/projection-engine/read-models';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';

export class GetQuotaProgress extends Query<QuotaProgressReport> {
  constructor(
    readonly year: number | undefined,
    readonly minPosition: bigint | undefined,
  ) {
    super();
  }
}

@QueryHandler(GetQuotaProgress)
export class GetQuotaProgressHandler implements IQueryHandler<GetQuotaProgress> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ year, minPosition }: GetQuotaProgress): Promise<QuotaProgressReport> {
    const { name } = quotaProgressProjection;
    return this.readModels.read(name, minPosition, (collection) =>
      quotaProgress(this.readStore, collection, year),
    );
  }
}
