import { checkNik, maskNik, NIK_PROBLEMS } from './nik';

/** A Samarinda NIK (64.72, district 05) with the given DDMMYY and serial. */
const samarindaNik = (ddmmyy: string, serial = '0001'): string => `647205${ddmmyy}${serial}`;

const FEMALE_NIK = '6472055203900001'; // day 52 = 12 + 40: a woman born 12 March 1990
const MALE_NIK = '6472051203900002'; // a man born 12 March 1990

describe('checkNik', () => {
  it('accepts a woman’s NIK and reads her region and the female marker', () => {
    expect(checkNik(FEMALE_NIK)).toEqual({
      ok: true,
      facts: { regionCode: '64.72', female: true },
    });
  });

  it('accepts a man’s NIK and reads it as not female', () => {
    expect(checkNik(MALE_NIK)).toEqual({ ok: true, facts: { regionCode: '64.72', female: false } });
  });

  it('reads the region as province.regency in the Kemendagri form', () => {
    expect(checkNik('6471034107850003')).toEqual({
      ok: true,
      facts: { regionCode: '64.71', female: true },
    });
  });

  describe('structure', () => {
    it.each([
      ['15 digits', '647205520390001'],
      ['17 digits', '64720552039000011'],
      ['empty', ''],
      ['a letter', '647205520390000A'],
      ['spaces', '6472 0552 0390 0001'],
      ['dots', '64.72.05.520390.0001'],
      ['a leading space', ' 6472055203900001'],
      ['a trailing newline', '6472055203900001\n'],
      ['non-ASCII digits', '６４７２０５５２０３９００００１'],
    ])('refuses %s as NOT_16_DIGITS', (_label, nik) => {
      expect(checkNik(nik)).toEqual({ ok: false, problem: 'NOT_16_DIGITS' });
    });

    it.each([
      ['province', '0072055203900001'],
      ['regency', '6400055203900001'],
      ['district', '6472005203900001'],
    ])('refuses a %s part of 00 as BAD_REGION', (_part, nik) => {
      expect(checkNik(nik)).toEqual({ ok: false, problem: 'BAD_REGION' });
    });

    it.each([
      '01',
      '10',
      '20',
      '22',
      '30',
      '37',
      '50',
      '54',
      '60',
      '66',
      '70',
      '77',
      '80',
      '83',
      '90',
      '97',
      '99',
    ])('refuses province %s, which does not exist, as UNKNOWN_PROVINCE', (province) => {
      expect(checkNik(`${province}72055203900001`)).toEqual({
        ok: false,
        problem: 'UNKNOWN_PROVINCE',
      });
    });

    it.each([
      ['Aceh', '11'],
      ['DKI Jakarta', '31'],
      ['Jawa Timur', '35'],
      ['Kalimantan Utara', '65'],
      ['Sulawesi Barat', '76'],
      ['Papua', '91'],
      ['Papua Barat', '92'],
      ['Papua Selatan', '93'],
      ['Papua Tengah', '94'],
      ['Papua Pegunungan', '95'],
      ['Papua Barat Daya', '96'],
    ])('accepts a NIK of %s (%s)', (_name, province) => {
      expect(checkNik(`${province}01055203900001`).ok).toBe(true);
    });

    it.each(['01', '02', '03', '07', '08', '09', '11', '71', '72', '74'])(
      'accepts the Kalimantan Timur regency/city 64.%s',
      (regency) => {
        expect(checkNik(`64${regency}055203900001`)).toEqual({
          ok: true,
          facts: { regionCode: `64.${regency}`, female: true },
        });
      },
    );

    // A NIK names where the person was first registered: Kalimantan Utara was Kaltim's until 2012.
    it.each([
      ['Bulungan', '04'],
      ['Nunukan', '05'],
      ['Malinau', '06'],
      ['Tana Tidung', '10'],
      ['Tarakan', '73'],
    ])('accepts %s as 64.%s, its code before Kalimantan Utara split off', (_name, regency) => {
      expect(checkNik(`64${regency}055203900001`).ok).toBe(true);
    });

    it.each(['12', '50', '70', '75', '79', '80', '99'])(
      'refuses 64.%s, which no regency of Kalimantan Timur ever had, as UNKNOWN_REGENCY',
      (regency) => {
        expect(checkNik(`64${regency}055203900001`)).toEqual({
          ok: false,
          problem: 'UNKNOWN_REGENCY',
        });
      },
    );

    it.each(['01', '45', '71', '99'])(
      'checks only the shape of a regency elsewhere: accepts 63.%s',
      (regency) => {
        expect(checkNik(`63${regency}055203900001`).ok).toBe(true);
      },
    );

    it('refuses serial 0000 as BAD_SERIAL', () => {
      expect(checkNik(samarindaNik('520390', '0000'))).toEqual({
        ok: false,
        problem: 'BAD_SERIAL',
      });
    });

    it.each(['0001', '0420', '9999'])('accepts serial %s', (serial) => {
      expect(checkNik(samarindaNik('520390', serial)).ok).toBe(true);
    });
  });

  describe('date of birth', () => {
    it.each([
      ['01', false],
      ['15', false],
      ['31', false],
      ['41', true],
      ['55', true],
      ['71', true],
    ])('accepts day %s (female: %s) in January', (day, female) => {
      expect(checkNik(samarindaNik(`${day}0190`))).toEqual({
        ok: true,
        facts: { regionCode: '64.72', female },
      });
    });

    it.each(['00', '32', '35', '40', '72', '80', '99'])(
      'refuses day %s as IMPOSSIBLE_DATE (neither 01–31 nor 41–71)',
      (day) => {
        expect(checkNik(samarindaNik(`${day}0190`))).toEqual({
          ok: false,
          problem: 'IMPOSSIBLE_DATE',
        });
      },
    );

    it.each(['00', '13', '99'])('refuses month %s as IMPOSSIBLE_DATE', (month) => {
      expect(checkNik(samarindaNik(`12${month}90`))).toEqual({
        ok: false,
        problem: 'IMPOSSIBLE_DATE',
      });
    });

    it.each([
      ['31 April (man)', '310490'],
      ['31 April (woman)', '710490'],
      ['30 February (man)', '300290'],
      ['30 February (woman)', '700290'],
      ['31 June', '310690'],
    ])('refuses %s as IMPOSSIBLE_DATE', (_label, ddmmyy) => {
      expect(checkNik(samarindaNik(ddmmyy))).toEqual({ ok: false, problem: 'IMPOSSIBLE_DATE' });
    });

    it.each([
      ['31 March (woman)', '710390'],
      ['30 April (man)', '300490'],
      ['28 February of a common year', '280201'],
    ])('accepts %s', (_label, ddmmyy) => {
      expect(checkNik(samarindaNik(ddmmyy)).ok).toBe(true);
    });

    describe('29 February', () => {
      it.each([
        ['00, a man (it exists in 2000)', '290200'],
        ['00, a woman (it exists in 2000)', '690200'],
        ['96, a man (1996)', '290296'],
        ['04, a woman (2004)', '690204'],
      ])('is accepted in year %s', (_label, ddmmyy) => {
        expect(checkNik(samarindaNik(ddmmyy)).ok).toBe(true);
      });

      it.each([
        ['01, a man', '290201'],
        ['01, a woman', '690201'],
        ['97, a man (neither 1997 nor 2097)', '290297'],
      ])('is refused as IMPOSSIBLE_DATE in year %s', (_label, ddmmyy) => {
        expect(checkNik(samarindaNik(ddmmyy))).toEqual({ ok: false, problem: 'IMPOSSIBLE_DATE' });
      });
    });
  });

  it('explains every problem in words', () => {
    expect(Object.keys(NIK_PROBLEMS).sort()).toEqual(
      [
        'BAD_REGION',
        'BAD_SERIAL',
        'IMPOSSIBLE_DATE',
        'NOT_16_DIGITS',
        'UNKNOWN_PROVINCE',
        'UNKNOWN_REGENCY',
      ].sort(),
    );
    Object.values(NIK_PROBLEMS).forEach((text) => expect(text).not.toHaveLength(0));
  });
});

describe('maskNik', () => {
  it('shows the first four and the last four digits only', () => {
    expect(maskNik(FEMALE_NIK)).toBe('6472********0001');
  });

  it('hides the district and the date of birth', () => {
    const masked = maskNik(FEMALE_NIK);
    expect(masked).toHaveLength(16);
    expect(masked).not.toContain('05');
    expect(masked).not.toContain('520390');
  });

  it('keeps NIKs of different people apart by their serial', () => {
    expect(maskNik(MALE_NIK)).toBe('6472********0002');
  });
});
