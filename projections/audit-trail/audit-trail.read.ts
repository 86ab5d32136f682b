import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { auditTrailProjection, type AuditEntry } from './audit-trail.projection';
import { findAuditEntries, type AuditSearch } from './audit-trail.queries';
import type { Page } from '../recipient-registry/recipient-registry.queries';
import { ReadModels } from '../../src/platform/projection-engine/read-models';
import { READ_STORE, type ReadStore } from '../../src/platform/read-store/read-store.port';

export class GetAuditTrail extends Query<Page<AuditEntry>> {
  constructor(
    readonly search: AuditSearch,
    readonly minPosition: bigint | undefined,
  ) {
    super();
  }
}

@QueryHandler(GetAuditTrail)
export class GetAuditTrailHandler implements IQueryHandler<GetAuditTrail> {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ search, minPosition }: GetAuditTrail): Promise<Page<AuditEntry>> {
    const { name } = auditTrailProjection;
    return this.readModels.read(name, minPosition, (collection) =>
      findAuditEntries(this.readStore, collection, search),
    );
  }
}
