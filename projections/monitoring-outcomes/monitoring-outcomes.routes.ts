import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional } from 'class-validator';
import type { MonitoringOutcomes } from './monitoring-outcomes.queries';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadQuery } from '../../src/http/read-query.dto';
import { IsRegencyCode } from '../../src/http/text.validators';
import { GetMonitoringOutcomes } from './monitoring-outcomes.read';

export class MonitoringOutcomesParams extends ReadQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  year?: number;

  @ApiPropertyOptional({ example: '64.72' })
  @IsOptional()
  @IsRegencyCode()
  regencyCode?: string;
}

@Controller('monitoring/outcomes')
export class MonitoringOutcomesController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Aided businesses by latest status, workers hired (from poor households too), challenges. */
  @Get()
  @Roles('viewer', 'auditor', 'admin')
  get(@QueryParams() params: MonitoringOutcomesParams): Promise<MonitoringOutcomes> {
    const { year, regencyCode } = params;
    return this.queryBus.execute(
      new GetMonitoringOutcomes({ year, regencyCode }, params.minimumPosition),
    );
  }
}
