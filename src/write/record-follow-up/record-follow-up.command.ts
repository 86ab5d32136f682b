import { Command } from '@nestjs/cqrs';
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
