import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { quotaDecider } from '../../domain/quota/quota.decider';
import { answerPosition } from '../command-handling/answer-position';
import { CommandRunner } from '../command-handling/command-runner';
import { streams } from '../streams';
import { SetAllocationCommand, type AllocationAnswer } from './set-allocation.command';

@CommandHandler(SetAllocationCommand)
export class SetAllocationHandler implements ICommandHandler<SetAllocationCommand> {
  constructor(private readonly runner: CommandRunner) {}

  async execute(command: SetAllocationCommand): Promise<AllocationAnswer> {
    const { year, kind, regencyCode, quota, context } = command;
    const result = await this.runner.run(
      streams.quota(year, kind),
      quotaDecider,
      { type: 'SetAllocation', regencyCode, quota },
      context,
    );
    return { year, kind, regencyCode, quota, position: answerPosition(result) };
  }
}
