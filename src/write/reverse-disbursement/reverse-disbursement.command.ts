import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../platform/command-handling/command-context';

export interface ReversalAnswer {
  position: string;
}

export class ReverseDisbursementCommand extends Command<ReversalAnswer> {
  constructor(
    readonly disbursementId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
