import type {
  RecordExhibitionBody,
  RecordMentoringBody,
  RecordMonitoringBody,
} from '../write/record-follow-up';
import type { AidKind } from '../domain/programme/aid-programme';
import { findRegency } from '../domain/programme/regencies';
import type { BusinessStatus, Challenge } from '../domain/recipient/recipient.commands';
import { DATA_SET_AS_OF } from './demo-cohorts';
import type { SeededRandom } from './seeded-random';

export type DemoFollowUp =
  | { path: 'monitoring'; body: RecordMonitoringBody }
  | { path: 'mentoring'; body: RecordMentoringBody }
  | { path: 'exhibitions'; body: RecordExhibitionBody };

interface Aided {
  kind: AidKind;
  regencyCode: string;
  handedOverOn: string;
}

/** Where a business stands at its latest visit: most stable or growing, some failing. */
const FATES: [BusinessStatus, number][] = [
  ['GROWING', 30],
  ['STABLE', 42],
  ['STRUGGLING', 18],
  ['CLOSED', 10],
];

/** Monthly turnover ranges in rupiah, by kind and status. */
const TURNOVER: Record<AidKind, Record<BusinessStatus, [number, number]>> = {
  RSE: {
    GROWING: [3_500_000, 7_500_000],
    STABLE: [2_000_000, 4_000_000],
    STRUGGLING: [500_000, 1_800_000],
    CLOSED: [0, 0],
  },
  KUBE: {
    GROWING: [12_000_000, 30_000_000],
    STABLE: [7_000_000, 14_000_000],
    STRUGGLING: [2_000_000, 6_000_000],
    CLOSED: [0, 0],
  },
};

type FailureReason = Exclude<Challenge, 'OTHER'>;

/** The published reasons a business fails, how often each is the main one, and how it is noted. */
const FAILURE_WEIGHTS: [FailureReason, number][] = [
  ['LIMITED_RESOURCES', 5],
  ['MARKET_COMPETITION', 3],
  ['MOTIVATION', 2],
];

const FAILURE_NOTES: Record<FailureReason, string[]> = {
  LIMITED_RESOURCES: [
    'Modal kerja terpakai untuk kebutuhan rumah tangga',
    'Bahan baku sulit didapat dan harganya naik',
  ],
  MARKET_COMPETITION: [
    'Banyak usaha sejenis di sekitar tempat usaha',
    'Harga jual kalah bersaing dengan produk dari luar daerah',
  ],
  MOTIVATION: [
    'Penerima bantuan beralih bekerja di tempat lain',
    'Kegiatan usaha tidak dijalankan secara rutin',
  ],
};

const MENTORING_TOPICS = [
  'Pembukuan sederhana',
  'Pemasaran digital dan media sosial',
  'Pengemasan dan label produk',
  'Perizinan usaha (NIB) dan sertifikat halal',
  'Pengelolaan modal kerja',
  'Kualitas produk dan harga jual',
];

/** UMKM exhibitions and the regencies/cities whose businesses take part (null: the province). */
const EXHIBITIONS: { name: string; date: string; regencies: string[] | null }[] = [
  { name: 'Pameran UMKM Festival Erau Tenggarong 2024', date: '2024-09-23', regencies: ['64.02'] },
  {
    name: 'Gelar Produk UMKM Kota Bontang 2024',
    date: '2024-10-12',
    regencies: ['64.74', '64.08'],
  },
  { name: 'Pameran UMKM Kalimantan Timur 2024', date: '2024-11-14', regencies: null },
  { name: 'Pameran UMKM HUT Kota Samarinda 2025', date: '2025-01-21', regencies: ['64.72'] },
  {
    name: 'Bazar UMKM HUT Kota Balikpapan 2025',
    date: '2025-02-10',
    regencies: ['64.71', '64.09', '64.01'],
  },
  { name: 'Pameran UMKM Kabupaten Berau 2025', date: '2025-03-15', regencies: ['64.03'] },
  {
    name: 'Pameran Kerajinan Dayak Kutai Barat 2025',
    date: '2025-04-15',
    regencies: ['64.07', '64.11'],
  },
  { name: 'Gelar Produk UMKM Kalimantan Timur 2025', date: '2025-08-14', regencies: null },
];

/**
 * What happened after the aid, up to the data set's date: one or two monitoring visits, mentoring
 * by Disperindagkop, an exhibition for some; in date order.
 */
