import { Body, Controller, HttpCode, Param, Put, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { quotaDecider } from '../domain/quota/quota.decider';
import { streams } from '../domain/streams';
import { ApiCommand, YEAR_PARAM } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { WholeNumber, YEARS } from '../http/number.validators';
import { IsText } from '../http/text.validators';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';

const MAX_COUNT = 1_000_000;
const MAX_RUPIAH = 1_000_000_000_000;

export class YearParams {
  @ApiProperty({ ...YEAR_PARAM, example: 2027 })
  @WholeNumber('year', YEARS.min, YEARS.max)
  year!: number;
}

/**
 * One whole number per kind of aid, each named in a refusal as `<object>.<kind>`. Nest and
 * class-validator-jsonschema name a schema after its class: each class made here is given its
 * own name, so that each gets its own schema with its own rules.
 */
function perKind(className: string, object: string, min: number, max: number) {
  class PerKind {
    @ApiProperty({ example: 500 })
    @IsInt({ message: `${object}.RSE must be a whole number` })
    @Min(min, { message: `${object}.RSE must be at least ${min}` })
    @Max(max, { message: `${object}.RSE must be at most ${max}` })
    RSE!: number;

    @ApiProperty({ example: 200 })
    @IsInt({ message: `${object}.KUBE must be a whole number` })
    @Min(min, { message: `${object}.KUBE must be at least ${min}` })
    @Max(max, { message: `${object}.KUBE must be at most ${max}` })
    KUBE!: number;
  }
  Object.defineProperty(PerKind, 'name', { value: className });
  return PerKind;
}

export const Targets = perKind('Targets', 'targets', 0, MAX_COUNT);
export type Targets = InstanceType<typeof Targets>;
export const Ceilings = perKind('Ceilings', 'ceilingsRupiah', 1, MAX_RUPIAH);
export type Ceilings = InstanceType<typeof Ceilings>;

/** Per kind: a number sets every regency's allocation, null removes them, absent keeps them. */
export class AllocationPerRegency {
  @ApiPropertyOptional({ type: 'integer', nullable: true, example: null })
  @IsOptional()
  @IsInt({ message: 'allocationPerRegency.RSE must be a whole number or null' })
  @Min(0, { message: 'allocationPerRegency.RSE must be at least 0' })
  @Max(MAX_COUNT, { message: `allocationPerRegency.RSE must be at most ${MAX_COUNT}` })
  RSE?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, example: 20 })
  @IsOptional()
  @IsInt({ message: 'allocationPerRegency.KUBE must be a whole number or null' })
  @Min(0, { message: 'allocationPerRegency.KUBE must be at least 0' })
  @Max(MAX_COUNT, { message: `allocationPerRegency.KUBE must be at most ${MAX_COUNT}` })
  KUBE?: number | null;
}

export class SetProgrammeYearBody {
  @ApiProperty({ type: Targets, description: 'Recipients to aid in the year, per kind' })
  @IsObject({ message: 'targets must be an object with RSE and KUBE' })
  @ValidateNested()
  @Type(() => Targets)
  targets!: Targets;

  @ApiProperty({ type: Ceilings, description: 'Highest value of one aid in rupiah, per kind' })
  @IsObject({ message: 'ceilingsRupiah must be an object with RSE and KUBE' })
  @ValidateNested()
  @Type(() => Ceilings)
  ceilingsRupiah!: Ceilings;

  @ApiPropertyOptional({
    type: AllocationPerRegency,
    description:
      'Per kind: the allocation of every regency/city (null: none, only the target applies). ' +
      'A kind left out keeps its allocations; a new year without it has none.',
  })
  @IsOptional()
  @IsObject({ message: 'allocationPerRegency must be an object with RSE and/or KUBE' })
  @ValidateNested()
  @Type(() => AllocationPerRegency)
  allocationPerRegency?: AllocationPerRegency;

  @ApiProperty({ example: 'APBD 2027', description: 'Why: the budget decision, for auditors' })
  @IsText(500)
  reason!: string;
}

export interface ProgrammeYearInput {
  year: number;
  targets: Record<AidKind, number>;
  ceilingsRupiah: Record<AidKind, number>;
  /** Per kind: number, null (none) or undefined (keep). */
  allocationPerRegency: Partial<Record<AidKind, number | null>>;
  reason: string;
}

export interface ProgrammeYearAnswer {
  year: number;
  position: string;
}

export class SetProgrammeYearCommand extends Command<ProgrammeYearAnswer> {
  constructor(
    readonly input: ProgrammeYearInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Defines a programme year, or changes one, for both kinds in one append across the two quota
 * streams: either both kinds take the new figures or neither does.
 */
@CommandHandler(SetProgrammeYearCommand)
export class SetProgrammeYearHandler implements ICommandHandler<SetProgrammeYearCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ input, context }: SetProgrammeYearCommand): Promise<ProgrammeYearAnswer> {
    const { year, targets, ceilingsRupiah, allocationPerRegency, reason } = input;
    const quotaStreams = AID_KINDS.map((kind) => streams.quota(year, kind));
    return this.runner.execute(
      context,
      async (unit) => {
        for (const kind of AID_KINDS) {
          await unit.decide(streams.quota(year, kind), quotaDecider, {
            type: 'SetYearlyQuota',
            year,
            kind,
            target: targets[kind],
            ceilingRupiah: ceilingsRupiah[kind],
            allocationPerRegency: allocationPerRegency[kind],
            reason,
          });
        }
        return { year };
      },
      { locks: quotaStreams },
    );
  }
}

@ApiTags('programme')
@Controller('programme/years')
export class SetProgrammeYearController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Defines a programme year or changes its targets, ceilings and allocations. Refused (409,
   * naming the figures) where a target, ceiling or allocation would drop below what is disbursed.
   */
  @Put(':year')
  @Roles('admin')
  @HttpCode(200)
  @MeasuredCommand('SetProgrammeYear')
  @ApiCommand({
    operationId: 'setProgrammeYear',
    summary: 'Define a programme year or change its targets, ceilings and allocations',
    description:
      'Both kinds in one append. Refused (409, naming the figures) where a target, ceiling or ' +
      'allocation would drop below what is already disbursed.',
    status: 200,
    answer: { year: { type: 'integer' } },
    errors: {
      400: [
        'INVALID_TARGET',
        'INVALID_CEILING',
        'INVALID_QUOTA',
        'INVALID_PROGRAMME',
        'INVALID_TEXT',
      ],
      409: [
        'TARGET_BELOW_DISBURSED',
        'CEILING_BELOW_DISBURSED',
        'ALLOCATION_BELOW_DISBURSED',
        'ALLOCATION_ABOVE_TARGET',
      ],
    },
    idempotent: false,
  })
  setYear(
    @Param() params: YearParams,
    @Body() body: SetProgrammeYearBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<ProgrammeYearAnswer> {
    const allocation = body.allocationPerRegency;
    const input: ProgrammeYearInput = {
      year: params.year,
      targets: { RSE: body.targets.RSE, KUBE: body.targets.KUBE },
      ceilingsRupiah: { RSE: body.ceilingsRupiah.RSE, KUBE: body.ceilingsRupiah.KUBE },
      allocationPerRegency: Object.fromEntries(
        AID_KINDS.filter((kind) => allocation?.[kind] !== undefined).map((kind) => [
          kind,
          allocation?.[kind] ?? null,
        ]),
      ),
      reason: body.reason,
    };
    return this.commandBus.execute(new SetProgrammeYearCommand(input, commandContext(request)));
  }
}
