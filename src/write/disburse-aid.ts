import { Inject, Body, Controller, Param, Post, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { localDate } from '../domain/programme/aid-programme';
import { quotaDecider } from '../domain/quota/quota.decider';
import {
  AID_UNITS,
  DEFAULT_UNIT,
  fractionalLineValue,
  isValidUnitPrice,
  MAX_QUANTITY,
  MAX_UNIT_PRICE_RUPIAH,
  QUANTITY_DECIMALS,
  QUANTITY_PROBLEMS,
  quantityProblem,
  UNIT_RULE,
  type AidUnit,
} from '../domain/recipient/aid-items';
import { AID_FORMS, type AidForm, type DisburseAid } from '../domain/recipient/recipient.commands';
import { recipientDecider } from '../domain/recipient/recipient.decider';
import { aidValue, nextDisbursementId } from '../domain/recipient/recipient.disbursement';
import { requireRegistered } from '../domain/recipient/recipient.requirements';
import { streams } from '../domain/streams';
import { ApiCommand } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { localisedAs, says } from '../http/messages/validation-messages';
import { RecipientParams } from '../http/recipient.params';
import { IsDateText, IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import { CLOCK, type Clock } from '../platform/clock';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

/** The item a rule on the quantity looks at, for its unit and price. */
interface ItemFields {
  quantity: unknown;
  unit?: unknown;
  unitPriceRupiah: unknown;
}

const unitOfBody = (item: ItemFields): string =>
  typeof item.unit === 'string' ? item.unit : DEFAULT_UNIT;

/** A line that does not come to whole rupiah, written out: `0.333 × 10 = 3.33`. */
const lineParams = (quantity: unknown, item: ItemFields) => ({
  quantity: String(quantity),
  price: String(item.unitPriceRupiah),
  value: fractionalLineValue({ quantity, unitPriceRupiah: item.unitPriceRupiah }) ?? '',
});

export class AidItemBody {
  @IsText(200)
  description!: string;

  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    says('quantity must be a number', 'isNumber'),
  )
  @Min(
    1 / 10 ** QUANTITY_DECIMALS,
    says('quantity must be more than 0', 'INVALID_QUANTITY', {
      problem: 'NOT_POSITIVE',
    }),
  )
  @Max(MAX_QUANTITY, says(`quantity must be at most ${MAX_QUANTITY}`, 'max', { c0: MAX_QUANTITY }))
  @ValidateBy(
    {
      name: 'quantityDecimals',
      validator: {
        validate: (value: unknown) => quantityProblem(value, DEFAULT_UNIT) !== 'TOO_MANY_DECIMALS',
        defaultMessage: () => QUANTITY_PROBLEMS.TOO_MANY_DECIMALS(DEFAULT_UNIT),
      },
    },
    localisedAs('INVALID_QUANTITY', { problem: 'TOO_MANY_DECIMALS' }),
  )
  @ValidateBy(
    {
      name: 'wholeForUnit',
      validator: {
        validate: (value: unknown, args) =>
          quantityProblem(value, unitOfBody(args?.object as ItemFields)) !== 'NOT_WHOLE_FOR_UNIT',
        defaultMessage: (args) =>
          QUANTITY_PROBLEMS.NOT_WHOLE_FOR_UNIT(unitOfBody(args?.object as ItemFields)),
      },
    },
    localisedAs('INVALID_QUANTITY', (_value, item) => ({
      problem: 'NOT_WHOLE_FOR_UNIT',
      unit: unitOfBody(item as ItemFields),
    })),
  )
  @ValidateBy(
    {
      name: 'wholeRupiah',
      validator: {
        validate: (value: unknown, args) => {
          const item = args?.object as ItemFields;
          return (
            quantityProblem(value, unitOfBody(item)) !== undefined ||
            !isValidUnitPrice(item.unitPriceRupiah) ||
            fractionalLineValue({ quantity: value, unitPriceRupiah: item.unitPriceRupiah }) ===
              undefined
          );
        },
        defaultMessage: (args) => {
          const { quantity, price, value } = lineParams(args?.value, args?.object as ItemFields);
          return `quantity × unitPriceRupiah must come to whole rupiah (${quantity} × ${price} = ${value})`;
        },
      },
    },
    localisedAs('LINE_NOT_WHOLE_RUPIAH', (value, item) => lineParams(value, item as ItemFields)),
  )
  quantity!: number;

  /** One of AID_UNITS, in any case; absent or null: `unit`. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsIn(AID_UNITS, says(UNIT_RULE, 'INVALID_UNIT', { units: AID_UNITS.join(', ') }))
  unit?: AidUnit;

  @IsInt(says('unitPriceRupiah must be a whole number of rupiah', 'INVALID_PRICE'))
  @Min(0, says('unitPriceRupiah must not be negative', 'INVALID_PRICE'))
  @Max(
    MAX_UNIT_PRICE_RUPIAH,
    says(`unitPriceRupiah must be at most ${MAX_UNIT_PRICE_RUPIAH}`, 'max', {
      c0: MAX_UNIT_PRICE_RUPIAH,
    }),
  )
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
          // The default unit is stored as older events have it: absent.
          items: items.map(({ description, quantity, unit, unitPriceRupiah }) => ({
            description,
            quantity,
            ...((unit ?? DEFAULT_UNIT) === DEFAULT_UNIT ? {} : { unit }),
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

@ApiTags('disbursements')
@Controller('recipients/:id/disbursements')
export class DisburseAidController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Records aid in kind handed to a recipient, within the year's target and allocation. */
  @Post()
  @Roles('operator')
  @MeasuredCommand('DisburseAid')
  @ApiCommand({
    operationId: 'disburseAid',
    summary: 'Record aid in kind handed to a recipient',
    status: 201,
    answer: {
      disbursementId: {
        type: 'string',
        example: '6f1c2b9e-0c3a-4f7e-9a51-2d8e4b7c1a90.1',
        description: 'The recipient id and the attempt number',
      },
      valueRupiah: { type: 'integer', description: 'The items’ value, in whole rupiah' },
    },
    errors: {
      400: [
        'INVALID_DATE',
        'DATE_NOT_IN_YEAR',
        'VALUE_ZERO',
        'INVALID_QUANTITY',
        'INVALID_PRICE',
        'INVALID_UNIT',
        'LINE_NOT_WHOLE_RUPIAH',
        'INVALID_TEXT',
      ],
      404: ['RECIPIENT_NOT_FOUND'],
      409: [
        'QUOTA_EXHAUSTED',
        'VALUE_ABOVE_CEILING',
        'YEAR_OUTSIDE_PROGRAMME',
        'ALREADY_DISBURSED',
        'DATE_IN_FUTURE',
        'RECIPIENT_DECEASED',
        'RECIPIENT_WITHDRAWN',
        'DISBURSEMENT_ID_TAKEN',
      ],
    },
    idempotent: true,
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
