import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { RecipientDocument } from './recipient-registry.projection';
import type { Page } from './recipient-registry.queries';
import { AID_KINDS } from '../../src/domain/programme/aid-programme';
import { Roles } from '../../src/http/auth/roles.decorator';
import { PagedReadQuery, ReadQuery } from '../../src/http/read-query.dto';
import { RecipientParams } from '../../src/http/recipient.params';
import { IsRegencyCode } from '../../src/http/text.validators';
import { FindRecipients, GetRecipient } from './recipient-registry.read';

const STATUSES = ['registered', 'aided', 'reversed'] as const;

export class RecipientSearchParams extends PagedReadQuery {
  @ApiPropertyOptional({ example: '64.72' })
  @IsOptional()
  @IsRegencyCode()
  regencyCode?: string;

  @ApiPropertyOptional({ enum: AID_KINDS })
  @IsOptional()
  @IsIn(AID_KINDS, { message: `kind must be one of ${AID_KINDS.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: string;
}

@Controller('recipients')
@Roles('viewer', 'auditor', 'admin')
export class RecipientsController {
  constructor(private readonly queryBus: QueryBus) {}

  /** The registry: recipients with masked NIKs, status, aid and latest monitoring. */
  @Get()
  find(@QueryParams() params: RecipientSearchParams): Promise<Page<RecipientDocument>> {
    const { regencyCode, kind, status, limit, offset } = params;
    return this.queryBus.execute(
      new FindRecipients({ regencyCode, kind, status, limit, offset }, params.minimumPosition),
    );
  }

  @Get(':id')
  get(
    @Param() params: RecipientParams,
    @QueryParams() query: ReadQuery,
  ): Promise<RecipientDocument> {
    return this.queryBus.execute(new GetRecipient(params.id, query.minimumPosition));
  }
}
