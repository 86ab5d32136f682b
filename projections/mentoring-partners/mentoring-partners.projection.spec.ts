import {
  aidDisbursed,
  mentoringRecorded,
  projectInto,
  ProjectionSpecification,
  rseRegistered,
  type RecipientRef,
} from '../../test/helpers/projection-specification';
import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { mentoringPartnersProjection } from './mentoring-partners.projection';
import { busiestPartners } from './mentoring-partners.queries';

const spec = ProjectionSpecification.for(mentoringPartnersProjection);

const siti: RecipientRef = { recipientId: 'rse-siti', kind: 'RSE', regencyCode: '64.72' };
const aminah: RecipientRef = { recipientId: 'rse-aminah', kind: 'RSE', regencyCode: '64.71' };

describe('mentoring-partners projection', () => {
  it('counts sessions per partner and year, with the latest session date', () => {
    spec
      .given([
        rseRegistered(siti),
        aidDisbursed(siti),
        mentoringRecorded(siti, { partner: 'Disperindagkop', date: '2025-05-15' }),
        mentoringRecorded(siti, { partner: 'Disperindagkop', date: '2025-06-15' }),
        mentoringRecorded(aminah, { partner: 'Disperindagkop', date: '2025-06-20' }),
        mentoringRecorded(aminah, { partner: 'Bank Kaltimtara', date: '2026-01-10' }),
      ])
      .thenDocuments({
        '2025:disperindagkop': {
          partner: 'Disperindagkop',
          year: 2025,
          sessions: 3,
          lastSessionOn: '2025-06-20',
        },
        '2026:bank kaltimtara': {
          partner: 'Bank Kaltimtara',
          year: 2026,
          sessions: 1,
          lastSessionOn: '2026-01-10',
        },
      });
  });

  it('takes a partner typed differently as the same partner', () => {
    spec
      .given([
        mentoringRecorded(siti, { partner: 'Disperindagkop', date: '2025-05-16' }),
        mentoringRecorded(aminah, { partner: '  disperindagkop ', date: '2025-05-15' }),
      ])
      .thenDocument('2025:disperindagkop', {
        partner: 'Disperindagkop',
        year: 2025,
        sessions: 2,
        lastSessionOn: '2025-05-16',
      });
  });

  it('counts nothing twice when events are applied again', () => {
    spec
      .given([
        mentoringRecorded(siti, { partner: 'Disperindagkop', date: '2025-05-15' }),
        mentoringRecorded(aminah, { partner: 'Disperindagkop', date: '2025-05-16' }),
      ])
      .thenReplayingAnyPrefixChangesNothing();
  });

  it('answers the busiest partners of a year from the read store', async () => {
    const readStore = new SqliteReadStore({ file: ':memory:' });
    try {
      const collection = await projectInto(readStore, mentoringPartnersProjection, [
        mentoringRecorded(siti, { partner: 'Bank Kaltimtara', date: '2025-02-01' }),
        mentoringRecorded(siti, { partner: 'Disperindagkop', date: '2025-05-15' }),
        mentoringRecorded(aminah, { partner: 'Disperindagkop', date: '2025-05-16' }),
        mentoringRecorded(aminah, { partner: 'Disperindagkop', date: '2024-05-16' }),
      ]);
      const partners = await busiestPartners(readStore, collection, 2025);
      expect(partners.map(({ partner, sessions }) => [partner, sessions])).toEqual([
        ['Disperindagkop', 2],
        ['Bank Kaltimtara', 1],
      ]);
    } finally {
      await readStore.close();
    }
  });
});
