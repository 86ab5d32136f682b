import type { AidKind } from '../domain/programme/aid-programme';

/**
 * The programme's published progress, as the groups of recipients who received their aid at one
 * handover in a regency/city: 535 RSE women in all ten (500 in 2024, 35 in 2025) and 80 KUBe,
 * 20 each in Kutai Barat, Kutai Kartanegara, Samarinda and Balikpapan, in 2024.
 */
export interface Cohort {
  kind: AidKind;
  year: number;
  regencyCode: string;
  count: number;
  handedOverOn: string;
}

const cohort = (
  kind: AidKind,
  regencyCode: string,
  count: number,
  handedOverOn: string,
): Cohort => ({ kind, year: Number(handedOverOn.slice(0, 4)), regencyCode, count, handedOverOn });

export const DEMO_COHORTS: readonly Cohort[] = [
  cohort('RSE', '64.72', 95, '2024-05-21'),
  cohort('RSE', '64.71', 80, '2024-05-28'),
  cohort('RSE', '64.02', 80, '2024-06-18'),
  cohort('RSE', '64.09', 30, '2024-06-25'),
  cohort('RSE', '64.74', 30, '2024-07-02'),
  cohort('RSE', '64.01', 45, '2024-07-09'),
  cohort('RSE', '64.07', 35, '2024-07-23'),
  cohort('RSE', '64.03', 40, '2024-08-06'),
  cohort('RSE', '64.08', 50, '2024-08-20'),
  cohort('RSE', '64.11', 15, '2024-09-10'),
  cohort('KUBE', '64.07', 20, '2024-09-24'),
  cohort('KUBE', '64.02', 20, '2024-10-08'),
  cohort('KUBE', '64.72', 20, '2024-10-15'),
  cohort('KUBE', '64.71', 20, '2024-10-22'),
  cohort('RSE', '64.72', 8, '2025-05-20'),
  cohort('RSE', '64.71', 6, '2025-05-27'),
  cohort('RSE', '64.02', 6, '2025-06-10'),
  cohort('RSE', '64.08', 4, '2025-06-17'),
  cohort('RSE', '64.01', 3, '2025-06-24'),
  cohort('RSE', '64.03', 3, '2025-07-01'),
  cohort('RSE', '64.74', 2, '2025-07-08'),
  cohort('RSE', '64.09', 2, '2025-07-15'),
  cohort('RSE', '64.07', 1, '2025-07-22'),
];

/**
 * The day of the published progress. The data set's story up to it was drawn first and stays
 * exactly as it was (same people, aid, visits, and so the same Idempotency-Keys); what followed is
 * drawn from a random stream of its own (see `followUps`).
 */
export const PUBLISHED_AS_OF = '2025-08-31';

/**
 * The data set describes the programme as of this day: no visit, mentoring or exhibition after
 * it, so a service whose clock is at or past it accepts every date. Business dates run from the
 * first handover in 2024 to the 2026 evaluation round.
 */
export const DATA_SET_AS_OF = '2026-06-30';
