import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AID_KINDS, DEFAULT_PROGRAMME } from '../domain/programme/aid-programme';
import { REGENCIES } from '../domain/programme/regencies';
import { quotaDecider } from '../domain/quota/quota.decider';
import { CommandRunner } from '../platform/command-handling/command-runner';
import { StreamNotFoundError } from '../platform/event-store/event-store.errors';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port';
import { streams } from '../domain/streams';

const SYSTEM_CONTEXT = {
  actor: 'system',
  correlationId: 'default-programme',
  causationId: 'default-programme',
  commandId: 'default-programme',
};

/**
 * Defines the default programme (years, targets, ceilings, allocations) as events the first time
 * the service starts on an empty store. Defining is a no-op for a year already defined, so every
 * start, and several processes starting together, leave exactly one definition. A yearly quota
 * stream begins with its definition, so one that has a first event is left unread: a year may
 * hold hundreds of thousands of slots, and reading them would hold up every start.
 */
@Injectable()
export class ProgrammeDefiner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Programme');

  constructor(
    @Inject(CommandRunner) private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let defined = 0;
    for (const year of DEFAULT_PROGRAMME.years) {
      for (const kind of AID_KINDS) {
        const perRegency = DEFAULT_PROGRAMME.allocationPerRegency[kind];
        const stream = streams.quota(year, kind);
        if (await this.hasFirstEvent(stream)) continue;
        const result = await this.runner.execute(
          SYSTEM_CONTEXT,
          async (unit) => {
            await unit.decide(stream, quotaDecider, {
              type: 'DefineYearlyQuota',
              year,
              kind,
              target: DEFAULT_PROGRAMME.yearlyTarget[kind],
              ceilingRupiah: DEFAULT_PROGRAMME.ceilingRupiah[kind],
              allocations:
                perRegency === null
                  ? {}
                  : Object.fromEntries(REGENCIES.map((regency) => [regency.code, perRegency])),
            });
            return {};
          },
          { locks: [stream] },
        );
        if (result.position !== '0') defined++;
      }
    }
    if (defined > 0) this.logger.log(`Defined the default programme (${defined} yearly quotas)`);
  }

  private async hasFirstEvent(stream: string): Promise<boolean> {
    try {
      return (await this.store.readStream(stream, { maxCount: 1 })).length > 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return false;
      throw error;
    }
  }
}
