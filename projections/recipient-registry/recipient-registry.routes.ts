import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query as QueryParams,
  Req,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateBy } from 'class-validator';
import { notFound } from '../../src/domain/domain-error';
import { AID_KINDS } from '../../src/domain/programme/aid-programme';
import type { Role } from '../../src/config/app.config';
import {
  CurrentPrincipal,
  type AuthenticatedRequest,
  type Principal,
} from '../../src/http/auth/principal';
import { ApiRead, YEAR_PARAM } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import { InvalidInputException } from '../../src/http/field-errors';
import { WholeNumber, YEARS } from '../../src/http/number.validators';
import { RecipientParams } from '../../src/http/recipient.params';
import { IsNikText, IsRegencyCode } from '../../src/http/text.validators';
import { NIK_HASHER, type NikHasher } from '../../src/platform/command-handling/nik-hasher';
import type { Page } from '../../src/read/page';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { PagedReadQuery, ReadQuery } from '../../src/read/read-query.dto';
import {
  recipientRegistryProjection,
  STANDINGS,
  STATUSES,
  type RecipientDocument,
} from './recipient-registry.projection';
import {
  countRecipients,
  findRecipients,
  RECIPIENT_SORTS,
  recipientHoldingNik,
  recipientView,
  type NikHolder,
  type RecipientSearch,
  type RecipientSort,
  type RecipientView,
} from './recipient-registry.queries';
import {
  NikLookup,
  Recipient,
  RecipientCount as RecipientCountAnswer,
  RecipientPage,
} from './recipient-registry.responses';
import { foldedWords } from './recipient-registry.search';

const { name } = recipientRegistryProjection;

/**
 * Who sees what of the registry. Names and masked NIKs: the roles that find, correct, follow up
 * or audit a recipient. The phone number: those who call her (operators, monitors in the field).
 * A viewer (the public dashboard's token) gets counts only.
 */
export const NAME_ROLES: Role[] = ['operator', 'monitor', 'auditor', 'admin'];
export const PHONE_ROLES: Role[] = ['operator', 'monitor'];

/** Whether the caller holds one of `roles` (a token with several roles gets the widest view). */
export const holds = (principal: Principal, roles: readonly Role[]) =>
  principal.roles.some((role) => roles.includes(role));

/** More words than a name has would only make the search slower, never better. */
const MAX_SEARCH_WORDS = 8;

export class RecipientSearchParams extends PagedReadQuery {
  @ApiPropertyOptional({
    description:
      'A fragment of a name: each word must begin a word of the woman’s name, or of the KUBe’s ' +
      'group name or a member’s name; case and accents do not matter ("siti ami" finds Sití Aminah)',
    example: 'siti',
  })
  @IsOptional()
  @IsString({ message: 'q must be text' })
  @Length(1, 100, { message: 'q must be 1 to 100 characters' })
  @ValidateBy({
    name: 'containsLetterOrDigit',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || foldedWords(value).length > 0,
      defaultMessage: () => 'q must contain a letter or a digit',
    },
  })
  @ValidateBy({
    name: 'maxWords',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || foldedWords(value).length <= MAX_SEARCH_WORDS,
      defaultMessage: () => `q must have at most ${MAX_SEARCH_WORDS} words`,
    },
  })
  q?: string;

  @ApiPropertyOptional({ example: '64.72', description: 'The regency/city she lives in now' })
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

  @ApiPropertyOptional({ enum: STANDINGS, description: 'Life standing' })
  @IsOptional()
  @IsIn(STANDINGS, { message: `standing must be one of ${STANDINGS.join(', ')}` })
  standing?: string;

  @ApiPropertyOptional({
    ...YEAR_PARAM,
    description: 'The year of the aid she holds (or held, if reversed)',
  })
  @IsOptional()
  @WholeNumber('year', YEARS.min, YEARS.max)
  year?: number;

  @ApiPropertyOptional({
    enum: RECIPIENT_SORTS,
    default: 'registered',
    description:
      'registered: oldest first; -registered: newest first; name: A to Z (accents ignored); ' +
      'regency: by Kemendagri code. Ties keep the order of registration.',
  })
  @IsOptional()
  @IsIn(RECIPIENT_SORTS, { message: `sort must be one of ${RECIPIENT_SORTS.join(', ')}` })
  sort?: RecipientSort;
}

export class NikLookupBody {
  @ApiProperty({ description: 'The NIK to look for (16 digits)' })
  @IsNikText()
  nik!: string;
}

/** What a viewer gets of a search: how many match, no one's details. */
export type RecipientCount = Omit<Page<never>, 'items'>;

export interface NikLookupAnswer {
  holder: NikHolder;
  recipient: RecipientView;
}