export function followUps(random: SeededRandom, aided: Aided): DemoFollowUp[] {
  const fate = random.weighted(FATES);
  const firstVisit = addDays(aided.handedOverOn, random.int(45, 75));
  const laterVisit = random.chance(0.9) ? addDays(aided.handedOverOn, random.int(240, 300)) : null;
  const all: DemoFollowUp[] = [firstVisit, laterVisit]
    .filter((date): date is string => date !== null && date <= DATA_SET_AS_OF)
    .map((visitDate, index) => ({
      path: 'monitoring',
      body: visit(random, aided.kind, visitDate, index === 0 ? early(random, fate) : fate),
    }));

  const sessions = aided.kind === 'KUBE' ? random.int(1, 2) : Number(random.chance(0.55));
  const partner = `Disperindagkop ${findRegency(aided.regencyCode)?.name ?? aided.regencyCode}`;
  const topics = random.sample(MENTORING_TOPICS, sessions);
  topics.forEach((topic, index) => {
    const date = addDays(
      aided.handedOverOn,
      index === 0 ? random.int(14, 40) : random.int(120, 180),
    );
    all.push({ path: 'mentoring', body: { partner, topic, date } });
  });

  const exhibits = random.chance(fate === 'GROWING' || fate === 'STABLE' ? 0.35 : 0.1);
  const open = EXHIBITIONS.filter(
    (exhibition) =>
      exhibition.date > aided.handedOverOn &&
      (exhibition.regencies === null || exhibition.regencies.includes(aided.regencyCode)),
  );
  if (exhibits && open.length > 0) {
    const { name, date } = random.pick(open);
    all.push({ path: 'exhibitions', body: { name, date } });
  }

  return all
    .filter((followUp) => dateOf(followUp) <= DATA_SET_AS_OF)
    .sort((a, b) => dateOf(a).localeCompare(dateOf(b)));
}

/** A first visit soon after the aid: a business that fails later still seemed to manage. */
function early(random: SeededRandom, fate: BusinessStatus): BusinessStatus {
  switch (fate) {
    case 'GROWING':
      return random.chance(0.5) ? 'GROWING' : 'STABLE';
    case 'STABLE':
      return 'STABLE';
    case 'STRUGGLING':
      return random.chance(0.5) ? 'STABLE' : 'STRUGGLING';
    case 'CLOSED':
      return 'STRUGGLING';
  }
}

function visit(
  random: SeededRandom,
  kind: AidKind,
  visitDate: string,
  businessStatus: BusinessStatus,
): RecordMonitoringBody {
  const [low, high] = TURNOVER[kind][businessStatus];
  const monthlyTurnoverRupiah = random.int(low / 50_000, high / 50_000) * 50_000;
  const workers = hired(random, kind, businessStatus);
  let workersFromPoorHouseholds = 0;
  for (let i = 0; i < workers; i++) if (random.chance(0.6)) workersFromPoorHouseholds++;
  const challenges = challengesOf(random, businessStatus);
  const failing = businessStatus === 'STRUGGLING' || businessStatus === 'CLOSED';
  const reason = failing ? random.pick(FAILURE_NOTES[challenges[0] as FailureReason]) : null;
  return {
    visitDate,
    businessStatus,
    monthlyTurnoverRupiah,
    workers,
    workersFromPoorHouseholds,
    challenges,
    ...(reason === null
      ? {}
      : { notes: businessStatus === 'CLOSED' ? `Usaha berhenti. ${reason}` : reason }),
  };
}

/** Workers hired from outside the household or group: growing businesses hire, failing ones do not. */
function hired(random: SeededRandom, kind: AidKind, status: BusinessStatus): number {
  if (kind === 'KUBE') {
    if (status === 'GROWING') return random.int(1, 4);
    if (status === 'STABLE') return random.chance(0.4) ? random.int(1, 2) : 0;
    return 0;
  }
  if (status === 'GROWING') return random.chance(0.55) ? random.int(1, 2) : 0;
  if (status === 'STABLE') return random.chance(0.15) ? 1 : 0;
  return 0;
}

function challengesOf(random: SeededRandom, status: BusinessStatus): Challenge[] {
  if (status === 'GROWING') return random.chance(0.2) ? ['MARKET_COMPETITION'] : [];
  if (status === 'STABLE') {
    if (!random.chance(0.35)) return [];
    return [random.pick(['LIMITED_RESOURCES', 'MARKET_COMPETITION'] as const)];
  }
  const main = random.weighted(FAILURE_WEIGHTS);
  if (!random.chance(0.35)) return [main];
  return [main, random.pick(FAILURE_WEIGHTS.map(([reason]) => reason).filter((r) => r !== main))];
}

function dateOf(followUp: DemoFollowUp): string {
  return followUp.path === 'monitoring' ? followUp.body.visitDate : followUp.body.date;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
