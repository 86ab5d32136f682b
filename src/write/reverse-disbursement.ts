import { Inject, Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DomainError } from '../domain/domain-error';
import { localDate } from '../domain/programme/aid-programme';
import { quotaDecider } from '../domain/quota/quota.decider';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { recipientIdOf } from '../domain/recipient/recipient.disbursement';
import { requireRegistered } from '../domain/recipient/recipient.requirements';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { IsText, LowerCase } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

export class DisbursementParams {
  @ApiProperty({ description: 'Disbursement id: <recipientId>.<n>' })
  @LowerCase()
  @Matches(/^[0-9a-f-]{36}\.\d{1,6}$/, { message: 'id must be a disbursement id' })
  id!: string;
}

export class ReverseDisbursementBody {
  @IsText(500)
  reason!: string;
}

export interface ReversalAnswer {
  position: string;
}

export class ReverseDisbursementCommand extends Command<ReversalAnswer> {
  constructor(
    readonly disbursementId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Reverses a disbursement in one append: `DisbursementReversed` on its recipient's stream and the
 * release of its slot on the quota stream of its year. An older log may hold a reversal whose
 * slot release was lost to a crash: asking for the reversal again frees that slot.
 */
@CommandHandler(ReverseDisbursementCommand)
export class ReverseDisbursementHandler implements ICommandHandler<ReverseDisbursementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    disbursementId,
    reason,
    context,
  }: ReverseDisbursementCommand): Promise<ReversalAnswer> {
    const stream = streams.recipient(recipientIdOf(disbursementId));
    const { state: known } = await this.runner.read(stream, recipientDecider);
    const year =
      known.status === 'registered' ? known.disbursements[disbursementId]?.year : undefined;
    const locks =
      known.status === 'registered' && year !== undefined
        ? [stream, streams.quota(year, known.kind)]
        : [stream];
    return this.runner.execute(
      context,
      async (unit) => {
        let state = await unit.read(stream, recipientDecider);
        let alreadyReversed: DomainError | undefined;
        try {
          state = await unit.decide(stream, recipientDecider, {
            type: 'ReverseDisbursement',
            disbursementId,
            reason,
            today: localDate(this.clock.now()),
          });
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'ALREADY_REVERSED')) throw error;
          alreadyReversed = error;
        }
        // Narrows only: reversed now or before, the recipient is registered.
        const recipient = requireRegistered(state);
        const record = recipient.disbursements[disbursementId];
        const quota = streams.quota(record.year, recipient.kind);
        const { slots } = await unit.read(quota, quotaDecider);
        if (alreadyReversed && !slots.has(disbursementId)) throw alreadyReversed;
        await unit.decide(quota, quotaDecider, { type: 'ReleaseSlot', disbursementId });
        return {};
      },
      { locks },
    );
  }
}

@ApiTags('disbursements')
@Controller('disbursements/:id/reversal')
export class ReverseDisbursementController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Reverses a disbursement: its quota slot is freed and the recipient may be aided again. */
  @Post()
  @Roles('operator')
  @HttpCode(200)
  @MeasuredCommand('ReverseDisbursement')
  @ApiCommand({
    operationId: 'reverseDisbursement',
    summary: 'Reverse a disbursement, freeing its quota slot',
    status: 200,
    answer: {},
    errors: {
      400: ['REASON_REQUIRED', 'INVALID_TEXT'],
      404: ['DISBURSEMENT_NOT_FOUND'],
      409: ['ALREADY_REVERSED'],
    },
    idempotent: true,
  })
  reverse(
    @Param() params: DisbursementParams,
    @Body() body: ReverseDisbursementBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<ReversalAnswer> {
    return this.commandBus.execute(
      new ReverseDisbursementCommand(params.id, body.reason, commandContext(request)),
    );
  }
}
