import { AID_KINDS, type AidKind } from '../../src/domain/programme/aid-programme';
import { REGENCIES } from '../../src/domain/programme/regencies';
import type { ReadStore } from '../../src/platform/read-store/read-store.port';
import type { QuotaProgressDocument } from './quota-progress.projection';

export interface Progress {
  allocated: number | null;
  disbursed: number;
  reversed: number;
  valueDisbursedRupiah: number;
  remaining: number | null;
}

export interface KindProgress extends Progress {
  kind: AidKind;
  target: number;
  regencies: (Progress & { code: string; name: string })[];
}

export interface QuotaProgressReport {
  /** Null: all years of the programme added up. */
  year: number | null;
  kinds: KindProgress[];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Programme and regency progress per kind, for one year or all of them. */
export async function quotaProgress(
  readStore: ReadStore,
  collection: string,
  year?: number,
): Promise<QuotaProgressReport> {
  const documents = await readStore.find<QuotaProgressDocument>(collection, {
    filter: year === undefined ? {} : { year },
  });
  return quotaProgressReport(documents, year);
}

/** The report from the documents of one year (or all of them), wherever they came from. */
export function quotaProgressReport(
  documents: readonly QuotaProgressDocument[],
  year?: number,
): QuotaProgressReport {
  return {
    year: year ?? null,
    kinds: AID_KINDS.map((kind) => {
      const ofKind = documents.filter((document) => document.kind === kind);
      const programme = ofKind.filter((document) => document.regencyCode === null);
      const target = sum(programme.map((document) => document.target ?? 0));
      const totals = add(programme);
      return {
        kind,
        target,
        ...totals,
        remaining: target - totals.disbursed,
        regencies: REGENCIES.map((regency) => {
          const progress = add(ofKind.filter((document) => document.regencyCode === regency.code));
          return {
            code: regency.code,
            name: regency.name,
            ...progress,
            remaining: progress.allocated === null ? null : progress.allocated - progress.disbursed,
          };
        }),
      };
    }),
  };
}

function add(documents: QuotaProgressDocument[]): Omit<Progress, 'remaining'> {
  const allocations = documents.map((document) => document.allocated).filter((n) => n !== null);
  return {
    allocated: allocations.length === 0 ? null : sum(allocations),
    disbursed: sum(documents.map((document) => document.disbursed)),
    reversed: sum(documents.map((document) => document.reversed)),
    valueDisbursedRupiah: sum(documents.map((document) => document.valueDisbursedRupiah)),
  };
}
