import { Controller, Get, Inject, Query as QueryParams, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import {
  recipientRegistryProjection,
  type RecipientDocument,
} from './recipient-registry.projection';
import {
  recipientFilter,
  recipientView,
  type RecipientFilters,
  type RecipientView,
} from './recipient-registry.queries';
import { holds, NAME_ROLES, PHONE_ROLES, RecipientSearchParams } from './recipient-registry.routes';
import { CurrentPrincipal, type Principal } from '../../src/http/auth/principal';
import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import { CLOCK, type Clock } from '../../src/platform/clock';
import { ReadModelQuery } from '../../src/read/read-model-query';
import { ApiRead, CONTENT_DISPOSITION, FILE_CONTENT } from '../../src/http/api-responses';
import { Roles } from '../../src/http/auth/roles.decorator';
import {
  attachment,
  CONTENT_TYPES,
  CsvDelimiterParam,
  EXPORT_FORMATS,
  type CsvDelimiter,
  type ExportFormat,
} from '../../src/read/export/export-format';
import { toCsv } from '../../src/read/export/csv-writer';
import type { ExportColumn, ExportTable } from '../../src/read/export/export-table';
import { xlsxFile } from '../../src/read/export/xlsx-file';
import { witaDateOf } from '../../src/read/wita-time';

class ExportFormatParams {
  @ApiPropertyOptional({ enum: EXPORT_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` })
  format: ExportFormat = 'csv';

  @CsvDelimiterParam()
  delimiter?: CsvDelimiter;
}

/** The registry's own filters (and minPosition), without paging: an export holds every match. */
export class RecipientExportParams extends IntersectionType(
  PickType(RecipientSearchParams, [
    'q',
    'regencyCode',
    'kind',
    'status',
    'standing',
    'year',
    'minPosition',
  ] as const),
  ExportFormatParams,
) {}

const joined = (values: readonly string[]) => (values.length === 0 ? null : values.join('; '));

/**
 * The registry as the list shows it to the caller's role (recipientView): names and masked NIKs,
 * members, standing, the aid, the latest visit; the phone number only to those who call. Codes
 * are text, rupiah and counts numbers, dates real dates.
 */
export function registryColumns({
  withPhone,
}: {
  withPhone: boolean;
}): ExportColumn<RecipientView>[] {
  return [
    { header: 'recipient_id', kind: 'text', value: (d) => d.recipientId },
    { header: 'kind', kind: 'text', value: (d) => d.kind },
    { header: 'regency_code', kind: 'text', value: (d) => d.regencyCode },
    { header: 'regency_name', kind: 'text', value: (d) => d.regencyName },
    {
      header: 'moved_from_regency_code',
      kind: 'text',
      value: (d) => d.movedFrom?.regencyCode ?? null,
    },
    { header: 'moved_on', kind: 'date', value: (d) => d.movedFrom?.movedOn ?? null },
    { header: 'name', kind: 'text', value: (d) => d.name },
    ...(withPhone
      ? [
          {
            header: 'phone',
            kind: 'text',
            value: (d) => d.phone ?? null,
          } as ExportColumn<RecipientView>,
        ]
      : []),
    { header: 'business_type', kind: 'text', value: (d) => d.businessType },
    { header: 'masked_niks', kind: 'text', value: (d) => d.maskedNiks.join(' ') },
    {
      header: 'members',
      kind: 'text',
      value: (d) => joined(d.members?.map((m) => `${m.name} (${m.role}, ${m.nikMasked})`) ?? []),
    },
    {
      header: 'former_members',
      kind: 'text',
      value: (d) =>
        joined(
          d.formerMembers.map(
            (m) => `${m.name} (${m.role}, ${m.nikMasked}, ${m.departure} ${m.leftOn})`,
          ),
        ),
    },
    { header: 'standing', kind: 'text', value: (d) => d.standing },
    { header: 'standing_on', kind: 'date', value: (d) => d.standingOn },
    { header: 'status', kind: 'text', value: (d) => d.status },
    { header: 'registered_at', kind: 'timestamp', value: (d) => d.registeredAt },
    {
      header: 'disbursement_id',
      kind: 'text',
      value: (d) => d.disbursement?.disbursementId ?? null,
    },
    { header: 'aid_year', kind: 'integer', value: (d) => d.disbursement?.year ?? null },
    { header: 'aid_form', kind: 'text', value: (d) => d.disbursement?.form ?? null },
    { header: 'value_rupiah', kind: 'rupiah', value: (d) => d.disbursement?.valueRupiah ?? null },
    { header: 'disbursed_on', kind: 'date', value: (d) => d.disbursement?.disbursedOn ?? null },
    { header: 'reversed_on', kind: 'date', value: (d) => d.disbursement?.reversedOn ?? null },
    {
      header: 'reversal_reason',
      kind: 'text',
      value: (d) => d.disbursement?.reversalReason ?? null,
    },
    {
      header: 'latest_visit_on',
      kind: 'date',
      value: (d) => d.latestMonitoring?.visitDate ?? null,
    },
    {
      header: 'business_status',
      kind: 'text',
      value: (d) => d.latestMonitoring?.businessStatus ?? null,
    },
    {
      header: 'monthly_turnover_rupiah',
      kind: 'rupiah',
      value: (d) => d.latestMonitoring?.monthlyTurnoverRupiah ?? null,
    },
    { header: 'workers', kind: 'integer', value: (d) => d.latestMonitoring?.workers ?? null },
    {
      header: 'workers_from_poor_households',
      kind: 'integer',
      value: (d) => d.latestMonitoring?.workersFromPoorHouseholds ?? null,
    },
    {
      header: 'challenges',
      kind: 'text',
      value: (d) => d.latestMonitoring?.challenges.join(' ') || null,
    },
    { header: 'mentoring_sessions', kind: 'integer', value: (d) => d.mentoringCount },
    { header: 'exhibitions', kind: 'integer', value: (d) => d.exhibitionCount },
  ];
}

const PAGE = 1000;

/**
 * Every matching recipient in registry order, read a page at a time after the last position
 * seen (not by offset, so a recipient changing status meanwhile shifts no page).
 */
async function allRecipients(
  store: ReadStore,
  collection: string,
  filters: RecipientFilters,
): Promise<RecipientDocument[]> {
  const filter = recipientFilter(filters);
  const documents: RecipientDocument[] = [];
  for (let after = -1; ;) {
    const page = await store.find<RecipientDocument>(collection, {
      filter: { ...filter, registeredPosition: { gt: after } },
      sort: { field: 'registeredPosition', direction: 'asc' },
      limit: PAGE,
    });
    documents.push(...page);
    if (page.length < PAGE) return documents;
    after = page[page.length - 1].registeredPosition;
  }
}

@ApiTags('recipients')
@Controller('recipients/export')
// The roles that see names: a viewer (the public dashboard) gets counts only, so no export.
@Roles(...NAME_ROLES)
export class RecipientRegistryExportController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The registry as a file, CSV (`,` or `;`) or xlsx, with the list's filters, in registry order. */
  @Get()
  @ApiRead({
    operationId: 'exportRecipients',
    summary: 'The registry as a CSV or xlsx file, with the list’s filters',
    content: FILE_CONTENT,
    headers: { 'Content-Disposition': CONTENT_DISPOSITION },
  })
  async export(
    @QueryParams() params: RecipientExportParams,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string | StreamableFile> {
    const minPosition = params.minPosition === undefined ? undefined : BigInt(params.minPosition);
    const { q, regencyCode, kind, status, standing, year } = params;
    const filters: RecipientFilters = { q, regencyCode, kind, status, standing, year };
    const documents = await this.queryBus.execute(
      new ReadModelQuery(recipientRegistryProjection.name, minPosition, (store, collection) =>
        allRecipients(store, collection, filters),
      ),
    );
    const withPhone = holds(principal, PHONE_ROLES);
    const table: ExportTable<RecipientView> = {
      title: 'Recipients',
      columns: registryColumns({ withPhone }),
      rows: documents.map((document) => recipientView(document, { withPhone })),
    };
    response.setHeader('Content-Type', CONTENT_TYPES[params.format]);
    response.setHeader(
      'Content-Disposition',
      attachment(`recipients-${witaDateOf(this.clock.now())}`, params.format),
    );
    return params.format === 'csv' ? toCsv(table, params.delimiter) : xlsxFile(table);
  }
}
