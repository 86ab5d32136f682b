import type {
  RecordExhibitionBody,
  RecordMentoringBody,
  RecordMonitoringBody,
} from '../write/record-follow-up';
import type { AidKind } from '../domain/programme/aid-programme';
import { findRegency } from '../domain/programme/regencies';
import type { BusinessStatus, Challenge } from '../domain/recipient/recipient.commands';
import { DATA_SET_AS_OF, PUBLISHED_AS_OF } from './demo-cohorts';
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

/** Where a business stands a year after the aid: most stable or growing, some failing. */
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

/** The 2026 mentoring, for businesses that lasted: growing them further. */
const MENTORING_TOPICS_2026 = [
  'Akses pembiayaan KUR dan koperasi',
  'Penjualan di marketplace dan katalog elektronik',
  'Pencatatan keuangan dengan aplikasi kasir',
  'Standar mutu produk dan izin PIRT',
  'Merek dagang dan desain kemasan',
];

interface Exhibition {
  name: string;
  date: string;
  /** The regencies/cities whose businesses take part; null: the whole province. */
  regencies: string[] | null;
}

/** UMKM exhibitions up to the published progress. */
const EXHIBITIONS: Exhibition[] = [
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

/** UMKM exhibitions of 2026, up to the data set's date. */
const EXHIBITIONS_2026: Exhibition[] = [
  { name: 'Pameran UMKM HUT Kota Samarinda 2026', date: '2026-01-21', regencies: ['64.72'] },
  {
    name: 'Bazar Ramadan UMKM Kota Balikpapan 2026',
    date: '2026-02-26',
    regencies: ['64.71', '64.09'],
  },
  { name: 'Pameran UMKM Kabupaten Paser 2026', date: '2026-03-12', regencies: ['64.01'] },
  {
    name: 'Gelar Produk UMKM Kutai Timur dan Bontang 2026',
    date: '2026-04-16',
    regencies: ['64.08', '64.74'],
  },
  {
    name: 'Pameran Kerajinan dan Kuliner Mahakam Ulu 2026',
    date: '2026-05-07',
    regencies: ['64.11', '64.07'],
  },
  { name: 'Pameran UMKM Kalimantan Timur Expo 2026', date: '2026-05-27', regencies: null },
  {
    name: 'Gelar Produk UMKM Kutai Kartanegara dan Berau 2026',
    date: '2026-06-11',
    regencies: ['64.02', '64.03'],
  },
];

/**
 * The 2026 evaluation round, March to June: monitors visit a regency/city's businesses within the
 * 18 days from its day.
 */
const EVALUATION_2026: Record<string, string> = {
  '64.72': '2026-03-02',
  '64.71': '2026-03-16',
  '64.02': '2026-04-06',
  '64.74': '2026-04-13',
  '64.08': '2026-04-27',
  '64.03': '2026-05-11',
  '64.01': '2026-05-18',
  '64.09': '2026-05-25',
  '64.07': '2026-06-01',
  '64.11': '2026-06-08',
};

/** A business visited less than this many days before the round is not visited again in it. */
const EVALUATION_GAP_DAYS = 60;

/** How a business that was not closed fares by the 2026 evaluation, from its fate. */
const DRIFT_2026: Record<Exclude<BusinessStatus, 'CLOSED'>, [BusinessStatus, number][]> = {
  GROWING: [
    ['GROWING', 60],
    ['STABLE', 30],
    ['STRUGGLING', 7],
    ['CLOSED', 3],
  ],
  STABLE: [
    ['GROWING', 22],
    ['STABLE', 55],
    ['STRUGGLING', 15],
    ['CLOSED', 8],
  ],
  STRUGGLING: [
    ['GROWING', 5],
    ['STABLE', 30],
    ['STRUGGLING', 30],
    ['CLOSED', 35],
  ],
};

/**
 * What happened after the aid, up to the data set's date, in date order: one or two monitoring
 * visits, mentoring by Disperindagkop and an exhibition for some, then the 2026 evaluation visit
 * and, for businesses that lasted, 2026 mentoring and exhibitions.
 *
 * `random` draws exactly what it drew when the story ended at the published progress
 * (PUBLISHED_AS_OF); everything dated after it is drawn from `later`. So every follow-up up to
 * that day, and every recipient, stays as it was, and the later ones only come after them.
 */
export function followUps(random: SeededRandom, later: SeededRandom, aided: Aided): DemoFollowUp[] {
  const fate = random.weighted(FATES);
  const firstVisit = addDays(aided.handedOverOn, random.int(45, 75));
  const laterVisit = random.chance(0.9) ? addDays(aided.handedOverOn, random.int(240, 300)) : null;
  const visits = [firstVisit, laterVisit].filter((date): date is string => date !== null);
  const monitoring = visits.map((visitDate, index) => {
    const draw = visitDate <= PUBLISHED_AS_OF ? random : later;
    return visit(draw, aided.kind, visitDate, index === 0 ? early(draw, fate) : fate);
  });
  const all: DemoFollowUp[] = monitoring.map((body) => ({ path: 'monitoring', body }));

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
  const open = openExhibitions(EXHIBITIONS, aided);
  if (exhibits && open.length > 0) {
    const { name, date } = random.pick(open);
    all.push({ path: 'exhibitions', body: { name, date } });
  }

  all.push(...year2026(later, aided, fate, partner, monitoring[monitoring.length - 1]));

  return all
    .filter((followUp) => dateOf(followUp) <= DATA_SET_AS_OF)
    .sort((a, b) => dateOf(a).localeCompare(dateOf(b)));
}

/**
 * The 2026 evaluation visit of a business not found closed, unless it was visited shortly
 * before; then, if it still runs, perhaps a 2026 mentoring session and an exhibition.
 */
function year2026(
  random: SeededRandom,
  aided: Aided,
  fate: BusinessStatus,
  partner: string,
  latest: RecordMonitoringBody,
): DemoFollowUp[] {
  if (latest.businessStatus === 'CLOSED') return [];
  const all: DemoFollowUp[] = [];
  const evaluation = addDays(EVALUATION_2026[aided.regencyCode], random.int(0, 17));
  const found = fate === 'CLOSED' ? 'CLOSED' : random.weighted(DRIFT_2026[fate]);
  let standing: BusinessStatus = latest.businessStatus;
  if (daysBetween(latest.visitDate, evaluation) >= EVALUATION_GAP_DAYS) {
    all.push({ path: 'monitoring', body: visit(random, aided.kind, evaluation, found) });
    standing = found;
  }
  if (standing === 'CLOSED') return all;

  if (random.chance(aided.kind === 'KUBE' ? 0.5 : 0.3)) {
    const topic = random.pick(MENTORING_TOPICS_2026);
    all.push({
      path: 'mentoring',
      body: { partner, topic, date: addDays('2026-01-12', random.int(0, 165)) },
    });
  }
  const exhibits = random.chance({ GROWING: 0.4, STABLE: 0.25, STRUGGLING: 0.05 }[standing]);
  const open = openExhibitions(EXHIBITIONS_2026, aided);
  if (exhibits && open.length > 0) {
    const { name, date } = random.pick(open);
    all.push({ path: 'exhibitions', body: { name, date } });
  }
  return all;
}

function openExhibitions(exhibitions: readonly Exhibition[], aided: Aided): Exhibition[] {
  return exhibitions.filter(
    (exhibition) =>
      exhibition.date > aided.handedOverOn &&
      (exhibition.regencies === null || exhibition.regencies.includes(aided.regencyCode)),
  );
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

/** The days from one calendar date to another (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
