import { Global, Module } from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { CommandRunner } from './command-runner';
import { createNikHasher, NIK_HASHER } from './nik-hasher';

/**
 * Wraps the store the command runner appends through, when something (metrics) provides it:
 * every append of the service goes through the runner, so that is where appends are timed.
 */
export const WRAP_COMMAND_STORE = Symbol('WrapCommandStore');
export type WrapCommandStore = (store: EventStore) => EventStore;

/** The command runner, and the service's secret key that commands hash personal data with. */
@Global()
@Module({
  providers: [
    {
      provide: CommandRunner,
      inject: [EVENT_STORE, { token: WRAP_COMMAND_STORE, optional: true }],
      useFactory: (store: EventStore, wrap?: WrapCommandStore) =>
        new CommandRunner(wrap ? wrap(store) : store),
    },
    {
      provide: NIK_HASHER,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => createNikHasher(config),
    },
  ],
  exports: [CommandRunner, NIK_HASHER],
})
export class CommandHandlingModule {}
