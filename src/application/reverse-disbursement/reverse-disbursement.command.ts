import { Command } from '@nestjs/cqrs';
import type { EventContext } from '../../event-store/event-metadata';

export interface ReversalAnswer {
  position: string;
}

export class ReverseDisbursementCommand extends Command<ReversalAnswer> {
  constructor(
    readonly disbursementId: string,
    readonly reason: string,
    readonly context: EventContext,
  ) {
    super();
  }
}
