import { AID_KINDS, type AidKind } from './programme/aid-programme';

/**
 * Where each decider's events live: `<category>-<id>`. No personal data ever appears in a name.
 */
export const streams = {
  recipient: (recipientId: string) => `recipient-${recipientId}`,
  quota: (year: number, kind: AidKind) => `quota-${year}-${kind}`,
  nik: (nikHash: string) => `nik-${nikHash}`,
};

/** The year and kind a quota stream's name carries; its events do not repeat them. */
export function quotaOfStream(streamName: string): { year: number; kind: AidKind } {
  const [category, year, kind] = streamName.split('-');
  const aidKind = AID_KINDS.find((candidate) => candidate === kind);
  if (category !== 'quota' || !/^\d{4}$/.test(year) || !aidKind) {
    throw new Error(`Not a quota stream: ${streamName}`);
  }
  return { year: Number(year), kind: aidKind };
}
