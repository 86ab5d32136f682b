import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import type { AuditEntry } from '../../../projections/audit-trail/audit-trail.projection';
import type { Page } from '../../../projections/recipient-registry/recipient-registry.queries';
import { Roles } from '../auth/roles.decorator';
import { PagedReadQuery } from '../http/read-query.dto';
import { IsText, LowerCase } from '../http/text.validators';
import { GetAuditTrail } from './audit-trail.query';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

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
    description: 'Recorded on or after (YYYY-MM-DD or an ISO instant in UTC)',
  })
  @IsOptional()
  @Matches(INSTANT, { message: 'from must be a date (YYYY-MM-DD) or an instant (…Z)' })
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded on or before (a date counts to its end)' })
  @IsOptional()
  @Matches(INSTANT, { message: 'to must be a date (YYYY-MM-DD) or an instant (…Z)' })
  to?: string;
}

@Controller('audit/trail')
export class AuditTrailController {
  constructor(private readonly queryBus: QueryBus) {}

  /** One entry per event, in log order: who did what, when, and why (correlation, causation). */
  @Get()
  @Roles('auditor')
  get(@QueryParams() params: AuditTrailParams): Promise<Page<AuditEntry>> {
    const { recipientId, actor, from, to, limit, offset } = params;
    return this.queryBus.execute(
      new GetAuditTrail({ recipientId, actor, from, to, limit, offset }, params.minimumPosition),
    );
  }
}
