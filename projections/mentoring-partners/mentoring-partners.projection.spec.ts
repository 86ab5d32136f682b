import {
  aidDisbursed,
  mentoringRecorded,
  ProjectionSpecification,
  rseRegistered,
  withReadModel,
  SITI,
  WATI,
} from '../../test/helpers/projection-specification';
import { mentoringPartnersProjection } from './mentoring-partners.projection';
import { busiestPartners } from './mentoring-partners.queries';

const spec = ProjectionSpecification.for(mentoringPartnersProjection);

describe('mentoring-partners projection', () => {
  it('counts sessions per partner and year, with the latest session date', () => {
    spec
      .given([
        rseRegistered(SITI),
        aidDisbursed(SITI),
        mentoringRecorded(SITI, { partner: 'Disperindagkop', date: '2025-05-15' }),
        mentoringRecorded(SITI, { partner: 'Disperindagkop', date: '2025-06-15' }),
        mentoringRecorded(WATI, { partner: 'Disperindagkop', date: '2025-06-20' }),
        mentoringRecorded(WATI, { partner: 'Bank Kaltimtara', date: '2026-01-10' }),
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
        mentoringRecorded(SITI, { partner: 'Disperindagkop', date: '2025-05-16' }),
        mentoringRecorded(WATI, { partner: '  disperindagkop ', date: '2025-05-15' }),
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
        mentoringRecorded(SITI, { partner: 'Disperindagkop', date: '2025-05-15' }),
        mentoringRecorded(WATI, { partner: 'Disperindagkop', date: '2025-05-16' }),
      ])
      .thenReplayingAnyPrefixChangesNothing();
  });

  it('answers the busiest partners of a year from the read store', async () => {
    const history = [
      mentoringRecorded(SITI, { partner: 'Bank Kaltimtara', date: '2025-02-01' }),
      mentoringRecorded(SITI, { partner: 'Disperindagkop', date: '2025-05-15' }),
      mentoringRecorded(WATI, { partner: 'Disperindagkop', date: '2025-05-16' }),
      mentoringRecorded(WATI, { partner: 'Disperindagkop', date: '2024-05-16' }),
    ];
    const partners = await withReadModel(
      mentoringPartnersProjection,
      history,
      ({ readStore, collection }) => busiestPartners(readStore, collection, 2025),
    );
    expect(partners.map(({ partner, sessions }) => [partner, sessions])).toEqual([
      ['Disperindagkop', 2],
      ['Bank Kaltimtara', 1],
    ]);
  });
});
