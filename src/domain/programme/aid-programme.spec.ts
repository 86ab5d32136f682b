import { AID_KINDS, DEFAULT_PROGRAMME, localDate } from './aid-programme';
import { REGENCIES } from './regencies';

describe('localDate', () => {
  it('gives the date in Kalimantan Timur (WITA, UTC+8), not in UTC', () => {
    expect(localDate(new Date('2025-03-14T16:30:00Z'))).toBe('2025-03-15');
  });

  it('turns the day at midnight WITA, 16:00 UTC', () => {
    expect(localDate(new Date('2025-03-14T15:59:59.999Z'))).toBe('2025-03-14');
    expect(localDate(new Date('2025-03-14T16:00:00.000Z'))).toBe('2025-03-15');
  });

  it('keeps the UTC date during the WITA daytime', () => {
    expect(localDate(new Date('2025-03-15T00:00:00Z'))).toBe('2025-03-15');
    expect(localDate(new Date('2025-03-15T08:00:00+08:00'))).toBe('2025-03-15');
  });

  it('starts the new year in WITA eight hours before UTC does', () => {
    expect(localDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
  });

  it('reaches 29 February of a leap year', () => {
    expect(localDate(new Date('2024-02-28T20:00:00Z'))).toBe('2024-02-29');
  });
});

describe('DEFAULT_PROGRAMME', () => {
  it('runs from 2024 to 2026', () => {
    expect(DEFAULT_PROGRAMME.years).toEqual([2024, 2025, 2026]);
  });

  it('aims each year at 500 RSE women and 200 KUBe', () => {
    expect(DEFAULT_PROGRAMME.yearlyTarget).toEqual({ RSE: 500, KUBE: 200 });
  });

  it('gives at most Rp5,000,000 to an RSE woman and Rp20,000,000 to a KUBe', () => {
    expect(DEFAULT_PROGRAMME.ceilingRupiah).toEqual({ RSE: 5_000_000, KUBE: 20_000_000 });
  });

  it('allocates 20 KUBe per regency/city a year, which fills the KUBe target exactly', () => {
    expect(DEFAULT_PROGRAMME.allocationPerRegency).toEqual({ RSE: null, KUBE: 20 });
    expect(DEFAULT_PROGRAMME.allocationPerRegency.KUBE * REGENCIES.length).toBe(
      DEFAULT_PROGRAMME.yearlyTarget.KUBE,
    );
  });

  it('knows the two kinds of recipient', () => {
    expect(AID_KINDS).toEqual(['RSE', 'KUBE']);
  });
});
