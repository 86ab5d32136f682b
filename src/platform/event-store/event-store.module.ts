import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../clock';
import { appConfig, type AppConfig } from '../../config/app.config';
import { createEventStore } from './create-event-store';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { KurrentDbEventStore, UnsupportedServerError } from './kurrentdb/kurrentdb-event-store';

/**
 * Provides the EventStore chosen by configuration. A KurrentDB server too old for atomic
 * multi-stream appends stops the start; an unreachable one does not (health reports it). On shutdown (after the HTTP server has
 * stopped taking requests) it closes the store, which first commits the appends in flight.
 */
@Global()
@Module({
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: EVENT_STORE,
      inject: [appConfig.KEY, CLOCK],
      useFactory: (config: AppConfig, clock: Clock) => createEventStore(config.eventStore, clock),
    },
  ],
  exports: [EVENT_STORE, CLOCK],
})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onModuleInit(): Promise<void> {
    if (!(this.store instanceof KurrentDbEventStore)) return;
    try {
      await this.store.checkServer();
    } catch (error) {
      if (error instanceof UnsupportedServerError) throw error;
      new Logger('EventStore').warn(
        `Could not ask KurrentDB for its version yet: ${String(error)}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
