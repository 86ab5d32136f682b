import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../platform/command-handling/command-context';
import type { DisburseAidBody } from './disburse-aid.dto';

export interface DisbursementAnswer {
  disbursementId: string;
  valueRupiah: number;
  position: string;
}

export class DisburseAidCommand extends Command<DisbursementAnswer> {
  constructor(
    readonly recipientId: string,
    readonly disbursement: DisburseAidBody,
    readonly context: CommandContext,
  ) {
    super();
  }
}
