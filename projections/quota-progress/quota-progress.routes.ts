import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { quotaProgress, type QuotaProgressReport } from './quota-progress.queries';
import { quotaProgressProjection } from './quota-progress.projection';
import { QuotaProgress } from './quota-progress.responses';
import { ApiRead, YEAR_PARAM } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadQuery } from '../../src/read/read-query.dto';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { WholeNumber, YEARS } from '../../src/http/number.validators';

export class QuotaProgressParams extends ReadQuery {
  @ApiPropertyOptional({ ...YEAR_PARAM, description: 'One programme year; all years when omitted' })
  @IsOptional()
  @WholeNumber('year', YEARS.min, YEARS.max)
  year?: number;
}

@ApiTags('programme')
@Controller('quota-progress')
export class QuotaProgressController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Target, allocations, disbursed, reversed, rupiah and remaining, per kind and per regency/city. */
  @Get()
  @Roles('viewer', 'auditor', 'admin')
  @ApiRead({
    operationId: 'getQuotaProgress',
    summary: 'Quota progress per kind and per regency/city',
    answer: QuotaProgress,
  })
  get(@QueryParams() params: QuotaProgressParams): Promise<QuotaProgressReport> {
    const { name } = quotaProgressProjection;
    return this.queryBus.execute(
      new ReadModelQuery(name, params.minimumPosition, (store, collection) =>
        quotaProgress(store, collection, params.year),
      ),
    );
  }
}
