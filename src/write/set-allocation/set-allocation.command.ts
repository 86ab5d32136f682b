import { Command } from '@nestjs/cqrs';
import type { AidKind } from '../../domain/programme/aid-programme';
import type { CommandContext } from '../../platform/command-handling/command-context';

export interface AllocationAnswer {
  year: number;
  kind: AidKind;
  regencyCode: string;
  quota: number;
  position: string;
}

export class SetAllocationCommand extends Command<AllocationAnswer> {
  constructor(
    readonly year: number,
    readonly kind: AidKind,
    readonly regencyCode: string,
    readonly quota: number,
    readonly context: CommandContext,
  ) {
    super();
  }
}
