import { AID_KINDS, type AidKind } from '../../src/domain/programme/aid-programme';
import { findRegency } from '../../src/domain/programme/regencies';
import { quotaOfStream } from '../../src/domain/streams';
import type { ProgrammeEvent, ProgrammeProjection } from '../programme-event';

export interface KindOfYear {
  kind: AidKind;
  target: number;
  ceilingRupiah: number;
  /** The sum of the regencies' allocations. */
  allocated: number;
  /** Regencies with an allocation, in code order; the others are bound by the target alone. */
  allocations: { regencyCode: string; regencyName: string; quota: number }[];
}

/**
 * The programme as defined: one document per year, with each kind's target, ceiling and
 * allocations, and the reason and time of the year's latest change. Any role may read it.
 */
export interface ProgrammeYearDocument {
  year: number;
  kinds: KindOfYear[];
  /** The reason an admin gave for the latest definition or change; null for the default. */
  latestReason: string | null;
  updatedAt: string;
}

const QUOTA_EVENTS = [
  'YearlyQuotaDefined',
  'YearlyQuotaChanged',
  'AllocationSet',
  'AllocationCleared',
] as const;

export const programmeYearsProjection: ProgrammeProjection<ProgrammeYearDocument> = {
  name: 'programme-years',
  version: 1,
  indexes: ['year'],
  handles: QUOTA_EVENTS,

  documentIds(event) {
    return isQuotaEvent(event) ? [String(quotaOfStream(event.streamName).year)] : [];
  },

  evolve(document, event) {
    if (!isQuotaEvent(event)) return document;
    const { year, kind } = quotaOfStream(event.streamName);
    const current = document ?? {
      year,
      kinds: [],
      latestReason: null,
      updatedAt: event.metadata.recordedAt,
    };
    const before = current.kinds.find((candidate) => candidate.kind === kind);
    const after = evolveKind(before, kind, event);
    if (!after) return current;
    const kinds = AID_KINDS.flatMap((candidate) =>
      candidate === kind ? [after] : current.kinds.filter((other) => other.kind === candidate),
    );
    const reason = 'reason' in event.data ? (event.data.reason ?? null) : current.latestReason;
    return { year, kinds, latestReason: reason, updatedAt: event.metadata.recordedAt };
  },
};

type QuotaDefinitionEvent = Extract<ProgrammeEvent, { type: (typeof QUOTA_EVENTS)[number] }>;

function isQuotaEvent(event: ProgrammeEvent): event is QuotaDefinitionEvent {
  return (QUOTA_EVENTS as readonly string[]).includes(event.type);
}

/** A kind's figures after one event; undefined while the kind is not defined yet. */
function evolveKind(
  before: KindOfYear | undefined,
  kind: AidKind,
  event: QuotaDefinitionEvent,
): KindOfYear | undefined {
  if (event.type === 'YearlyQuotaDefined') {
    const { target, ceilingRupiah } = event.data;
    return { kind, target, ceilingRupiah, allocated: 0, allocations: [] };
  }
  if (!before) return undefined;
  switch (event.type) {
    case 'YearlyQuotaChanged':
      return { ...before, target: event.data.target, ceilingRupiah: event.data.ceilingRupiah };
    case 'AllocationSet':
    case 'AllocationCleared': {
      const { regencyCode } = event.data;
      const others = before.allocations.filter((entry) => entry.regencyCode !== regencyCode);
      const allocations =
        event.type === 'AllocationSet'
          ? [
              ...others,
              {
                regencyCode,
                regencyName: findRegency(regencyCode)?.name ?? regencyCode,
                quota: event.data.quota,
              },
            ].sort((a, b) => a.regencyCode.localeCompare(b.regencyCode))
          : others;
      const allocated = allocations.reduce((sum, entry) => sum + entry.quota, 0);
      return { ...before, allocations, allocated };
    }
  }
}
