import type { Clock } from '../../src/platform/clock';
import type { EventStore } from '../../src/platform/event-store/event-store.port';
import { SqliteEventStore } from '../../src/platform/event-store/sqlite/sqlite-event-store';
import { KurrentDbSemanticsEventStore } from './kurrentdb-semantics-event-store';

/**
 * The event stores the engine suites run over, by name: the embedded SQLite store, and the
 * in-memory store with KurrentDB's semantics (byte positions, small batches, paged reads).
 */
export const EVENT_STORES: [name: string, open: (clock?: Clock) => EventStore][] = [
  ['SQLite', (clock) => new SqliteEventStore({ file: ':memory:', clock })],
  ['KurrentDB semantics', (clock) => new KurrentDbSemanticsEventStore({ clock })],
];
