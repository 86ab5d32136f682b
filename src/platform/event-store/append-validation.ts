import type { NewEvent, StreamAppend } from './event-store.port';

/**
 * Checks what every adapter must refuse before anything is written. Returns each event's data as
 * JSON so that a value JSON cannot hold fails this one append, never its neighbours in a batch.
 */
export function serializeForAppend(streamName: string, events: readonly NewEvent[]): string[] {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new TypeError('A stream name must be a non-empty string');
  }
  if (streamName.startsWith('$')) {
    throw new TypeError(`Stream ${streamName}: names starting with "$" are reserved for the store`);
  }
  if (events.length === 0) {
    throw new TypeError(`Stream ${streamName}: an append needs at least one event`);
  }
  return events.map((event) => {
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new TypeError(`Stream ${streamName}: event type "${event.type}" is not allowed`);
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new TypeError(`Stream ${streamName}: the data of ${event.type} must be a JSON object`);
    }
    return JSON.stringify(event.data);
  });
}

/** serializeForAppend for each stream of a multi-stream append, which names each stream once. */
export function serializeAppends(appends: readonly StreamAppend[]): string[][] {
  if (appends.length === 0) throw new TypeError('An append needs at least one stream');
  const seen = new Set<string>();
  return appends.map(({ streamName, events }) => {
    if (seen.has(streamName)) {
      throw new TypeError(`Stream ${streamName} appears twice in one append`);
    }
    seen.add(streamName);
    return serializeForAppend(streamName, events);
  });
}
