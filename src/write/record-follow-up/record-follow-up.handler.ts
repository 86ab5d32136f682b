import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock';
import { localDate } from '../../domain/programme/aid-programme';
import type { RecipientCommand } from '../../domain/recipient/recipient.commands';
import { recipientDecider } from '../../domain/recipient/recipient.decider';
import { CommandRunner } from '../../platform/command-handling/command-runner';
import { streams } from '../../domain/streams';
import type {
  RecordExhibitionParticipation,
  RecordMentoring,
  RecordMonitoring,
} from '../../domain/recipient/recipient.commands';
import type { CommandContext } from '../../platform/command-handling/command-context';

export type FollowUp =
  | Omit<RecordMonitoring, 'today'>
  | Omit<RecordMentoring, 'today'>
  | Omit<RecordExhibitionParticipation, 'today'>;

export interface FollowUpAnswer {
  position: string;
}

/** Monitoring visits, mentoring and exhibitions: what happens to a business after the aid. */
export class RecordFollowUpCommand extends Command<FollowUpAnswer> {
  constructor(
    readonly recipientId: string,
    readonly followUp: FollowUp,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordFollowUpCommand)
export class RecordFollowUpHandler implements ICommandHandler<RecordFollowUpCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ recipientId, followUp, context }: RecordFollowUpCommand): Promise<FollowUpAnswer> {
    const command = { ...followUp, today: localDate(this.clock.now()) } as RecipientCommand;
    const stream = streams.recipient(recipientId);
    return this.runner.execute(
      context,
      async (unit) => {
        await unit.decide(stream, recipientDecider, command);
        return {};
      },
      { locks: [stream] },
    );
  }
}
