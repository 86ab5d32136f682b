import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query as QueryParams,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  quotaProgressReport,
  type QuotaProgressReport,
} from '../../projections/quota-progress/quota-progress.queries';
import { quotaProgressProjection } from '../../projections/quota-progress/quota-progress.projection';
import { historyTable, toCsv } from './history/history-format';
import type { DisbursementRecord } from './history/disbursement-history';
import { historyAsOf, projectionAsOf } from './replay-as-of';
import { LogSealer, type SealRecord } from './sealing/log-sealer';
import { verifyLog, type VerifyReport } from './verify/verify-log';
import { appConfig, type AppConfig } from '../config/app.config';
import { LEDGER_EVENT_STORE } from '../platform/event-store/create-event-store';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port';
import { DATA_KEY_STORE, type DataKeyStore } from '../platform/personal-data/personal-data';
import { READ_STORE, type ReadStore } from '../platform/read-store/read-store.port';
import type { AnyProjection } from '../platform/projection-engine/projection';
import { PROJECTIONS } from '../platform/projection-engine/projection-engine.module';
import { attachment, CONTENT_TYPES } from '../read/export/export-format';
import { xlsxFile } from '../read/export/xlsx-file';
import { CurrentPrincipal } from '../http/auth/principal';
import type { Principal } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { QuotaProgress } from '../../projections/quota-progress/quota-progress.responses';
import { ApiCommand, ApiRead, CONTENT_DISPOSITION, FILE_CONTENT } from '../http/api-responses';
import { DisbursementHistoryQuery, QuotaProgressAsOfQuery } from './audit.dto';
import {
  DisbursementRecord as DisbursementRecordAnswer,
  VerifyReport as VerifyReportAnswer,
} from './audit.responses';

/**
 * For auditors: answers computed from the event log itself, never from the read models, so that
 * they can be set against what the read models say. History and replays read the log as the
 * application does (personal fields decrypted, '[dihapus]' once erased); verify checks the chains
 * and seals on the ledger's store, over the ciphertext that was hashed.
 */
@ApiTags('audit')
@Controller('audit')
@Roles('auditor')
export class AuditController {
  /** Verification reads the whole log: one at a time per process. */
  private verifying = false;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(LEDGER_EVENT_STORE) private readonly ledger: EventStore,
    @Inject(DATA_KEY_STORE) private readonly dataKeys: DataKeyStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(LogSealer) private readonly sealer: LogSealer,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(PROJECTIONS) private readonly projections: readonly AnyProjection[],
  ) {}

  /** Every disbursement with its reversal, as known at the end of `asOf`; JSON, CSV or xlsx. */
  @Get('disbursements')
  @ApiRead({
    operationId: 'listDisbursementHistory',
    summary:
      'Every disbursement with its reversal, as known at the end of asOf (JSON, CSV or xlsx)',
    description: 'From the events, not the read models. `format` chooses the media type.',
    readModel: false,
    errors: { 503: ['EVENT_STORE_UNAVAILABLE'] },
    models: [DisbursementRecordAnswer],
    content: {
      'application/json': {
        schema: { type: 'array', items: { $ref: getSchemaPath(DisbursementRecordAnswer) } },
      },
      ...FILE_CONTENT,
    },
    headers: { 'Content-Disposition': CONTENT_DISPOSITION },
  })
  async disbursements(
    @QueryParams() query: DisbursementHistoryQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisbursementRecord[] | string | StreamableFile> {
    const records = await historyAsOf(this.eventStore, {
      knownBefore: query.knownBefore,
      disbursedFrom: query.disbursedFrom,
      disbursedUntil: query.disbursedUntil,
      kind: query.kind,
      regencyCode: query.regencyCode,
    });
    if (query.format === 'json') return records;
    const base = `disbursements-as-of-${query.asOf ?? 'now'}`;
    response.setHeader('Content-Type', CONTENT_TYPES[query.format]);
    response.setHeader('Content-Disposition', attachment(base, query.format));
    if (query.format === 'csv') return toCsv(records, query.delimiter);
    return xlsxFile(historyTable(records));
  }

  /** Quota progress as it stood at the end of `asOf`, replayed by the read model's own code. */
  @Get('quota-progress')
  @ApiRead({
    operationId: 'getQuotaProgressAsOf',
    summary: 'Quota progress as it stood at the end of asOf, replayed from the events',
    readModel: false,
    errors: { 503: ['EVENT_STORE_UNAVAILABLE'] },
    answer: QuotaProgress,
  })
  async quotaProgress(@QueryParams() query: QuotaProgressAsOfQuery): Promise<QuotaProgressReport> {
    const documents = await projectionAsOf(
      this.eventStore,
      quotaProgressProjection,
      query.knownBefore,
      { happenedBy: query.businessAsOf },
    );
    const ofYear = [...documents.values()].filter(
      (document) => query.year === undefined || document.year === query.year,
    );
    return quotaProgressReport(ofYear, query.year);
  }

  /** Every hash chain and seal checked, every read model recomputed and compared. */
  @Get('verify')
  @ApiRead({
    operationId: 'verifyLedger',
    summary: 'Check every hash chain and seal, and recompute every read model',
    description:
      'Compares every read model with its recomputation from the events, field by field. One ' +
      'verification at a time per process (409 VERIFY_RUNNING).',
    readModel: false,
    validated: false,
    answer: VerifyReportAnswer,
    errors: { 409: ['VERIFY_RUNNING'], 503: ['EVENT_STORE_UNAVAILABLE'] },
  })
  async verify(): Promise<VerifyReport> {
    if (this.verifying) {
      throw new ConflictException({
        code: 'VERIFY_RUNNING',
        message: 'A verification is already running in this process; retry when it has finished',
      });
    }
    this.verifying = true;
    try {
      return await verifyLog(this.ledger, this.readStore, this.projections, {
        stores: this.config,
        dataKeys: this.dataKeys,
      });
    } finally {
      this.verifying = false;
    }
  }

  /** Seals the log up to now: later changes to anything before this point become evident. */
  @Post('seals')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'sealLog',
    summary: 'Seal the log up to now',
    status: 201,
    answer: {
      sealedPosition: { type: 'string', description: 'The last event the seal covers' },
      eventCount: { type: 'integer' },
      streamCount: { type: 'integer' },
      logHash: { type: 'string', description: 'The running hash of the log up to sealedPosition' },
    },
    errors: {},
    idempotent: true,
  })
  seal(@CurrentPrincipal() principal: Principal): Promise<SealRecord> {
    return this.sealer.seal(principal.actor);
  }
}
