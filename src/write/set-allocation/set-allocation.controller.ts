import { Body, Controller, HttpCode, Param, Put, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../http/command-context';
import { SetAllocationCommand, type AllocationAnswer } from './set-allocation.handler';
import { AllocationParams, SetAllocationBody } from './set-allocation.dto';
import { MeasuredCommand } from '../../operations/metrics/command-metrics';

@Controller('programme/allocations')
export class SetAllocationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Sets how many recipients of a kind a regency/city may aid in a year. */
  @Put(':year/:kind/:regencyCode')
  @Roles('admin')
  @HttpCode(200)
  @MeasuredCommand('SetAllocation')
  @ApiCommand(200, {
    year: { type: 'integer' },
    kind: { type: 'string' },
    regencyCode: { type: 'string' },
    quota: { type: 'integer' },
    position: POSITION,
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
