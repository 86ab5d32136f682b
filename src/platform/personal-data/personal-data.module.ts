import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { appConfig, type AppConfig } from '../../config/app.config';
import { openDataKeyStore } from './open-data-key-store';
import { DATA_KEY_STORE, type DataKeyStore } from './personal-data';

/**
 * Provides the DataKeyStore: a SQLite file in DATA_DIR beside an embedded read store, the
 * `personal_data_keys` collection of the read store's MongoDB database otherwise.
 *
 * Closed on shutdown after the event store, whose last appends still encrypt: Nest shuts global
 * modules down in the reverse order of their registration, so the root modules import this one
 * before EventStoreModule.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATA_KEY_STORE,
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => openDataKeyStore(config),
    },
  ],
  exports: [DATA_KEY_STORE],
})
export class PersonalDataModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_KEY_STORE) private readonly keyStore: DataKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keyStore.close();
  }
}
