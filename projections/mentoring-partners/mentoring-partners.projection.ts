import type { ProgrammeProjection } from '../programme-event';

/**
 * Which partners mentor the aided businesses, and how often: one document per partner and year.
 * The worked example of docs/adding-a-projection.md.
 */
export interface MentoringPartnerDocument {
  partner: string;
  year: number;
  sessions: number;
  lastSessionOn: string;
}

/** Partners are typed by operators: "Disperindagkop" and "disperindagkop " are one partner. */
const partnerKey = (partner: string) => partner.trim().replace(/\s+/g, ' ').toLowerCase();

export const mentoringPartnersProjection: ProgrammeProjection<MentoringPartnerDocument> = {
  name: 'mentoring-partners',
  version: 1,
  // A year's partners, busiest first: read in order from one index, never sorted in memory.
  indexes: ['year', 'sessions', 'year,sessions'],
  handles: ['MentoringRecorded'],

  documentIds(event) {
    if (event.type !== 'MentoringRecorded') return [];
    return [`${event.data.date.slice(0, 4)}:${partnerKey(event.data.partner)}`];
  },

  evolve(document, event) {
    if (event.type !== 'MentoringRecorded') return document;
    const { partner, date } = event.data;
    return {
      partner: document?.partner ?? partner.trim(),
      year: Number(date.slice(0, 4)),
      sessions: (document?.sessions ?? 0) + 1,
      lastSessionOn: document && document.lastSessionOn > date ? document.lastSessionOn : date,
    };
  },
};
