/** Who and what caused an append; the same for every event of one command. */
export interface EventContext {
  actor: string;
  correlationId: string;
  causationId: string;
  commandId: string;
}

/** What every stored event carries besides its type and data. */
export interface EventMetadata extends EventContext {
  eventId: string;
  /** When the store accepted the event (ISO 8601, UTC): what the system knew, and when. */
  recordedAt: string;
  schemaVersion: number;
  /** SHA-256 over the event's content and `previousHash` (see event-hash.ts). */
  hash: string;
  /** The hash of the previous event in the same stream; null for the first. */
  previousHash: string | null;
}
