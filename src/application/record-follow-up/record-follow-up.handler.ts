import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../common/clock';
import { localDate } from '../../domain/programme/aid-programme';
import type { RecipientCommand } from '../../domain/recipient/recipient.commands';
import { recipientDecider } from '../../domain/recipient/recipient.decider';
import { answerPosition } from '../command-handling/answer-position';
import { CommandRunner } from '../command-handling/command-runner';
import { streams } from '../streams';
import { RecordFollowUpCommand, type FollowUpAnswer } from './record-follow-up.command';

@CommandHandler(RecordFollowUpCommand)
export class RecordFollowUpHandler implements ICommandHandler<RecordFollowUpCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    recipientId,
    followUp,
    context,
  }: RecordFollowUpCommand): Promise<FollowUpAnswer> {
    const command = { ...followUp, today: localDate(this.clock.now()) } as RecipientCommand;
    const result = await this.runner.run(
      streams.recipient(recipientId),
      recipientDecider,
      command,
      context,
    );
    return { position: answerPosition(result) };
  }
}
