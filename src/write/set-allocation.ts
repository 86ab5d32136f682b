import { Body, Controller, HttpCode, Param, Put, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { AID_KINDS, type AidKind } from '../domain/programme/aid-programme';
import { quotaDecider } from '../domain/quota/quota.decider';
import { streams } from '../domain/streams';
import { ApiCommand, YEAR_PARAM } from '../http/api-responses';
import type { AuthenticatedRequest } from '../http/auth/principal';
import { Roles } from '../http/auth/roles.decorator';
import { commandContext } from '../http/command-context';
import { MeasuredCommand } from '../operations/metrics/command-metrics';
import type { CommandContext } from '../platform/command-handling/command-context';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { WholeNumber, YEARS } from '../http/number.validators';

export class AllocationParams {
  @ApiProperty({ ...YEAR_PARAM, example: 2025 })
  @WholeNumber('year', YEARS.min, YEARS.max)
  year!: number;

  @ApiProperty({ enum: AID_KINDS })
  @IsIn(AID_KINDS, { message: `kind must be one of ${AID_KINDS.join(', ')}` })
  kind!: AidKind;

  @ApiProperty({ example: '64.72', description: 'Kemendagri code of the regency/city' })
  @Matches(/^64\.\d{2}$/, { message: 'regencyCode must be a Kemendagri code such as 64.72' })
  regencyCode!: string;
}

export class SetAllocationBody {
  @IsInt({ message: 'quota must be a whole number' })
  @Min(0, { message: 'quota must not be negative' })
  @Max(1_000_000, { message: 'quota must not exceed 1000000' })
  quota!: number;
}

export interface AllocationAnswer {
  year: number;
  kind: AidKind;
  regencyCode: string;
  quota: number;
  position: string;
}

export class SetAllocationCommand extends Command<AllocationAnswer> {
  constructor(
    readonly year: number,
    readonly kind: AidKind,
    readonly regencyCode: string,
    readonly quota: number,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SetAllocationCommand)
export class SetAllocationHandler implements ICommandHandler<SetAllocationCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute(command: SetAllocationCommand): Promise<AllocationAnswer> {
    const { year, kind, regencyCode, quota, context } = command;
    const stream = streams.quota(year, kind);
    return this.runner.execute(
      context,
      async (unit) => {
        await unit.decide(stream, quotaDecider, { type: 'SetAllocation', regencyCode, quota });
        return { year, kind, regencyCode, quota };
      },
      { locks: [stream] },
    );
  }
}

@ApiTags('programme')
@Controller('programme/allocations')
export class SetAllocationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Sets how many recipients of a kind a regency/city may aid in a year. */
  @Put(':year/:kind/:regencyCode')
  @Roles('admin')
  @HttpCode(200)
  @MeasuredCommand('SetAllocation')
  @ApiCommand({
    operationId: 'setAllocation',
    summary: 'Set how many recipients of a kind a regency/city may aid in a year',
    status: 200,
    answer: {
      year: { type: 'integer' },
      kind: { type: 'string', enum: ['RSE', 'KUBE'] },
      regencyCode: { type: 'string', example: '64.72' },
      quota: { type: 'integer', minimum: 0 },
    },
    errors: {
      400: ['INVALID_QUOTA', 'UNKNOWN_REGENCY'],
      409: ['YEAR_OUTSIDE_PROGRAMME', 'ALLOCATION_ABOVE_TARGET', 'ALLOCATION_BELOW_DISBURSED'],
    },
    idempotent: false,
  })
  setAllocation(
    @Param() params: AllocationParams,
    @Body() body: SetAllocationBody,
    @Req() request: AuthenticatedRequest,
  ): Promise<AllocationAnswer> {
    return this.commandBus.execute(
      new SetAllocationCommand(
        params.year,
        params.kind,
        params.regencyCode,
        body.quota,
        commandContext(request),
      ),
    );
  }
}
