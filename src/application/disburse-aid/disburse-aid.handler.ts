import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../common/clock';
import { localDate, type AidKind } from '../../domain/programme/aid-programme';
import type { DisburseAid } from '../../domain/recipient/recipient.commands';
import {
  aidValue,
  nextDisbursementId,
  recipientDecider,
} from '../../domain/recipient/recipient.decider';
import { DomainError } from '../../domain/domain-error';
import { answerPosition } from '../command-handling/answer-position';
import { certainlyNotWritten } from '../command-handling/certainly-not-written';
import { CommandRunner } from '../command-handling/command-runner';
import { QuotaSlots } from '../quota-slots/quota-slots';
import { streams } from '../streams';
import { DisburseAidCommand, type DisbursementAnswer } from './disburse-aid.command';

/**
 * Disburses aid: checks the recipient's own rules, reserves a slot in the year's quota stream
 * (target and allocation), records the aid on the recipient's stream, then confirms the slot.
 * If recording fails — another disbursement got there first — the slot is released again.
 */
@CommandHandler(DisburseAidCommand)
export class DisburseAidHandler implements ICommandHandler<DisburseAidCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly slots: QuotaSlots,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    recipientId,
    disbursement,
    context,
  }: DisburseAidCommand): Promise<DisbursementAnswer> {
    const stream = streams.recipient(recipientId);
    for (let attempt = 1; ; attempt++) {
      const { state } = await this.runner.read(stream, recipientDecider);
      const { year, form, items, disbursedOn } = disbursement;
      const command: DisburseAid = {
        type: 'DisburseAid',
        disbursementId: nextDisbursementId(recipientId, state),
        year,
        form,
        items: items.map(({ description, quantity, unitPriceRupiah }) => ({
          description,
          quantity,
          unitPriceRupiah,
        })),
        disbursedOn,
        today: localDate(this.clock.now()),
      };
      // The recipient's rules first, so a refused disbursement never touches the quota.
      recipientDecider.decide(command, state);
      const kind = state.kind as AidKind;
      const { disbursementId } = command;
      const valueRupiah = aidValue(command.items);

      try {
        await this.slots.reserve(
          {
            year,
            kind,
            disbursementId,
            recipientId,
            regencyCode: state.regencyCode as string,
            valueRupiah,
          },
          context,
        );
      } catch (error) {
        // A request that died after reserving holds this id's slot: settle it, then use the next id.
        const held = error instanceof DomainError && error.code === 'DISBURSEMENT_IN_PROGRESS';
        if (
          held &&
          attempt === 1 &&
          (await this.slots.settleIfStale(year, kind, disbursementId, context))
        ) {
          continue;
        }
        throw error;
      }
      let recorded;
      try {
        recorded = await this.runner.run(stream, recipientDecider, command, context);
      } catch (error) {
        // If the aid may have been recorded, the slot stays; a stale pending slot is settled later.
        if (certainlyNotWritten(error))
          await this.slots.release(year, kind, disbursementId, 'REFUSED', context);
        throw error;
      }
      const confirmed = await this.slots.confirm(year, kind, disbursementId, context);
      return { disbursementId, valueRupiah, position: answerPosition(recorded, confirmed) };
    }
  }
}
