/**
 * The stream-name prefixes of every stream this service writes (src/domain/streams.ts, the
 * Idempotency-Key records and the audit seals). `$all` is read through a server-side filter on
 * them, so that events other writers put in the same database never reach projections, seals or
 * verify. A new stream category must be added here; service-streams.spec.ts checks that every
 * name the service builds matches one of them.
 */
export const SERVICE_STREAM_PREFIXES: readonly string[] = [
  'recipient-',
  'quota-',
  'nik-',
  'idempotency-',
  'audit-seals',
];
