import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  recipientRegistryProjection,
  type RecipientDocument,
} from './recipient-registry.projection';
import { findRecipients } from './recipient-registry.queries';
import type { Page } from '../../src/read/page';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { notFound } from '../../src/domain/domain-error';
import { AID_KINDS } from '../../src/domain/programme/aid-programme';
import { Roles } from '../../src/http/auth/roles.decorator';
import { PagedReadQuery, ReadQuery } from '../../src/read/read-query.dto';
import { RecipientParams } from '../../src/http/recipient.params';
import { IsRegencyCode } from '../../src/http/text.validators';

const { name } = recipientRegistryProjection;
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
    const search = { regencyCode, kind, status, limit, offset };
    return this.queryBus.execute(
      new ReadModelQuery(name, params.minimumPosition, (store, collection) =>
        findRecipients(store, collection, search),
      ),
    );
  }

  @Get(':id')
  async get(
    @Param() params: RecipientParams,
    @QueryParams() query: ReadQuery,
  ): Promise<RecipientDocument> {
    const found = await this.queryBus.execute(
      new ReadModelQuery(name, query.minimumPosition, (store, collection) =>
        store.get<RecipientDocument>(collection, params.id),
      ),
    );
    if (!found) throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
    return found;
  }
}
