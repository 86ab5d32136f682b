import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { ReadQuery } from '../../src/read/read-query.dto';
import {
  mentoringPartnersProjection,
  type MentoringPartnerDocument,
} from './mentoring-partners.projection';
import { busiestPartners } from './mentoring-partners.queries';

export class MentoringPartnersParams extends ReadQuery {
  @ApiProperty({ example: 2025 })
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000, { message: 'year must be 2000 or later' })
  @Max(9999, { message: 'year must be at most 9999' })
  year!: number;

  @ApiPropertyOptional({ default: 10, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(100, { message: 'limit must be at most 100' })
  limit = 10;
}

@Controller('monitoring/mentoring-partners')
export class MentoringPartnersController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Who mentored the aided businesses in a year, and how often: busiest partner first. */
  @Get()
  @Roles('viewer', 'auditor', 'admin')
  get(@QueryParams() params: MentoringPartnersParams): Promise<MentoringPartnerDocument[]> {
    const { year, limit } = params;
    return this.queryBus.execute(
      new ReadModelQuery(
        mentoringPartnersProjection.name,
        params.minimumPosition,
        (store, collection) => busiestPartners(store, collection, year, limit),
      ),
    );
  }
}
