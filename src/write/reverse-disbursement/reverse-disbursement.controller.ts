import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../http/command-context';
import { ReverseDisbursementCommand, type ReversalAnswer } from './reverse-disbursement.handler';
import { DisbursementParams, ReverseDisbursementBody } from './reverse-disbursement.dto';
import { MeasuredCommand } from '../../operations/metrics/command-metrics';

@Controller('disbursements/:id/reversal')
export class ReverseDisbursementController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Reverses a disbursement: its quota slot is freed and the recipient may be aided again. */
  @Post()
  @Roles('operator')
  @HttpCode(200)
  @MeasuredCommand('ReverseDisbursement')
  @ApiCommand(200, { position: POSITION })
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
