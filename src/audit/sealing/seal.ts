import type { StoredEvent } from '../../platform/event-store/event-store.port';
import type { DigestState } from './log-digest';

/** Seals live in their own stream; its hash chain protects them like any other events. */
export const SEAL_STREAM = 'audit-seals';
export const LOG_SEALED = 'LogSealed';

/** The data of a LogSealed event; the position is a decimal string, as JSON has no bigint. */
export interface LogSealedData {
  sealedPosition: string;
  eventCount: number;
  streamCount: number;
  logHash: string;
}

export function sealDataOf(state: DigestState): LogSealedData {
  const { position, eventCount, streamCount, logHash } = state;
  return { sealedPosition: position.toString(), eventCount, streamCount, logHash };
}

export function digestStateOf(data: LogSealedData): DigestState {
  const { sealedPosition, eventCount, streamCount, logHash } = data;
  return { position: BigInt(sealedPosition), eventCount, streamCount, logHash };
}

export function isSeal(event: StoredEvent): event is StoredEvent<typeof LOG_SEALED, LogSealedData> {
  return event.streamName === SEAL_STREAM && event.type === LOG_SEALED;
}
