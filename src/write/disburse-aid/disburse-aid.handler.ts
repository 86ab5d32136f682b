import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../platform/clock';
import { localDate } from '../../domain/programme/aid-programme';
import { quotaDecider } from '../../domain/quota/quota.decider';
import {
  aidValue,
  nextDisbursementId,
  recipientDecider,
  requireRegistered,
} from '../../domain/recipient/recipient.decider';
import { CommandRunner } from '../../platform/command-handling/command-runner';
import { streams } from '../../domain/streams';
import type { CommandContext } from '../../platform/command-handling/command-context';
import type { DisburseAid } from '../../domain/recipient/recipient.commands';

export interface DisbursementAnswer {
  disbursementId: string;
  valueRupiah: number;
  position: string;
}

export class DisburseAidCommand extends Command<DisbursementAnswer> {
  constructor(
    readonly recipientId: string,
    readonly disbursement: Omit<DisburseAid, 'type' | 'disbursementId' | 'today'>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Disburses aid in one append: `AidDisbursed` on the recipient's stream and `QuotaSlotTaken` on
 * the year's quota stream (target, allocation, ceiling), each expecting the revision it was read
 * at. The recipient's rules are decided first, so a refused disbursement never reads the quota.
 */
@CommandHandler(DisburseAidCommand)
export class DisburseAidHandler implements ICommandHandler<DisburseAidCommand> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    recipientId,
    disbursement,
    context,
  }: DisburseAidCommand): Promise<DisbursementAnswer> {
    const stream = streams.recipient(recipientId);
    const { year, form, items, disbursedOn } = disbursement;
    // A recipient's kind never changes: it names the quota stream to queue on in this process.
    const { state: known } = await this.runner.read(stream, recipientDecider);
    const locks =
      known.status === 'registered' ? [stream, streams.quota(year, known.kind)] : [stream];
    return this.runner.execute(
      context,
      async (unit) => {
        const state = await unit.read(stream, recipientDecider);
        const disbursementId = nextDisbursementId(recipientId, state);
        await unit.decide(stream, recipientDecider, {
          type: 'DisburseAid',
          disbursementId,
          year,
          form,
          items: items.map(({ description, quantity, unitPriceRupiah }) => ({
            description,
            quantity,
            unitPriceRupiah,
          })),
          disbursedOn,
          today: localDate(this.clock.now()),
        });
        const valueRupiah = aidValue(items);
        // Narrows only: the decision above refused a recipient not registered.
        const { kind, regencyCode } = requireRegistered(state);
        await unit.decide(streams.quota(year, kind), quotaDecider, {
          type: 'TakeSlot',
          disbursementId,
          recipientId,
          regencyCode,
          valueRupiah,
        });
        return { disbursementId, valueRupiah };
      },
      { locks },
    );
  }
}
