import { Inject, Body, Controller, Param, Post, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { localDate } from '../domain/programme/aid-programme';
import { quotaDecider } from '../domain/quota/quota.decider';
import { AID_FORMS, type AidForm, type DisburseAid } from '../domain/recipient/recipient.commands';
import {
  aidValue,
  nextDisbursementId,
  recipientDecider,
  requireRegistered,
} from '../domain/recipient/recipient.decider';
import { streams } from '../domain/streams';
import { ApiCommand, POSITION } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { RecipientParams } from '../http/recipient.params';
import { IsDateText, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

export class AidItemBody {
  @IsText(200)
  description!: string;

  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(1_000_000, { message: 'quantity must be at most 1000000' })
  quantity!: number;

  @IsInt({ message: 'unitPriceRupiah must be a whole number of rupiah' })
  @Min(0, { message: 'unitPriceRupiah must not be negative' })
  @Max(1_000_000_000, { message: 'unitPriceRupiah must be at most 1000000000' })
  unitPriceRupiah!: number;
}

export class DisburseAidBody {
  @IsInt({ message: 'year must be a whole number' })
  year!: number;

  @IsIn(AID_FORMS, { message: `form must be one of ${AID_FORMS.join(', ')}` })
  form!: AidForm;

  @IsArray({ message: 'items must be a list' })
  @ArrayMinSize(1, { message: 'items must hold at least one item' })
  @ArrayMaxSize(100, { message: 'items must hold at most 100 items' })
  @ValidateNested({ each: true })
  @Type(() => AidItemBody)
  items!: AidItemBody[];

  @IsDateText()
  disbursedOn!: string;
}

export interface DisbursementAnswer {
  disbursementId: string;
  valueRupiah: number;
  position: string;
}

export class DisburseAidCommand extends Command<DisbursementAnswer> {
  constructor(
    readonly recipientId: string,
    readonly disbursement: Omit<DisburseAid, 'type' | 'disbursementId' | 'today'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Disburses aid in one append: `AidDisbursed` on the recipient's stream and `QuotaSlotTaken` on
 * the year's quota stream (target, allocation, ceiling), each expecting the revision it was read
 * at. The recipient's rules are decided first, so a refused disbursement never reads the quota.
 */
@CommandHandler(DisburseAidCommand)
export class DisburseAidHandler implements ICommandHandler<DisburseAidCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    recipientId,
    disbursement,
    context,
  }: DisburseAidCommand): Promise<DisbursementAnswer> {
    const stream = streams.recipient(recipientId);
    const { year, form, items, disbursedOn } = disbursement;
    // A recipient's kind never changes: it names the quota stream to queue on in this process.
    const { state: known } = await this.runner.read(stream, recipientDecider);
    const locks =
      known.status === 'registered' ? [stream, streams.quota(year, known.kind)] : [stream];
    return this.runner.execute(
      context,
      async (unit) => {
        const state = await unit.read(stream, recipientDecider);
        const disbursementId = nextDisbursementId(recipientId, state);
        await unit.decide(stream, recipientDecider, {
          type: 'DisburseAid',
          disbursementId,
          year,
          form,
          items: items.map(({ description, quantity, unitPriceRupiah }) => ({
            description,
            quantity,
            unitPriceRupiah,
          })),
          disbursedOn,
          today: localDate(this.clock.now()),
        });
        const valueRupiah = aidValue(items);
        // Narrows only: the decision above refused a recipient not registered.
        const { kind, regencyCode } = requireRegistered(state);
        await unit.decide(streams.quota(year, kind), quotaDecider, {
          type: 'TakeSlot',
          disbursementId,
          recipientId,
          regencyCode,
          valueRupiah,
        });
        return { disbursementId, valueRupiah };
      },
      { locks },
    );
  }
}

@Controller('recipients/:id/disbursements')
export class DisburseAidController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Records aid in kind handed to a recipient, within the year's target and allocation. */
  @Post()
  @Roles('operator')
  @MeasuredCommand('DisburseAid')
  @ApiCommand(201, {
    disbursementId: { type: 'string' },
    valueRupiah: { type: 'integer' },
    position: POSITION,
  })
  disburse(
    @Param() params: RecipientParams,
    @Body() body: DisburseAidBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<DisbursementAnswer> {
    return this.commandBus.execute(
      new DisburseAidCommand(params.id, body, commandContext(request)),
    );
  }
}
