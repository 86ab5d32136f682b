import { Body, Controller, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { AuthenticatedRequest } from '../../http/auth/principal';
import { ApiCommand, POSITION } from '../../http/api-responses';
import { Roles } from '../../http/auth/roles.decorator';
import { commandContext } from '../../http/command-context';
import { RecipientParams } from '../../http/recipient.params';
import {
  RecordFollowUpCommand,
  type FollowUp,
  type FollowUpAnswer,
} from './record-follow-up.handler';
import {
  RecordExhibitionBody,
  RecordMentoringBody,
  RecordMonitoringBody,
} from './record-follow-up.dto';
import { MeasuredCommand } from '../../operations/metrics/command-metrics';

@Controller('recipients/:id')
@Roles('monitor')
export class RecordFollowUpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** A monitoring visit: how the business is doing since the aid. */
  @Post('monitoring')
  @MeasuredCommand('RecordFollowUp')
  @ApiCommand(201, { position: POSITION })
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
  @ApiCommand(201, { position: POSITION })
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
  @ApiCommand(201, { position: POSITION })
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
