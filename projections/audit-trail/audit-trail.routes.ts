import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { auditTrailProjection, type AuditEntry } from './audit-trail.projection';
import type { Page } from '../../src/read/page';
import { ApiRead } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { PagedReadQuery } from '../../src/read/read-query.dto';
import { IsDateOrInstant, IsText, LowerCase } from '../../src/http/text.validators';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { findAuditEntries } from './audit-trail.queries';
import { AuditTrailPage } from './audit-trail.responses';

export class AuditTrailParams extends PagedReadQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @LowerCase()
  @IsUUID('all', { message: 'recipientId must be a recipient id (a UUID)' })
  recipientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText(200)
  actor?: string;

  @ApiPropertyOptional({
    description:
      'Recorded on or after: a day (YYYY-MM-DD, from midnight WITA, UTC+8) or an ISO instant with Z or an offset (2025-03-15T10:00:00.000+08:00, as exports write it; + is %2B in a URL)',
  })
  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({
    description:
      'Recorded on or before: a day counts to its end (midnight WITA), or an ISO instant with Z or an offset',
  })
  @IsOptional()
  @IsDateOrInstant()
  to?: string;
}

@ApiTags('audit')
@Controller('audit/trail')
export class AuditTrailController {
  constructor(private readonly queryBus: QueryBus) {}

  /** One entry per event, in log order: who did what, when, and why (correlation, causation). */
  @Get()
  @Roles('auditor')
  @ApiRead({
    operationId: 'getAuditTrail',
    summary: 'The audit trail: one entry per event, in log order',
    answer: AuditTrailPage,
  })
  get(@QueryParams() params: AuditTrailParams): Promise<Page<AuditEntry>> {
    const { recipientId, actor, from, to, limit, offset } = params;
    const search = { recipientId, actor, from, to, limit, offset };
    return this.queryBus.execute(
      new ReadModelQuery(auditTrailProjection.name, params.minimumPosition, (store, collection) =>
        findAuditEntries(store, collection, search),
      ),
    );
  }
}
