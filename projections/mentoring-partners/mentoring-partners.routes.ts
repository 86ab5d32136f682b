import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ApiRead, integerWithin, YEAR_PARAM } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { ReadQuery } from '../../src/read/read-query.dto';
import {
  mentoringPartnersProjection,
  type MentoringPartnerDocument,
} from './mentoring-partners.projection';
import { busiestPartners } from './mentoring-partners.queries';
import { MentoringPartner } from './mentoring-partners.responses';
import { WholeNumber, YEARS } from '../../src/http/number.validators';

export class MentoringPartnersParams extends ReadQuery {
  @ApiProperty({ ...YEAR_PARAM, example: 2025 })
  @WholeNumber('year', YEARS.min, YEARS.max)
  year!: number;

  @ApiPropertyOptional({ ...integerWithin(1, 100), default: 10 })
  @IsOptional()
  @WholeNumber('limit', 1, 100)
  limit = 10;
}

@ApiTags('monitoring')
@Controller('monitoring/mentoring-partners')
export class MentoringPartnersController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Who mentored the aided businesses in a year, and how often: busiest partner first. */
  @Get()
  @Roles('viewer', 'auditor', 'admin')
  @ApiRead({
    operationId: 'listMentoringPartners',
    summary: 'The partners who mentored aided businesses in a year, busiest first',
    models: [MentoringPartner],
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(MentoringPartner) } },
      },
    },
  })
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
