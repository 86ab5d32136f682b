import { existsSync } from 'node:fs';
import type { AppConfig } from '../config/app.config';

/**
 * Refuses a DATA_DIR that holds no event log, before any store opens: opening one there would
 * create the folder, empty stores and a new master key, and the tool would then answer for an
 * empty ledger (verify: "OK") instead of saying that DATA_DIR is mistyped. Nothing is created.
 * With EVENTSTORE_URL set the events are in KurrentDB, and DATA_DIR is not where they are.
 */
export function requireExistingLedger(config: AppConfig): void {
  const { eventStore } = config;
  if (eventStore.kind !== 'sqlite' || existsSync(eventStore.file)) return;
  throw new Error(
    `No event log in DATA_DIR ${config.dataDir}: ${eventStore.file} does not exist. ` +
      'Set DATA_DIR to the data directory of the service (or EVENTSTORE_URL to its KurrentDB); ' +
      'nothing was created.',
  );
}
