/**
 * The Indonesian population number (NIK): 16 digits = province(2) regency(2) district(2)
 * DDMMYY(6) serial(4), where a woman's day of birth is written plus 40 (41–71). It has no check
 * digit, so validation is structural: the digits, a province that exists, a regency that exists
 * where the list is shipped (Kalimantan Timur), a real date, and (for RSE recipients) the female
 * marker. The region is where the person was first registered, not where they live now, so it is
 * not compared with the domicile.
 */
import { PROVINCE_CODES } from './provinces';
import { isKaltimNikRegency } from './regencies';

export interface NikFacts {
  regionCode: string;
  female: boolean;
}

export type NikProblem =
  | 'NOT_16_DIGITS'
  | 'BAD_REGION'
  | 'UNKNOWN_PROVINCE'
  | 'UNKNOWN_REGENCY'
  | 'IMPOSSIBLE_DATE'
  | 'BAD_SERIAL';

export const NIK_PROBLEMS: Record<NikProblem, string> = {
  NOT_16_DIGITS: 'must be exactly 16 digits',
  BAD_REGION: 'must start with a province, regency and district code (no 00 part)',
  UNKNOWN_PROVINCE: 'must start with the Kemendagri code of a province that exists (such as 64)',
  UNKNOWN_REGENCY:
    'must carry a regency/city code that exists in its province (for 64: 01–11 or 71–74, the codes of Kalimantan Utara before 2012 included)',
  IMPOSSIBLE_DATE: 'must carry a real date of birth (DD 01–31, or 41–71 for women; MM 01–12)',
  BAD_SERIAL: 'must end in a serial number from 0001',
};

export function checkNik(
  nik: string,
): { ok: true; facts: NikFacts } | { ok: false; problem: NikProblem } {
  if (!/^\d{16}$/.test(nik)) return { ok: false, problem: 'NOT_16_DIGITS' };
  const [province, regency, district] = [nik.slice(0, 2), nik.slice(2, 4), nik.slice(4, 6)];
  if (province === '00' || regency === '00' || district === '00') {
    return { ok: false, problem: 'BAD_REGION' };
  }
  if (!PROVINCE_CODES.has(province)) return { ok: false, problem: 'UNKNOWN_PROVINCE' };
  // Regencies are listed for Kalimantan Timur only; elsewhere any 01–99 may exist.
  if (province === '64' && !isKaltimNikRegency(`${province}.${regency}`)) {
    return { ok: false, problem: 'UNKNOWN_REGENCY' };
  }
  const encodedDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const female = encodedDay > 40;
  const day = female ? encodedDay - 40 : encodedDay;
  // Two digits of year: the date must exist in 19YY or 20YY (29 February 00 exists only in 2000).
  const realIn = (year: number): boolean =>
    day >= 1 && month >= 1 && month <= 12 && day <= daysIn(year, month);
  if (!realIn(1900 + yy) && !realIn(2000 + yy)) return { ok: false, problem: 'IMPOSSIBLE_DATE' };
  if (nik.slice(12) === '0000') return { ok: false, problem: 'BAD_SERIAL' };
  return { ok: true, facts: { regionCode: `${province}.${regency}`, female } };
}

/** What screens show: the region and the serial, never the date of birth. */
export function maskNik(nik: string): string {
  return `${nik.slice(0, 4)}********${nik.slice(12)}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
