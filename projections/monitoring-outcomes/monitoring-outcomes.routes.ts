import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { monitoringOutcomes, type MonitoringOutcomes } from './monitoring-outcomes.queries';
import { monitoringOutcomesProjection } from './monitoring-outcomes.projection';
import { MonitoringOutcomes as MonitoringOutcomesAnswer } from './monitoring-outcomes.responses';
import { ApiRead, YEAR_PARAM } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadQuery } from '../../src/read/read-query.dto';
import { IsRegencyCode } from '../../src/http/text.validators';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { WholeNumber, YEARS } from '../../src/http/number.validators';

export class MonitoringOutcomesParams extends ReadQuery {
  @ApiPropertyOptional({ ...YEAR_PARAM, description: 'One programme year; all years when omitted' })
  @IsOptional()
  @WholeNumber('year', YEARS.min, YEARS.max)
  year?: number;

  @ApiPropertyOptional({ example: '64.72' })
  @IsOptional()
  @IsRegencyCode()
  regencyCode?: string;
}

@ApiTags('monitoring')
@Controller('monitoring/outcomes')
export class MonitoringOutcomesController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Aided businesses by latest status, workers hired (from poor households too), challenges. */
  @Get()
  @Roles('viewer', 'auditor', 'admin')
  @ApiRead({
    operationId: 'getMonitoringOutcomes',
    summary: 'Aided businesses by latest status, workers and challenges',
    answer: MonitoringOutcomesAnswer,
  })
  get(@QueryParams() params: MonitoringOutcomesParams): Promise<MonitoringOutcomes> {
    const { year, regencyCode } = params;
    const { name } = monitoringOutcomesProjection;
    return this.queryBus.execute(
      new ReadModelQuery(name, params.minimumPosition, (store, collection) =>
        monitoringOutcomes(store, collection, { year, regencyCode }),
      ),
    );
  }
}
