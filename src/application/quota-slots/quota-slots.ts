import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { DomainError } from '../../domain/domain-error';
import type { AidKind } from '../../domain/programme/aid-programme';
import type { SlotReleaseReason } from '../../domain/quota/quota.commands';
import type { QuotaEvent } from '../../domain/quota/quota.events';
import {
  pendingSlotsReservedBefore,
  quotaDecider,
  type QuotaState,
} from '../../domain/quota/quota.decider';
import { recipientDecider, recipientIdOf } from '../../domain/recipient/recipient.decider';
import type { EventContext } from '../../event-store/event-metadata';
import type { CommandResult } from '../command-handling/handle-command';
import { CommandRunner } from '../command-handling/command-runner';
import { streams } from '../streams';

/** A slot still pending after this long belongs to a request presumed dead. */
const STALE_SLOT_MS = 60_000;

export interface SlotRequest {
  year: number;
  kind: AidKind;
  disbursementId: string;
  recipientId: string;
  regencyCode: string;
  valueRupiah: number;
}

type QuotaResult = CommandResult<QuotaEvent, QuotaState>;

/**
 * Quota slots on the yearly quota streams. A disbursement reserves a slot before the aid is
 * recorded on its recipient and confirms it after; a request that dies in between leaves a
 * pending slot, which is settled when the quota looks full: the recipient's stream is fenced with
 * DisbursementAbandoned (unless the aid was recorded after all), and only then is the slot freed.
 */
@Injectable()
export class QuotaSlots {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async reserve(request: SlotRequest, context: EventContext): Promise<QuotaResult> {
    const { year, kind, disbursementId, recipientId, regencyCode, valueRupiah } = request;
    const reserve = () =>
      this.runner.run(
        streams.quota(year, kind),
        quotaDecider,
        {
          type: 'ReserveSlot',
          disbursementId,
          recipientId,
          regencyCode,
          valueRupiah,
          reservedAt: this.clock.now().toISOString(),
        },
        context,
      );
    try {
      return await reserve();
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'QUOTA_EXHAUSTED')) throw error;
      if ((await this.settleStaleSlots(year, kind, context)) === 0) throw error;
      return reserve();
    }
  }

  confirm(
    year: number,
    kind: AidKind,
    disbursementId: string,
    context: EventContext,
  ): Promise<QuotaResult> {
    return this.runner.run(
      streams.quota(year, kind),
      quotaDecider,
      { type: 'ConfirmSlot', disbursementId },
      context,
    );
  }

  release(
    year: number,
    kind: AidKind,
    disbursementId: string,
    reason: SlotReleaseReason,
    context: EventContext,
  ): Promise<QuotaResult> {
    return this.runner.run(
      streams.quota(year, kind),
      quotaDecider,
      { type: 'ReleaseSlot', disbursementId, reason },
      context,
    );
  }

  /** Settles the slot of `disbursementId` if it has been pending too long; true when it did. */
  async settleIfStale(
    year: number,
    kind: AidKind,
    disbursementId: string,
    context: EventContext,
  ): Promise<boolean> {
    const { state } = await this.runner.read(streams.quota(year, kind), quotaDecider);
    if (!pendingSlotsReservedBefore(state, this.staleBefore()).includes(disbursementId))
      return false;
    await this.settle(year, kind, disbursementId, context);
    return true;
  }

  /** Settles the slots pending for too long; answers how many were freed. */
  private async settleStaleSlots(
    year: number,
    kind: AidKind,
    context: EventContext,
  ): Promise<number> {
    const { state } = await this.runner.read(streams.quota(year, kind), quotaDecider);
    let freed = 0;
    for (const disbursementId of pendingSlotsReservedBefore(state, this.staleBefore())) {
      if (await this.settle(year, kind, disbursementId, context)) freed++;
    }
    return freed;
  }

  /**
   * Fences the disbursement on its recipient (unless the aid was recorded after all), then frees
   * the slot, or confirms it when the aid was recorded. True when the slot was freed.
   */
  private async settle(
    year: number,
    kind: AidKind,
    disbursementId: string,
    context: EventContext,
  ): Promise<boolean> {
    const fence = await this.runner.run(
      streams.recipient(recipientIdOf(disbursementId)),
      recipientDecider,
      { type: 'AbandonDisbursement', disbursementId },
      context,
    );
    if (fence.state.disbursements[disbursementId]) {
      await this.confirm(year, kind, disbursementId, context);
      return false;
    }
    await this.release(year, kind, disbursementId, 'ABANDONED', context);
    return true;
  }

  private staleBefore(): string {
    return new Date(this.clock.now().getTime() - STALE_SLOT_MS).toISOString();
  }
}
