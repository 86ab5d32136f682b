/**
 * The Kemendagri province codes, the first two digits of a NIK (the BPS statistics codes differ,
 * notably in Papua), from the Kemendagri lists of administrative regions. Kalimantan Utara (65)
 * split from Kalimantan Timur in 2012; Papua Selatan, Papua Tengah, Papua Pegunungan (93–95) from Papua (91)
 * and Papua Barat Daya (96) from Papua Barat (92) in 2022. A NIK keeps the code it was issued
 * under, so the older codes stay valid for the people first registered there.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', // Aceh
  '12', // Sumatera Utara
  '13', // Sumatera Barat
  '14', // Riau
  '15', // Jambi
  '16', // Sumatera Selatan
  '17', // Bengkulu
  '18', // Lampung
  '19', // Kepulauan Bangka Belitung
  '21', // Kepulauan Riau
  '31', // DKI Jakarta
  '32', // Jawa Barat
  '33', // Jawa Tengah
  '34', // DI Yogyakarta
  '35', // Jawa Timur
  '36', // Banten
  '51', // Bali
  '52', // Nusa Tenggara Barat
  '53', // Nusa Tenggara Timur
  '61', // Kalimantan Barat
  '62', // Kalimantan Tengah
  '63', // Kalimantan Selatan
  '64', // Kalimantan Timur
  '65', // Kalimantan Utara
  '71', // Sulawesi Utara
  '72', // Sulawesi Tengah
  '73', // Sulawesi Selatan
  '74', // Sulawesi Tenggara
  '75', // Gorontalo
  '76', // Sulawesi Barat
  '81', // Maluku
  '82', // Maluku Utara
  '91', // Papua
  '92', // Papua Barat
  '93', // Papua Selatan
  '94', // Papua Tengah
  '95', // Papua Pegunungan
  '96', // Papua Barat Daya
]);
