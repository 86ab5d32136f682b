import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ROLES } from '../../src/config/app.config';
import { ApiRead } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { ReadQuery } from '../../src/read/read-query.dto';
import { programmeYearsProjection } from './programme-years.projection';
import { programmeYears, type ProgrammeAnswer } from './programme-years.queries';
import { Programme } from './programme-years.responses';

@ApiTags('programme')
@Controller('programme')
export class ProgrammeController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The programme's years: each kind's target, ceiling and allocations. Any role may read it. */
  @Get()
  @Roles(...ROLES)
  @ApiRead({
    operationId: 'getProgramme',
    summary: 'The programme: each year’s targets, ceilings and allocations',
    answer: Programme,
  })
  get(@QueryParams() params: ReadQuery): Promise<ProgrammeAnswer> {
    return this.queryBus.execute(
      new ReadModelQuery(programmeYearsProjection.name, params.minimumPosition, programmeYears),
    );
  }
}
