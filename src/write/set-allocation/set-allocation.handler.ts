import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { quotaDecider } from '../../domain/quota/quota.decider';
import { CommandRunner } from '../../platform/command-handling/command-runner';
import { streams } from '../streams';
import { SetAllocationCommand, type AllocationAnswer } from './set-allocation.command';

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
