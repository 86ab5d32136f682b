import type { AppConfig } from '../../config/app.config';
import type { Clock } from '../clock';
import { createEventStore } from '../event-store/create-event-store';
import { openDataKeyStore } from './open-data-key-store';
import { PersonalDataEventStore } from './personal-data-event-store';

/**
 * For tools that run outside Nest (CLIs, worker threads): the event store as the application
 * sees it, personal fields decrypted and encrypted, over the ledger's store (`.ledger`). Its
 * `close` closes the ledger's store, then the key store opened for it.
 */
export async function openApplicationEventStore(
  config: AppConfig,
  clock: Clock,
): Promise<PersonalDataEventStore> {
  const keyStore = await openDataKeyStore(config);
  try {
    const ledger = createEventStore(config.eventStore, clock);
    return new PersonalDataEventStore(ledger, keyStore, () => keyStore.close());
  } catch (error) {
    await keyStore.close();
    throw error;
  }
}
