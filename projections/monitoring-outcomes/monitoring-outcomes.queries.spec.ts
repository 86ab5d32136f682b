import {
  aidDisbursed,
  disbursementOf,
  disbursementReversed,
  monitoringRecorded,
  readModelForEachTest,
  recipientRef,
  withReadModel,
  type EventToStore,
  BALIKPAPAN,
  KUTAI_BARAT,
  SAMARINDA,
} from '../../test/helpers/projection-specification';
import { monitoringOutcomesProjection } from './monitoring-outcomes.projection';
import { monitoringOutcomes, type MonitoringOutcomes } from './monitoring-outcomes.queries';

const siti = recipientRef(1, 'RSE', SAMARINDA);
const wati = recipientRef(2, 'RSE', SAMARINDA);
const ani = recipientRef(3, 'RSE', BALIKPAPAN);
const rina = recipientRef(4, 'RSE', SAMARINDA);
const rotan = recipientRef(5, 'KUBE', KUTAI_BARAT);
const tenun = recipientRef(6, 'KUBE', KUTAI_BARAT);
const ikan = recipientRef(7, 'KUBE', SAMARINDA);

/**
 * Aid in 2024 and 2025 to seven recipients. Siti (Samarinda, 2025) grows, after an earlier
 * struggling visit; Wati (Samarinda, 2025) is not visited yet; Ani (Balikpapan, 2025) struggles;
 * Rina (Samarinda, 2025) was reversed after a visit; Rotan (Kutai Barat, 2025) is stable; Tenun
 * (Kutai Barat, 2024) closed; Ikan (Samarinda, 2024) grows.
 */
const history: EventToStore[] = [
  aidDisbursed(siti),
  aidDisbursed(wati),
  aidDisbursed(ani),
  aidDisbursed(rina),
  aidDisbursed(rotan),
  aidDisbursed(tenun, { year: 2024, disbursedOn: '2024-08-12' }),
  aidDisbursed(ikan, { year: 2024, disbursedOn: '2024-09-02' }),
  monitoringRecorded(siti, {
    visitDate: '2025-04-20',
    businessStatus: 'STRUGGLING',
    workers: 0,
    workersFromPoorHouseholds: 0,
    challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
  }),
  monitoringRecorded(siti, {
    visitDate: '2025-06-20',
    businessStatus: 'GROWING',
    workers: 2,
    workersFromPoorHouseholds: 1,
    challenges: ['MARKET_COMPETITION'],
  }),
  monitoringRecorded(ani, {
    visitDate: '2025-06-21',
    businessStatus: 'STRUGGLING',
    workers: 1,
    workersFromPoorHouseholds: 1,
    challenges: ['LIMITED_RESOURCES', 'MARKET_COMPETITION'],
  }),
  monitoringRecorded(rina, {
    visitDate: '2025-06-22',
    businessStatus: 'GROWING',
    workers: 4,
    workersFromPoorHouseholds: 4,
    challenges: ['OTHER'],
  }),
  disbursementReversed(rina),
  monitoringRecorded(rotan, {
    visitDate: '2025-07-01',
    businessStatus: 'STABLE',
    workers: 5,
    workersFromPoorHouseholds: 3,
    challenges: ['MARKET_COMPETITION'],
  }),
  monitoringRecorded(tenun, {
    visitDate: '2025-02-10',
    businessStatus: 'CLOSED',
    workers: 0,
    workersFromPoorHouseholds: 0,
    challenges: ['LIMITED_RESOURCES', 'MOTIVATION'],
  }),
  monitoringRecorded(ikan, {
    visitDate: '2025-03-03',
    businessStatus: 'GROWING',
    workers: 6,
    workersFromPoorHouseholds: 2,
    challenges: [],
  }),
];

const noChallenges = { LIMITED_RESOURCES: 0, MARKET_COMPETITION: 0, MOTIVATION: 0, OTHER: 0 };
const noStatuses = { GROWING: 0, STABLE: 0, STRUGGLING: 0, CLOSED: 0, NOT_MONITORED: 0 };

describe('monitoringOutcomes', () => {
  const readModel = readModelForEachTest(monitoringOutcomesProjection, history);
  const outcomes = (search: Parameters<typeof monitoringOutcomes>[2]) =>
    monitoringOutcomes(readModel.readStore, readModel.collection, search);

  it('adds up every recipient holding aid by the status of its latest visit', async () => {
    expect(await outcomes({})).toEqual<MonitoringOutcomes>({
      year: null,
      regencyCode: null,
      recipients: 6,
      byStatus: { GROWING: 2, STABLE: 1, STRUGGLING: 1, CLOSED: 1, NOT_MONITORED: 1 },
      workers: 14,
      workersFromPoorHouseholds: 7,
      challenges: { LIMITED_RESOURCES: 2, MARKET_COMPETITION: 3, MOTIVATION: 1, OTHER: 0 },
    });
  });

  it('answers one programme year', async () => {
    expect(await outcomes({ year: 2024 })).toEqual({
      year: 2024,
      regencyCode: null,
      recipients: 2,
      byStatus: { ...noStatuses, GROWING: 1, CLOSED: 1 },
      workers: 6,
      workersFromPoorHouseholds: 2,
      challenges: { ...noChallenges, LIMITED_RESOURCES: 1, MOTIVATION: 1 },
    });
    expect(await outcomes({ year: 2025 })).toMatchObject({
      recipients: 4,
      byStatus: { GROWING: 1, STABLE: 1, STRUGGLING: 1, CLOSED: 0, NOT_MONITORED: 1 },
      workers: 8,
      workersFromPoorHouseholds: 5,
    });
  });

  it('answers one regency', async () => {
    expect(await outcomes({ regencyCode: SAMARINDA })).toEqual({
      year: null,
      regencyCode: SAMARINDA,
      recipients: 3,
      byStatus: { ...noStatuses, GROWING: 2, NOT_MONITORED: 1 },
      workers: 8,
      workersFromPoorHouseholds: 3,
      challenges: { ...noChallenges, MARKET_COMPETITION: 1 },
    });
  });

  it('answers one regency in one year', async () => {
    expect(await outcomes({ year: 2025, regencyCode: KUTAI_BARAT })).toEqual({
      year: 2025,
      regencyCode: KUTAI_BARAT,
      recipients: 1,
      byStatus: { ...noStatuses, STABLE: 1 },
      workers: 5,
      workersFromPoorHouseholds: 3,
      challenges: { ...noChallenges, MARKET_COMPETITION: 1 },
    });
  });

  it('answers zeros, with every status and challenge named, when nothing matches', async () => {
    expect(await outcomes({ year: 2026, regencyCode: '64.11' })).toEqual({
      year: 2026,
      regencyCode: '64.11',
      recipients: 0,
      byStatus: noStatuses,
      workers: 0,
      workersFromPoorHouseholds: 0,
      challenges: noChallenges,
    });
  });

  it('counts a recipient aided again after a reversal once, as not monitored yet', async () => {
    const aidedAgain = [
      ...history,
      aidDisbursed(rina, { disbursementId: disbursementOf(rina, 2), disbursedOn: '2025-07-15' }),
    ];
    const inSamarinda = await withReadModel(
      monitoringOutcomesProjection,
      aidedAgain,
      ({ readStore, collection }) =>
        monitoringOutcomes(readStore, collection, { regencyCode: SAMARINDA }),
    );
    expect(inSamarinda).toMatchObject({
      recipients: 4,
      byStatus: { ...noStatuses, GROWING: 2, NOT_MONITORED: 2 },
      workers: 8,
    });
  });
});
