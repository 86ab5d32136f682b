/**
 * The ten regencies/cities of Kalimantan Timur (province 64). `code` is the Kemendagri code, the
 * one a NIK carries and the API speaks; `bpsCode` is the BPS statistics code, which differs for
 * four regencies. Source: Kemendagri codes: Kepmendagri 300.2.2-2430/2025 (same as the 2018 and 2020 lists); BPS codes: BPS master file of regions (2018). The NIK uses the Kemendagri code.
 */
export interface Regency {
  code: string;
  bpsCode: string;
  name: string;
  kind: 'kabupaten' | 'kota';
}

export const REGENCIES: readonly Regency[] = [
  { code: '64.01', bpsCode: '6401', name: 'Kabupaten Paser', kind: 'kabupaten' },
  { code: '64.02', bpsCode: '6403', name: 'Kabupaten Kutai Kartanegara', kind: 'kabupaten' },
  { code: '64.03', bpsCode: '6405', name: 'Kabupaten Berau', kind: 'kabupaten' },
  { code: '64.07', bpsCode: '6402', name: 'Kabupaten Kutai Barat', kind: 'kabupaten' },
  { code: '64.08', bpsCode: '6404', name: 'Kabupaten Kutai Timur', kind: 'kabupaten' },
  { code: '64.09', bpsCode: '6409', name: 'Kabupaten Penajam Paser Utara', kind: 'kabupaten' },
  { code: '64.11', bpsCode: '6411', name: 'Kabupaten Mahakam Ulu', kind: 'kabupaten' },
  { code: '64.71', bpsCode: '6471', name: 'Kota Balikpapan', kind: 'kota' },
  { code: '64.72', bpsCode: '6472', name: 'Kota Samarinda', kind: 'kota' },
  { code: '64.74', bpsCode: '6474', name: 'Kota Bontang', kind: 'kota' },
];

const byCode = new Map(REGENCIES.map((regency) => [regency.code, regency]));

export function findRegency(code: string): Regency | undefined {
  return byCode.get(code);
}

/**
 * Kemendagri codes that were Kalimantan Timur's until Kalimantan Utara (65) was formed in 2012
 * (UU 20/2012); they are 65.01–65.04 and 65.71 now. A NIK issued there before keeps them: it
 * names where the person was first registered, not where they live, so they are valid in a NIK
 * but are no regency a recipient can live in.
 */
export const FORMER_REGENCIES: readonly Pick<Regency, 'code' | 'name'>[] = [
  { code: '64.04', name: 'Kabupaten Bulungan' },
  { code: '64.05', name: 'Kabupaten Nunukan' },
  { code: '64.06', name: 'Kabupaten Malinau' },
  { code: '64.10', name: 'Kabupaten Tana Tidung' },
  { code: '64.73', name: 'Kota Tarakan' },
];

const nikRegencyCodes = new Set([...REGENCIES, ...FORMER_REGENCIES].map((regency) => regency.code));

/** Whether a NIK may carry this Kalimantan Timur code: a regency of now or of before 2012. */
export function isKaltimNikRegency(code: string): boolean {
  return nikRegencyCodes.has(code);
}