@ApiTags('recipients')
@Controller('recipients')
export class RecipientsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(NIK_HASHER) private readonly hasher: NikHasher,
  ) {}

  /**
   * The registry, searched and filtered: recipients with masked NIKs, standing, aid and latest
   * monitoring. A viewer gets the total only, and cannot search by name (a count of one name
   * would tell whether that person is in the programme).
   */
  @Get()
  @Roles('viewer', ...NAME_ROLES)
  @ApiRead({
    operationId: 'listRecipients',
    summary: 'List and search recipients (a viewer: counts only)',
    description:
      'A page of recipients (`RecipientPage`) for operators, monitors, auditors and admins; ' +
      'the count alone (`RecipientCount`) for a viewer, who may not search by name (`q`: 403).',
    models: [RecipientPage, RecipientCountAnswer],
    content: {
      'application/json': {
        schema: {
          anyOf: [
            { $ref: getSchemaPath(RecipientPage) },
            { $ref: getSchemaPath(RecipientCountAnswer) },
          ],
        },
      },
    },
  })
  async find(
    @QueryParams() params: RecipientSearchParams,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<RecipientView> | RecipientCount> {
    const { q, regencyCode, kind, status, standing, year, sort, limit, offset } = params;
    const search: RecipientSearch = {
      q,
      regencyCode,
      kind,
      status,
      standing,
      year,
      sort,
      limit,
      offset,
    };
    if (!holds(principal, NAME_ROLES)) {
      if (q !== undefined) {
        throw new ForbiddenException({
          code: 'FORBIDDEN',
          message: `Searching by name needs the role ${NAME_ROLES.join(' or ')}`,
        });
      }
      const total = await this.read(params.minimumPosition, (store, collection) =>
        countRecipients(store, collection, search),
      );
      return { total, limit, offset };
    }
    const page = await this.read(params.minimumPosition, (store, collection) =>
      findRecipients(store, collection, search),
    );
    const withPhone = holds(principal, PHONE_ROLES);
    return { ...page, items: page.items.map((item) => recipientView(item, { withPhone })) };
  }

  /**
   * The recipient holding a NIK: a woman, or a KUBe one of whose members (or former members)
   * holds it, matched by the NIK's keyed hash. POST, so that the NIK is in no URL and no log.
   */
  @Post('lookup')
  @HttpCode(200)
  @Roles(...NAME_ROLES)
  @ApiRead({
    operationId: 'findRecipientByNik',
    summary: 'Find the recipient holding a NIK',
    description:
      'The NIK travels in the body, never in a URL. Takes no Idempotency-Key: a lookup changes ' +
      'nothing, and a key is refused (400 INVALID_INPUT).',
    answer: NikLookup,
    withBody: true,
    errors: { 400: ['INVALID_NIK'], 404: ['RECIPIENT_NOT_FOUND'] },
  })
  async lookup(
    @Body() body: NikLookupBody,
    @QueryParams() query: ReadQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() request: AuthenticatedRequest,
  ): Promise<NikLookupAnswer> {
    // The idempotency layer would record the answer, names and all, in the event log: a lookup
    // changes nothing, so it has no use for a key and refuses one.
    if (request.header('idempotency-key') !== undefined) {
      throw new InvalidInputException([
        {
          field: 'Idempotency-Key',
          rule: 'whitelistValidation',
          message: 'Idempotency-Key is not taken by a lookup, which changes nothing',
        },
      ]);
    }
    const nikHash = this.hasher.hash(body.nik);
    const found = await this.read(query.minimumPosition, (store, collection) =>
      recipientHoldingNik(store, collection, nikHash),
    );
    if (!found) throw notFound('RECIPIENT_NOT_FOUND', 'No recipient holds this NIK');
    const withPhone = holds(principal, PHONE_ROLES);
    return { holder: found.holder, recipient: recipientView(found.recipient, { withPhone }) };
  }

  @Get(':id')
  @Roles(...NAME_ROLES)
  @ApiRead({
    operationId: 'getRecipient',
    summary: 'One recipient',
    answer: Recipient,
    errors: { 404: ['RECIPIENT_NOT_FOUND'] },
  })
  async get(
    @Param() params: RecipientParams,
    @QueryParams() query: ReadQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecipientView> {
    const found = await this.read(query.minimumPosition, (store, collection) =>
      store.get<RecipientDocument>(collection, params.id),
    );
    if (!found) throw notFound('RECIPIENT_NOT_FOUND', 'No such recipient');
    return recipientView(found, { withPhone: holds(principal, PHONE_ROLES) });
  }

  private read<Result>(
    minPosition: bigint | undefined,
    read: ConstructorParameters<typeof ReadModelQuery<Result>>[2],
  ): Promise<Result> {
    return this.queryBus.execute(new ReadModelQuery(name, minPosition, read));
  }
}
