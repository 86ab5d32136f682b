import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { quotaDecider } from '../../domain/quota/quota.decider';
import { CommandRunner } from '../../platform/command-handling/command-runner';
import { streams } from '../../domain/streams';
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

@CommandHandler(SetAllocationCommand)
export class SetAllocationHandler implements ICommandHandler<SetAllocationCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute(command: SetAllocationCommand): Promise<AllocationAnswer> {
    const { year, kind, regencyCode, quota, context } = command;
    const stream = streams.quota(year, kind);
    return this.runner.execute(
      context,
      async (unit) => {
        await unit.decide(stream, quotaDecider, { type: 'SetAllocation', regencyCode, quota });
        return { year, kind, regencyCode, quota };
      },
      { locks: [stream] },
    );
  }
}
