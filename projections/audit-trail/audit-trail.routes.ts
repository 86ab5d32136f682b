import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import type { AuditEntry } from './audit-trail.projection';
import type { Page } from '../recipient-registry/recipient-registry.queries';
import { Roles } from '../../src/http/auth/roles.decorator';
import { PagedReadQuery } from '../../src/http/read-query.dto';
import { IsDateOrInstant, IsText, LowerCase } from '../../src/http/text.validators';
import { GetAuditTrail } from './audit-trail.read';

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
  @IsDateOrInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded on or before (a date counts to its end)' })
  @IsOptional()
  @IsDateOrInstant()
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
