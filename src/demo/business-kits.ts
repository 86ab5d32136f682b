import type { AidForm } from '../domain/recipient/recipient.commands';

/**
 * The aid in kind a business of one type receives: items whose value adds up exactly to its
 * kind's ceiling (Rp5,000,000 for an RSE woman, Rp20,000,000 for a KUBe).
 */
export interface BusinessKit {
  businessType: string;
  form: AidForm;
  items: { description: string; quantity: number; unitPriceRupiah: number }[];
}

const item = (description: string, quantity: number, unitPriceRupiah: number) => ({
  description,
  quantity,
  unitPriceRupiah,
});

export const RSE_KITS = {
  tailoring: {
    businessType: 'Menjahit pakaian',
    form: 'EQUIPMENT',
    items: [
      item('Mesin jahit portable', 1, 2_150_000),
      item('Mesin obras', 1, 1_650_000),
      item('Gunting kain dan perlengkapan jahit (set)', 1, 350_000),
      item('Kain katun (meter)', 30, 25_000),
      item('Benang jahit (lusin)', 4, 25_000),
    ],
  },
  foodStall: {
    businessType: 'Warung makan',
    form: 'EQUIPMENT',
    items: [
      item('Kompor gas dua tungku', 1, 750_000),
      item('Tabung gas 12 kg dan regulator', 1, 900_000),
      item('Etalase kaca', 1, 1_500_000),
      item('Meja dan kursi makan (set)', 2, 600_000),
      item('Peralatan masak (set)', 1, 650_000),
    ],
  },
  cakes: {
    businessType: 'Kue basah dan jajanan pasar',
    form: 'EQUIPMENT',
    items: [
      item('Oven gas', 1, 1_800_000),
      item('Mixer kue', 1, 850_000),
      item('Loyang dan cetakan kue (set)', 1, 450_000),
      item('Tepung terigu (sak 25 kg)', 4, 225_000),
      item('Gula pasir (kg)', 50, 16_000),
      item('Mentega (kg)', 5, 40_000),
    ],
  },
  groceries: {
    businessType: 'Warung sembako',
    form: 'MATERIALS',
    items: [
      item('Rak besi susun', 2, 650_000),
      item('Beras (karung 25 kg)', 6, 325_000),
      item('Minyak goreng (karton)', 4, 225_000),
      item('Gula pasir (kg)', 40, 17_000),
      item('Timbangan digital', 1, 170_000),
    ],
  },
  beads: {
    businessType: 'Kerajinan manik-manik',
    form: 'MATERIALS',
    items: [
      item('Manik-manik kaca (kg)', 10, 250_000),
      item('Benang nilon dan jarum (paket)', 5, 100_000),
      item('Kain dasar (meter)', 20, 40_000),
      item('Alat perangkai manik (set)', 2, 400_000),
      item('Kotak penyimpanan dan etalase kecil', 1, 400_000),
    ],
  },
  fishCrackers: {
    businessType: 'Produksi amplang',
    form: 'MATERIALS',
    items: [
      item('Ikan tenggiri (kg)', 20, 80_000),
      item('Tepung tapioka (kg)', 50, 14_000),
      item('Wajan besar dan kompor (set)', 1, 1_100_000),
      item('Mesin press plastik (sealer)', 1, 650_000),
      item('Kemasan plastik dan label (paket)', 5, 190_000),
    ],
  },
  weaving: {
    businessType: 'Tenun sarung Samarinda',
    form: 'EQUIPMENT',
    items: [
      item('Alat tenun bukan mesin (ATBM)', 1, 3_200_000),
      item('Benang sutra (kg)', 2, 650_000),
      item('Pewarna benang (paket)', 1, 500_000),
    ],
  },
  saltedFish: {
    businessType: 'Pengolahan ikan asin',
    form: 'MATERIALS',
    items: [
      item('Ikan segar (kg)', 100, 25_000),
      item('Garam krosok (karung 50 kg)', 10, 100_000),
      item('Para-para penjemuran', 3, 300_000),
      item('Timbangan gantung', 1, 250_000),
      item('Keranjang dan terpal (set)', 1, 350_000),
    ],
  },
  vegetables: {
    businessType: 'Kebun sayur',
    form: 'EQUIPMENT',
    items: [
      item('Bibit sayuran (paket)', 10, 50_000),
      item('Pupuk organik (karung)', 20, 60_000),
      item('Mesin pompa air', 1, 1_350_000),
      item('Selang dan sprinkler (set)', 1, 650_000),
      item('Cangkul, parang dan alat kebun (set)', 1, 500_000),
      item('Mulsa plastik (rol)', 2, 400_000),
    ],
  },
  coffeeCart: {
    businessType: 'Gerobak kopi dan minuman',
    form: 'EQUIPMENT',
    items: [
      item('Gerobak dorong beratap', 1, 2_400_000),
      item('Kompor gas satu tungku', 1, 350_000),
      item('Tabung gas 3 kg', 2, 200_000),
      item('Termos dan perlengkapan minum (set)', 1, 550_000),
      item('Kopi bubuk dan gula (paket)', 10, 130_000),
    ],
  },
} satisfies Record<string, BusinessKit>;

