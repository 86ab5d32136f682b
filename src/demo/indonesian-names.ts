import type { SeededRandom } from './seeded-random';

export type Sex = 'female' | 'male';

const words = (text: string): string[] => text.trim().split(/\s+/);

const WOMEN = words(`
  Siti Nur Sri Dewi Rahmawati Fitri Yuliana Hasanah Nurul Ratna Aminah Juwita Rosmini Hartini
  Kartini Wahyuni Suryani Halimah Maria Theresia Lusia Agustina Rina Ernawati Masitah Salmah
  Rukiah Norhayati Asmah Jumiati Sumarni Mulyani Herlina Megawati Yohana Paulina
`);

const MEN = words(`
  Ahmad Budi Rahmat Andi Hendra Syahrani Yusuf Darmawan Agus Ismail Fransiskus Yohanes Samsul
  Arifin Muhammad Hasan Rusdi Jumadi Bambang Dedi Sulaiman Abdul Kornelius Petrus
`);

/** Second names: some a woman's or a man's, some (family and regional names) either. */
const EITHER = words('Noor Kusuma Ladjang Ibau Lawing Bulan Daeng Pasande Hamzah Tandi');
const SECOND_NAMES: Record<Sex, string[]> = {
  female: [
    ...EITHER,
    ...words('Aminah Lestari Handayani Sari Rahayu Wati Ningsih Pratiwi Susanti'),
  ],
  male: [...EITHER, ...words('Saputra Hidayat Santoso Gunawan Rahman Hakim Syahputra Hamid')],
};

export function personName(random: SeededRandom, sex: Sex): string {
  return `${random.pick(sex === 'female' ? WOMEN : MEN)} ${random.pick(SECOND_NAMES[sex])}`;
}

const GROUP_FIRST = words(
  'Melati Anggrek Mawar Cempaka Kenanga Teratai Seroja Dahlia Mahakam Enggang',
);
const GROUP_SECOND = words(
  'Mandiri Sejahtera Bersatu Makmur Berkah Harapan Maju Lestari Sentosa Jaya',
);

/** Every group name the generator can give ("KUBE Melati Mandiri"): 100 in all. */
export const GROUP_NAMES = GROUP_FIRST.flatMap((first) =>
  GROUP_SECOND.map((second) => `KUBE ${first} ${second}`),
);
