import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { CLOCK, type Clock } from '../clock';
import { createReadStore } from './create-read-store';
import { READ_STORE, type ReadStore } from './read-store.port';

/**
 * Provides the ReadStore chosen by configuration (MONGODB_URL, else SQLite in DATA_DIR), its
 * leases timed by the CLOCK the event store module provides (on MongoDB, the system clock is
 * the server's).
 */
@Global()
@Module({
  providers: [
    {
      provide: READ_STORE,
      inject: [appConfig.KEY, CLOCK],
      useFactory: (config: AppConfig, clock: Clock) => createReadStore(config.readStore, {}, clock),
    },
  ],
  exports: [READ_STORE],
})
export class ReadStoreModule implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
