import { REGENCIES } from '../domain/programme/regencies';
import type { Sex } from './indonesian-names';
import type { SeededRandom } from './seeded-random';

/** How many kecamatan (districts) each regency/city has: the NIK's district part stays within them. */
const DISTRICTS: Record<string, number> = {
  '64.01': 10,
  '64.02': 18,
  '64.03': 13,
  '64.07': 16,
  '64.08': 18,
  '64.09': 4,
  '64.11': 5,
  '64.71': 6,
  '64.72': 10,
  '64.74': 3,
};

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * Structurally valid, made-up NIKs that never repeat within one issuer: a Kemendagri region
 * (usually the regency the person lives in, sometimes another one of the province, where they
 * were first registered), a real date of birth in the given years (a woman's day plus 40), and
 * a serial.
 */
export function nikIssuer(random: SeededRandom) {
  const issued = new Set<string>();
  return (regencyCode: string, sex: Sex, bornFrom: number, bornTo: number): string => {
    for (;;) {
      const region = random.chance(0.9) ? regencyCode : random.pick(REGENCIES).code;
      const district = random.int(1, DISTRICTS[region]);
      const year = random.int(bornFrom, bornTo);
      const month = random.int(1, 12);
      const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
      const nik = [
        region.replace('.', ''),
        pad(district),
        pad(sex === 'female' ? day + 40 : day),
        pad(month),
        pad(year % 100),
        pad(random.int(1, 4000), 4),
      ].join('');
      if (issued.has(nik)) continue;
      issued.add(nik);
      return nik;
    }
  };
}
