/** The two kinds of recipient and what the programme gives each. */
export const AID_KINDS = ['RSE', 'KUBE'] as const;
export type AidKind = (typeof AID_KINDS)[number];

/**
 * The default programme, defined once as events on an empty store (by actor `system`): after
 * that the events are the truth, and an admin changes allocations through the API.
 */
export const DEFAULT_PROGRAMME = {
  years: [2024, 2025, 2026],
  yearlyTarget: { RSE: 500, KUBE: 200 } satisfies Record<AidKind, number>,
  ceilingRupiah: { RSE: 5_000_000, KUBE: 20_000_000 } satisfies Record<AidKind, number>,
  /** Per regency/city and year; RSE has none by default, so only its yearly target applies. */
  allocationPerRegency: { RSE: null, KUBE: 20 } satisfies Record<AidKind, number | null>,
};

/** Kalimantan Timur keeps WITA (UTC+8): "today" and "in the future" are judged there. */
const WITA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date (YYYY-MM-DD) in Kalimantan Timur at the given instant. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + WITA_OFFSET_MS).toISOString().slice(0, 10);
}
