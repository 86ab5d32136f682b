import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../platform/command-handling/command-context';
import { ReverseDisbursementCommand, type ReversalAnswer } from './reverse-disbursement.command';
import { DisbursementParams, ReverseDisbursementBody } from './reverse-disbursement.dto';

@Controller('disbursements/:id/reversal')
export class ReverseDisbursementController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Reverses a disbursement: its quota slot is freed and the recipient may be aided again. */
  @Post()
  @Roles('operator')
  @HttpCode(200)
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
