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
import { PersonalDataEventStore } from '../personal-data/personal-data-event-store';
import { DATA_KEY_STORE, type DataKeyStore } from '../personal-data/personal-data';
import { createEventStore, LEDGER_EVENT_STORE } from './create-event-store';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { KurrentDbEventStore, UnsupportedServerError } from './kurrentdb/kurrentdb-event-store';

/**
 * Provides the EventStore chosen by configuration, twice: as the ledger holds it
 * (LEDGER_EVENT_STORE: personal fields as ciphertext, for hash-chain and seal checks) and as the
 * application uses it (EVENT_STORE: the same store through the personal-data decorator, which
 * needs the DATA_KEY_STORE of PersonalDataModule). A KurrentDB server too old for atomic
 * multi-stream appends stops the start; an unreachable one does not (health reports it). On
 * shutdown (after the HTTP server has stopped taking requests) it closes the store, which first
 * commits the appends in flight.
 */
@Global()
@Module({
  providers: [
    { provide: CLOCK, useValue: systemClock },
    {
      provide: LEDGER_EVENT_STORE,
      inject: [appConfig.KEY, CLOCK],
      useFactory: (config: AppConfig, clock: Clock) => createEventStore(config.eventStore, clock),
    },
    {
      provide: EVENT_STORE,
      inject: [LEDGER_EVENT_STORE, DATA_KEY_STORE],
      useFactory: (ledger: EventStore, keyStore: DataKeyStore) =>
        new PersonalDataEventStore(ledger, keyStore),
    },
  ],
  exports: [EVENT_STORE, LEDGER_EVENT_STORE, CLOCK],
})
export class EventStoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_EVENT_STORE) private readonly ledger: EventStore,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!(this.ledger instanceof KurrentDbEventStore)) return;
    try {
      await this.ledger.checkServer();
    } catch (error) {
      if (error instanceof UnsupportedServerError) throw error;
      new Logger('EventStore').warn(
        `Could not ask KurrentDB for its version yet: ${String(error)}`,
      );
    }
  }

  /** Closes the decorator, which lets its appends finish and closes the ledger's store. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
