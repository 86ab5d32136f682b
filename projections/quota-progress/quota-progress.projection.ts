import type { AidKind } from '../../src/domain/programme/aid-programme';
import type { ProgrammeEvent, ProgrammeProjection } from '../programme-event';
import { quotaOfStream } from '../../src/domain/streams';

/**
 * Progress against the quotas: one document per year and kind for the whole programme, and one
 * per year, kind and regency/city. Counts are net: a reversal takes its disbursement back out.
 */
export interface QuotaProgressDocument {
  year: number;
  kind: AidKind;
  /** Null on the programme document. */
  regencyCode: string | null;
  /** The yearly target (programme document only). */
  target: number | null;
  /** Programme: the sum of the regencies' allocations. Regency: its allocation, null if none. */
  allocated: number | null;
  disbursed: number;
  reversed: number;
  valueDisbursedRupiah: number;
}

export const programmeId = (year: number, kind: string) => `${year}:${kind}`;
export const regencyId = (year: number, kind: string, regencyCode: string) =>
  `${year}:${kind}:${regencyCode}`;

function empty(id: string): QuotaProgressDocument {
  const [year, kind, regencyCode] = id.split(':');
  return {
    year: Number(year),
    kind: kind as AidKind,
    regencyCode: regencyCode ?? null,
    target: null,
    allocated: regencyCode ? null : 0,
    disbursed: 0,
    reversed: 0,
    valueDisbursedRupiah: 0,
  };
}

export const quotaProgressProjection: ProgrammeProjection<QuotaProgressDocument> = {
  name: 'quota-progress',
  version: 1,
  indexes: ['year', 'kind', 'regencyCode'],
  handles: [
    'YearlyQuotaDefined',
    'YearlyQuotaChanged',
    'AllocationSet',
    'AllocationCleared',
    'AidDisbursed',
    'DisbursementReversed',
  ],

  documentIds(event: ProgrammeEvent) {
    switch (event.type) {
      case 'YearlyQuotaDefined':
        return [programmeId(event.data.year, event.data.kind)];
      case 'YearlyQuotaChanged': {
        const { year, kind } = quotaOfStream(event.streamName);
        return [programmeId(year, kind)];
      }
      case 'AllocationSet':
      case 'AllocationCleared': {
        const { year, kind } = quotaOfStream(event.streamName);
        return [programmeId(year, kind), regencyId(year, kind, event.data.regencyCode)];
      }
      case 'AidDisbursed':
      case 'DisbursementReversed': {
        const { year, kind, regencyCode } = event.data;
        return [programmeId(year, kind), regencyId(year, kind, regencyCode)];
      }
      default:
        return [];
    }
  },

  evolve(current, event, id) {
    const document = current ?? empty(id);
    const isProgramme = document.regencyCode === null;
    switch (event.type) {
      case 'YearlyQuotaDefined':
      case 'YearlyQuotaChanged':
        return { ...document, target: event.data.target };
      case 'AllocationCleared':
        return isProgramme
          ? { ...document, allocated: (document.allocated ?? 0) - event.data.previousQuota }
          : { ...document, allocated: null };
      case 'AllocationSet': {
        const { quota, previousQuota } = event.data;
        return isProgramme
          ? { ...document, allocated: (document.allocated ?? 0) + quota - (previousQuota ?? 0) }
          : { ...document, allocated: quota };
      }
      case 'AidDisbursed':
        return {
          ...document,
          disbursed: document.disbursed + 1,
          valueDisbursedRupiah: document.valueDisbursedRupiah + event.data.valueRupiah,
        };
      case 'DisbursementReversed':
        return {
          ...document,
          disbursed: document.disbursed - 1,
          reversed: document.reversed + 1,
          valueDisbursedRupiah: document.valueDisbursedRupiah - event.data.valueRupiah,
        };
      default:
        return document;
    }
  },
};
