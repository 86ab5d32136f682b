import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { localDate } from '../domain/programme/aid-programme';
import type {
  RecordDeath,
  RecordMove,
  RecordWithdrawal,
} from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { RecipientParams } from '../http/recipient.params';
import { IsDateText, IsRegencyCode, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

export class RecordMoveBody {
  /** The Kemendagri code of the regency/city she lives in now. */
  @IsRegencyCode()
  toRegencyCode!: string;

  @IsDateText()
  movedOn!: string;

  @IsText(500)
  reason!: string;
}

export class RecordDeathBody {
  @IsDateText()
  diedOn!: string;

  @IsText(500)
  reason!: string;
}

export class RecordWithdrawalBody {
  @IsDateText()
  withdrawnOn!: string;

  @IsText(500)
  reason!: string;
}

export type LifeEvent =
  Omit<RecordMove, 'today'> | Omit<RecordDeath, 'today'> | Omit<RecordWithdrawal, 'today'>;

export interface LifeEventAnswer {
  position: string;
}

/** A move, a death or a withdrawal: what happens to a recipient's life, on her stream alone. */
export class RecordLifeEventCommand extends Command<LifeEventAnswer> {
  constructor(
    readonly recipientId: string,
    readonly lifeEvent: LifeEvent,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordLifeEventCommand)
export class RecordLifeEventHandler implements ICommandHandler<RecordLifeEventCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ recipientId, lifeEvent, context }: RecordLifeEventCommand): Promise<LifeEventAnswer> {
    const command = { ...lifeEvent, today: localDate(this.clock.now()) } as
      RecordMove | RecordDeath | RecordWithdrawal;
    return this.runner.decideOn(context, streams.recipient(recipientId), recipientDecider, command);
  }
}

@ApiTags('recipients')
@Controller('recipients/:id')
@Roles('operator', 'admin')
export class RecordLifeEventController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * A move to another regency/city: disbursements from now on are counted there; those already
   * made stay counted where they were made, also when reversed later.
   */
  @Post('moves')
  @HttpCode(200)
  @MeasuredCommand('RecordLifeEvent')
  @ApiCommand({
    operationId: 'recordMove',
    summary: 'Record a recipient’s move to another regency/city',
    description:
      'Disbursements from now on are counted in the new regency/city; those already made stay ' +
      'counted where they were made, also when reversed later.',
    status: 200,
    answer: {},
    errors: {
      400: ['UNKNOWN_REGENCY', 'SAME_REGENCY', 'INVALID_DATE', 'REASON_REQUIRED'],
      404: ['RECIPIENT_NOT_FOUND'],
      409: ['RECIPIENT_DECEASED', 'RECIPIENT_WITHDRAWN', 'DATE_IN_FUTURE', 'DATE_BEFORE_MOVE'],
    },
    idempotent: true,
  })
  move(
    @Param() params: RecipientParams,
    @Body() body: RecordMoveBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<LifeEventAnswer> {
    return this.record(params.id, { type: 'RecordMove', ...body }, request);
  }

  /** An RSE woman's death: no new aid (409 RECIPIENT_DECEASED); follow-up may continue. */
  @Post('death')
  @HttpCode(200)
  @MeasuredCommand('RecordLifeEvent')
  @ApiCommand({
    operationId: 'recordDeath',
    summary: 'Record an RSE woman’s death',
    status: 200,
    answer: {},
    errors: {
      400: ['INVALID_DATE', 'REASON_REQUIRED'],
      404: ['RECIPIENT_NOT_FOUND'],
      409: [
        'NOT_AN_RSE',
        'ALREADY_DECEASED',
        'DATE_IN_FUTURE',
        'DATE_BEFORE_MOVE',
        'DATE_BEFORE_WITHDRAWAL',
        'DATE_BEFORE_DISBURSEMENT',
      ],
    },
    idempotent: true,
  })
  death(
    @Param() params: RecipientParams,
    @Body() body: RecordDeathBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<LifeEventAnswer> {
    return this.record(params.id, { type: 'RecordDeath', ...body }, request);
  }

  /** A recipient who withdrew: no new aid (409 RECIPIENT_WITHDRAWN); follow-up may continue. */
  @Post('withdrawal')
  @HttpCode(200)
  @MeasuredCommand('RecordLifeEvent')
  @ApiCommand({
    operationId: 'recordWithdrawal',
    summary: 'Record a recipient’s withdrawal from the programme',
    status: 200,
    answer: {},
    errors: {
      400: ['INVALID_DATE', 'REASON_REQUIRED'],
      404: ['RECIPIENT_NOT_FOUND'],
      409: [
        'ALREADY_WITHDRAWN',
        'RECIPIENT_DECEASED',
        'DATE_IN_FUTURE',
        'DATE_BEFORE_MOVE',
        'DATE_BEFORE_DISBURSEMENT',
      ],
    },
    idempotent: true,
  })
  withdrawal(
    @Param() params: RecipientParams,
    @Body() body: RecordWithdrawalBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<LifeEventAnswer> {
    return this.record(params.id, { type: 'RecordWithdrawal', ...body }, request);
  }

  private record(recipientId: string, lifeEvent: LifeEvent, request: AuthenticatedRequest) {
    return this.commandBus.execute(
      new RecordLifeEventCommand(recipientId, lifeEvent, commandContext(request)),
    );
  }
}
