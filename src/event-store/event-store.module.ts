import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../common/clock';
import { appConfig, type AppConfig } from '../config/app.config';
import { createEventStore } from './create-event-store';
import { EVENT_STORE, type EventStore } from './event-store.port';

/**
 * Provides the EventStore chosen by configuration. On shutdown (after the HTTP server has
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
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