export const KUBE_KITS = {
  garments: {
    businessType: 'Usaha konveksi',
    form: 'EQUIPMENT',
    items: [
      item('Mesin jahit high speed', 4, 2_750_000),
      item('Mesin obras', 2, 2_250_000),
      item('Meja potong kain', 1, 1_500_000),
      item('Kain dan benang (paket)', 1, 3_000_000),
    ],
  },
  fishCages: {
    businessType: 'Budidaya ikan nila keramba',
    form: 'MATERIALS',
    items: [
      item('Keramba jaring apung', 2, 5_500_000),
      item('Benih ikan nila (ekor)', 10_000, 300),
      item('Pakan ikan (karung 30 kg)', 20, 300_000),
    ],
  },
  bakery: {
    businessType: 'Produksi kue dan roti',
    form: 'EQUIPMENT',
    items: [
      item('Oven gas besar', 1, 6_500_000),
      item('Mixer roti', 1, 5_500_000),
      item('Rak pendingin roti', 1, 2_000_000),
      item('Loyang (set)', 2, 750_000),
      item('Bahan kue dan roti (paket)', 1, 4_500_000),
    ],
  },
  catering: {
    businessType: 'Usaha katering',
    form: 'EQUIPMENT',
    items: [
      item('Kompor gas tiga tungku', 2, 1_750_000),
      item('Panci dan wajan besar (set)', 2, 1_500_000),
      item('Freezer', 1, 4_500_000),
      item('Rantang dan wadah saji (set)', 1, 3_000_000),
      item('Meja prasmanan dan taplak', 1, 2_500_000),
      item('Bahan makanan awal (paket)', 1, 3_500_000),
    ],
  },
  rattan: {
    businessType: 'Kerajinan rotan',
    form: 'MATERIALS',
    items: [
      item('Rotan (kg)', 400, 20_000),
      item('Mesin serut rotan', 1, 6_500_000),
      item('Peralatan anyam (set)', 5, 500_000),
      item('Pernis dan pewarna (paket)', 1, 3_000_000),
    ],
  },
  fishCrackers: {
    businessType: 'Produksi amplang',
    form: 'EQUIPMENT',
    items: [
      item('Mesin penggiling daging ikan', 1, 5_500_000),
      item('Mesin pengaduk adonan', 1, 4_500_000),
      item('Penggorengan besar dan kompor (set)', 1, 3_000_000),
      item('Continuous sealer', 1, 3_500_000),
      item('Ikan dan tepung (paket)', 1, 3_500_000),
    ],
  },
} satisfies Record<string, BusinessKit>;

type RseKit = keyof typeof RSE_KITS;
type KubeKit = keyof typeof KUBE_KITS;

const COASTAL: RseKit[] = ['saltedFish', 'fishCrackers', 'foodStall', 'cakes', 'groceries'];
const INLAND: RseKit[] = ['beads', 'vegetables', 'groceries', 'foodStall', 'tailoring'];

/** Businesses that fit each regency/city: the coast fishes, the interior farms and crafts. */
export const RSE_KITS_BY_REGENCY: Record<string, RseKit[]> = {
  '64.01': [...COASTAL, 'vegetables', 'tailoring'],
  '64.02': ['fishCrackers', 'vegetables', 'foodStall', 'cakes', 'groceries', 'tailoring'],
  '64.03': [...COASTAL, 'tailoring', 'coffeeCart'],
  '64.07': INLAND,
  '64.08': [...COASTAL, 'vegetables'],
  '64.09': [...COASTAL, 'vegetables'],
  '64.11': INLAND,
  '64.71': ['fishCrackers', 'foodStall', 'cakes', 'tailoring', 'coffeeCart', 'groceries'],
  '64.72': ['weaving', 'fishCrackers', 'foodStall', 'cakes', 'tailoring', 'coffeeCart'],
  '64.74': [...COASTAL, 'coffeeCart', 'tailoring'],
};

export const KUBE_KITS_BY_REGENCY: Record<string, KubeKit[]> = {
  '64.07': ['rattan', 'fishCages', 'garments', 'bakery'],
  '64.02': ['fishCages', 'catering', 'bakery', 'garments'],
  '64.72': ['garments', 'fishCrackers', 'catering', 'bakery'],
  '64.71': ['catering', 'fishCrackers', 'bakery', 'garments'],
};
