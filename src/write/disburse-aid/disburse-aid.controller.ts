import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../http/command-context';
import { RecipientParams } from '../../http/recipient.params';
import { DisburseAidCommand, type DisbursementAnswer } from './disburse-aid.handler';
import { DisburseAidBody } from './disburse-aid.dto';
import { MeasuredCommand } from '../../operations/metrics/command-metrics';

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
