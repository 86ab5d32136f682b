import type { AidKind } from '../domain/programme/aid-programme';

/** Stream names: `<category>-<id>`. No personal data ever appears in a name. */
export const streams = {
  recipient: (recipientId: string) => `recipient-${recipientId}`,
  quota: (year: number, kind: AidKind) => `quota-${year}-${kind}`,
  nik: (nikHash: string) => `nik-${nikHash}`,
  idempotency: (keyHash: string) => `idempotency-${keyHash}`,
};
