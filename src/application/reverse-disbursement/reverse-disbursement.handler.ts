import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../common/clock';
import { DomainError } from '../../domain/domain-error';
import { localDate, type AidKind } from '../../domain/programme/aid-programme';
import { recipientDecider, recipientIdOf } from '../../domain/recipient/recipient.decider';
import { answerPosition } from '../command-handling/answer-position';
import { CommandRunner } from '../command-handling/command-runner';
import { QuotaSlots } from '../quota-slots/quota-slots';
import { streams } from '../streams';
import { ReverseDisbursementCommand, type ReversalAnswer } from './reverse-disbursement.command';

/**
 * Reverses a disbursement on its recipient's stream (the record of truth), then frees its quota
 * slot. Reversing first means a crash in between can only leave a slot held too long, never a
 * quota exceeded; asking again for the same reversal frees the slot and answers ALREADY_REVERSED.
 */
@CommandHandler(ReverseDisbursementCommand)
export class ReverseDisbursementHandler implements ICommandHandler<ReverseDisbursementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly slots: QuotaSlots,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    disbursementId,
    reason,
    context,
  }: ReverseDisbursementCommand): Promise<ReversalAnswer> {
    const stream = streams.recipient(recipientIdOf(disbursementId));
    let reversed;
    try {
      reversed = await this.runner.run(
        stream,
        recipientDecider,
        { type: 'ReverseDisbursement', disbursementId, reason, today: localDate(this.clock.now()) },
        context,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ALREADY_REVERSED') {
        const { state } = await this.runner.read(stream, recipientDecider);
        const record = state.disbursements[disbursementId];
        await this.slots.release(
          record.year,
          state.kind as AidKind,
          disbursementId,
          'REVERSED',
          context,
        );
      }
      throw error;
    }
    const record = reversed.state.disbursements[disbursementId];
    const released = await this.slots.release(
      record.year,
      reversed.state.kind as AidKind,
      disbursementId,
      'REVERSED',
      context,
    );
    return { position: answerPosition(reversed, released) };
  }
}
