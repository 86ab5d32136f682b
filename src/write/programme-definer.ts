import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AID_KINDS, DEFAULT_PROGRAMME } from '../domain/programme/aid-programme';
import { REGENCIES } from '../domain/programme/regencies';
import { quotaDecider } from '../domain/quota/quota.decider';
import { CommandRunner } from '../platform/command-handling/command-runner';
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
 * start, and several processes starting together, leave exactly one definition.
 */
@Injectable()
export class ProgrammeDefiner implements OnApplicationBootstrap {
  private readonly logger = new Logger('Programme');

  constructor(@Inject(CommandRunner) private readonly runner: CommandRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    let defined = 0;
    for (const year of DEFAULT_PROGRAMME.years) {
      for (const kind of AID_KINDS) {
        const perRegency = DEFAULT_PROGRAMME.allocationPerRegency[kind];
        const stream = streams.quota(year, kind);
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
}
