import { Inject, Body, Controller, Param, Post, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { localDate } from '../domain/programme/aid-programme';
import {
  BUSINESS_STATUSES,
  CHALLENGES,
  type BusinessStatus,
  type Challenge,
  type RecipientCommand,
  type RecordExhibitionParticipation,
  type RecordMentoring,
  type RecordMonitoring,
} from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { RecipientParams } from '../http/recipient.params';
import { IsDateText, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

/**
 * A count in the body: a JSON number that is whole, 0 to `max` (unlike the shared WholeNumber of
 * the query parameters, no decimal text is converted). The document types it `integer`.
 */
const WholeCount = (field: string, max: number): PropertyDecorator[] => [
  IsInt({ message: `${field} must be a whole number` }),
  Min(0, { message: `${field} must not be negative` }),
  Max(max, { message: `${field} must be at most ${max}` }),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

export class RecordMonitoringBody {
  @IsDateText()
  visitDate!: string;

  @IsIn(BUSINESS_STATUSES, {
    message: `businessStatus must be one of ${BUSINESS_STATUSES.join(', ')}`,
  })
  businessStatus!: BusinessStatus;

  @apply(WholeCount('monthlyTurnoverRupiah', 1_000_000_000_000))
  monthlyTurnoverRupiah!: number;

  @apply(WholeCount('workers', 10_000))
  workers!: number;

  @apply(WholeCount('workersFromPoorHouseholds', 10_000))
  workersFromPoorHouseholds!: number;

  @IsArray({ message: 'challenges must be a list' })
  @ArrayMaxSize(CHALLENGES.length)
  @ArrayUnique({ message: 'challenges must not repeat' })
  @IsIn(CHALLENGES, {
    each: true,
    message: `each challenge must be one of ${CHALLENGES.join(', ')}`,
  })
  challenges!: Challenge[];

  @IsOptional()
  @IsText(2000, 'lines')
  notes?: string;
}

export class RecordMentoringBody {
  @IsText(200)
  partner!: string;

  @IsText(500)
  topic!: string;

  @IsDateText()
  date!: string;
}

export class RecordExhibitionBody {
  @IsText(200)
  name!: string;

  @IsDateText()
  date!: string;
}

export type FollowUp =
  | Omit<RecordMonitoring, 'today'>
  | Omit<RecordMentoring, 'today'>
  | Omit<RecordExhibitionParticipation, 'today'>;

export interface FollowUpAnswer {
  position: string;
}

/** Monitoring visits, mentoring and exhibitions: what happens to a business after the aid. */
export class RecordFollowUpCommand extends Command<FollowUpAnswer> {
  constructor(
    readonly recipientId: string,
    readonly followUp: FollowUp,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordFollowUpCommand)
export class RecordFollowUpHandler implements ICommandHandler<RecordFollowUpCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ recipientId, followUp, context }: RecordFollowUpCommand): Promise<FollowUpAnswer> {
    const command = { ...followUp, today: localDate(this.clock.now()) } as RecipientCommand;
    return this.runner.decideOn(context, streams.recipient(recipientId), recipientDecider, command);
  }
}

/** What mentoring and an exhibition can be refused for: a bad date or text, or no aid yet. */
const DATED_FOLLOW_UP_ERRORS = {
  400: ['INVALID_DATE', 'INVALID_TEXT'],
  404: ['RECIPIENT_NOT_FOUND'],
  409: ['NOT_DISBURSED', 'DATE_BEFORE_DISBURSEMENT', 'DATE_IN_FUTURE'],
};

@ApiTags('monitoring')
@Controller('recipients/:id')
@Roles('monitor')
export class RecordFollowUpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** A monitoring visit: how the business is doing since the aid. */
  @Post('monitoring')
  @MeasuredCommand('RecordFollowUp')
  @ApiCommand({
    operationId: 'recordMonitoring',
    summary: 'Record a monitoring visit to an aided business',
    status: 201,
    answer: {},
    errors: {
      400: [
        'INVALID_DATE',
        'INVALID_NUMBER',
        'WORKERS_FROM_POOR_HOUSEHOLDS_ABOVE_WORKERS',
        'INVALID_TEXT',
      ],
      404: ['RECIPIENT_NOT_FOUND'],
      409: ['NOT_DISBURSED', 'DATE_BEFORE_DISBURSEMENT', 'DATE_IN_FUTURE', 'PERSONAL_DATA_ERASED'],
    },
    idempotent: true,
  })
  monitoring(
    @Param() params: RecipientParams,
    @Body() body: RecordMonitoringBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<FollowUpAnswer> {
    const { notes, ...visit } = body;
    return this.record(
      params.id,
      { type: 'RecordMonitoring', ...visit, ...(notes ? { notes } : {}) },
      request,
    );
  }

  /** Mentoring by a partner such as Disperindagkop. */
  @Post('mentoring')
  @MeasuredCommand('RecordFollowUp')
  @ApiCommand({
    operationId: 'recordMentoring',
    summary: 'Record mentoring of an aided business by a partner',
    status: 201,
    answer: {},
    errors: DATED_FOLLOW_UP_ERRORS,
    idempotent: true,
  })
  mentoring(
    @Param() params: RecipientParams,
    @Body() body: RecordMentoringBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<FollowUpAnswer> {
    return this.record(params.id, { type: 'RecordMentoring', ...body }, request);
  }

  /** Participation in an UMKM exhibition. */
  @Post('exhibitions')
  @MeasuredCommand('RecordFollowUp')
  @ApiCommand({
    operationId: 'recordExhibition',
    summary: 'Record an aided business’s part in an UMKM exhibition',
    status: 201,
    answer: {},
    errors: DATED_FOLLOW_UP_ERRORS,
    idempotent: true,
  })
  exhibition(
    @Param() params: RecipientParams,
    @Body() body: RecordExhibitionBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<FollowUpAnswer> {
    return this.record(params.id, { type: 'RecordExhibitionParticipation', ...body }, request);
  }

  private record(recipientId: string, followUp: FollowUp, request: AuthenticatedRequest) {
    return this.commandBus.execute(
      new RecordFollowUpCommand(recipientId, followUp, commandContext(request)),
    );
  }
}
