import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { InvalidInputException, validateAs, type FieldError } from './field-errors';
import { IsDateOrInstant, IsNikText, IsText, normaliseNik } from './text.validators';

// Bodies shaped like the write side's (a spec here may not import a feature).
class RseBody {
  @IsText(200, 'name')
  name!: string;

  @IsNikText()
  nik!: string;

  @IsText(100)
  businessType!: string;
}

class MemberBody {
  @IsText(200, 'name')
  name!: string;

  @IsNikText()
  nik!: string;
}

class KubeBody {
  @IsText(200, 'name')
  groupName!: string;

  @ValidateNested({ each: true })
  @Type(() => MemberBody)
  members!: MemberBody[];
}

class ReasonBody {
  @IsText(500)
  reason!: string;
}

class VisitBody {
  @IsOptional()
  @IsText(2000, 'lines')
  notes?: string;
}

class RangeQuery {
  @IsOptional()
  @IsDateOrInstant()
  from?: string;
}

const RSE = { name: 'Siti Aminah', nik: '6472055203900001', businessType: 'Kue basah' };

const KUBE = {
  groupName: 'KUBe Mandiri Sejahtera',
  members: ['Rahmat', 'Nur', 'Budi', 'Dewi', 'Agus'].map((name, index) => ({
    name,
    nik: `640703150585001${index}`,
  })),
};

/** The errors validation gives, none when the input is valid. */
async function errorsOf<T extends object>(type: new () => T, plain: object): Promise<FieldError[]> {
  try {
    await validateAs(type, plain);
    return [];
  } catch (error) {
    if (error instanceof InvalidInputException) return error.errors;
    throw error;
  }
}

describe('IsText', () => {
  it.each([
    ['NUL', 'Siti\u0000 Aminah', 'noControlCharacters', 'name must not contain control characters'],
    ['ESC', '\u001b[2JSiti', 'noControlCharacters', 'name must not contain control characters'],
    [
      'a bidi override',
      'Siti \u202eanimA',
      'noBidiControls',
      'name must not contain bidirectional control characters',
    ],
    ['a lone surrogate', 'Siti \ud800 Aminah', 'wellFormedText', 'name must be valid Unicode text'],
    ['U+FFFD', 'Siti \ufffd Aminah', 'wellFormedText', 'name must be valid Unicode text'],
    ['digits only', '12345', 'containsLetter', 'name must contain a letter'],
  ])('refuses a name with %s, naming the field and the rule', async (_label, name, rule, text) => {
    const errors = await errorsOf(RseBody, { ...RSE, name });
    expect(errors).toContainEqual({ field: 'name', rule, message: expect.stringContaining(text) });
    expect(errors.every((error) => error.field === 'name')).toBe(true);
  });

  it('refuses a name of zero-width spaces as invisible and without a letter', async () => {
    const errors = await errorsOf(RseBody, { ...RSE, name: '\u200b\u200b\u200b' });
    expect(errors.map(({ field, rule }) => ({ field, rule }))).toEqual([
      { field: 'name', rule: 'noInvisibleCharacters' },
      { field: 'name', rule: 'containsLetter' },
    ]);
  });

  it('names a member by its path', async () => {
    const members = KUBE.members.map((member, index) =>
      index === 2 ? { ...member, name: 'Budi\u0085' } : member,
    );
    const errors = await errorsOf(KubeBody, { ...KUBE, members });
    expect(errors).toEqual([
      {
        field: 'members.2.name',
        rule: 'noControlCharacters',
        message: 'name must not contain control characters (such as a tab, a line break or ESC)',
      },
    ]);
  });

  it('refuses a group name without a letter', async () => {
    const errors = await errorsOf(KubeBody, { ...KUBE, groupName: '2025' });
    expect(errors).toEqual([
      { field: 'groupName', rule: 'containsLetter', message: 'groupName must contain a letter' },
    ]);
  });

  it('wants a letter or a digit in other text: a reason of one zero-width space is refused', async () => {
    const errors = await errorsOf(ReasonBody, { reason: '\u200b' });
    expect(errors.map((error) => error.rule)).toEqual([
      'noInvisibleCharacters',
      'containsLetterOrDigit',
    ]);
    expect(await errorsOf(ReasonBody, { reason: '2025' })).toEqual([]);
  });

  it.each([
    ['businessType', RseBody, { ...RSE, businessType: 'Kue\tbasah' }],
    ['reason', ReasonBody, { reason: 'Ganda\u2066' }],
    ['notes', VisitBody, { notes: 'Baik\u001b[0m' }],
    [
      'members.1.name',
      KubeBody,
      { ...KUBE, members: [KUBE.members[0], { ...KUBE.members[1], name: 'Nur\u200d' }] },
    ],
  ] as [string, new () => object, object][])(
    'refuses what hides or steers text in %s',
    async (field, type, plain) => {
      const errors = await errorsOf(type, plain);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((error) => error.field === field)).toBe(true);
    },
  );

  it('lets notes break lines, Windows line ends made plain', async () => {
    const body = await validateAs(VisitBody, {
      notes: ' Pesanan naik\r\nmenjelang Lebaran\r\n',
    });
    expect(body.notes).toBe('Pesanan naik\nmenjelang Lebaran');
    expect(await errorsOf(VisitBody, { notes: 'a\rb' })).toEqual([
      {
        field: 'notes',
        rule: 'noControlCharacters',
        message: 'notes must not contain control characters other than line breaks',
      },
    ]);
  });

  it('trims surrounding spaces, as a person meant', async () => {
    const body = await validateAs(RseBody, { ...RSE, name: '  Siti Aminah\u00a0\n' });
    expect(body.name).toBe('Siti Aminah');
  });

  it('says once that blank text is blank', async () => {
    expect(await errorsOf(ReasonBody, { reason: '   ' })).toEqual([
      { field: 'reason', rule: 'matches', message: 'reason must not be blank' },
    ]);
  });

  it('says once that what is not text is not text', async () => {
    const errors = await errorsOf(ReasonBody, { reason: 42 });
    expect(errors.map((error) => error.rule)).toEqual(['isString', 'matches', 'isLength']);
  });

  it('counts the length after trimming', async () => {
    const name = `  ${'a'.repeat(200)}  `;
    expect(await errorsOf(RseBody, { ...RSE, name })).toEqual([]);
    expect(await errorsOf(RseBody, { ...RSE, name: 'a'.repeat(201) })).toEqual([
      { field: 'name', rule: 'isLength', message: 'name must be at most 200 characters' },
    ]);
  });

  it('accepts ordinary Indonesian text', async () => {
    expect(
      await errorsOf(RseBody, {
        ...RSE,
        name: "Ni Luh Putu Ayu Wulandari, S.E. (Dg. Ma'ruf)",
        businessType: 'Kue & jajanan pasar — 50 kotak/hari',
      }),
    ).toEqual([]);
  });
});

describe('IsNikText', () => {
  it.each([
    [
      'a province that does not exist',
      '9972055203900001',
      'nik must start with the Kemendagri code of a province that exists',
    ],
    [
      'a Kalimantan Timur regency that does not exist',
      '6499055203900001',
      'nik must carry a regency/city code that exists in its province',
    ],
  ])('refuses %s with the input errors', async (_label, nik, message) => {
    expect(await errorsOf(RseBody, { ...RSE, nik })).toEqual([
      { field: 'nik', rule: 'isNikRegion', message: expect.stringContaining(message) },
    ]);
  });

  it('names a member’s NIK by its path', async () => {
    const members = KUBE.members.map((member, index) =>
      index === 2 ? { ...member, nik: '2007031505850012' } : member,
    );
    const errors = await errorsOf(KubeBody, { ...KUBE, members });
    expect(errors.map(({ field, rule }) => ({ field, rule }))).toEqual([
      { field: 'members.2.nik', rule: 'isNikRegion' },
    ]);
  });

  it('accepts a NIK first registered in Tarakan when it was Kalimantan Timur’s', async () => {
    expect(await errorsOf(RseBody, { ...RSE, nik: '6473055203900001' })).toEqual([]);
  });

  it('leaves dates, serials and 00 parts to the domain (INVALID_NIK)', async () => {
    for (const nik of ['6472055213900001', '6472005203900001', '6472055203900000']) {
      expect(await errorsOf(RseBody, { ...RSE, nik })).toEqual([]);
    }
  });

  it('says only that what is not 16 digits is not', async () => {
    expect(await errorsOf(RseBody, { ...RSE, nik: '6472.0552.0390.001' })).toEqual([
      { field: 'nik', rule: 'matches', message: 'nik must be exactly 16 digits' },
    ]);
  });

  it.each([
    ['spaces in fours', '6472 0552 0390 0001'],
    ['dots in fours', '6472.0552.0390.0001'],
    ['dashes in fours', '6472-0552-0390-0001'],
    ['the parts dotted', '64.72.05.520390.0001'],
    ['region, date and serial', '647205 520390 0001'],
    ['every two-digit part', '64 72 05 52 03 90 0001'],
    ['no-break spaces, as pasted from a document', '6472\u00a00552\u00a00390\u00a00001'],
    ['surrounding spaces and a pasted line end', '  6472055203900001\r\n'],
  ])('reads a NIK written with %s as its 16 digits', async (_case, nik) => {
    const body = await validateAs(RseBody, { ...RSE, nik });
    expect(body.nik).toBe('6472055203900001');
  });

  it('normalises a member’s NIK too, before its region is checked', async () => {
    const members = KUBE.members.map((member, index) =>
      index === 3 ? { ...member, nik: '6407 0315 0585 0013' } : member,
    );
    const body = await validateAs(KubeBody, { ...KUBE, members });
    expect(body.members[3].nik).toBe('6407031505850013');
    const unknown = KUBE.members.map((member, index) =>
      index === 3 ? { ...member, nik: '9907 0315 0585 0013' } : member,
    );
    expect((await errorsOf(KubeBody, { ...KUBE, members: unknown })).map((e) => e.field)).toEqual([
      'members.3.nik',
    ]);
  });

  it.each([
    ['a letter', '6472 0552 0390 000l'],
    ['a letter O for a zero', '6472.O552.0390.0001'],
    ['a slash', '6472/0552/0390/0001'],
    ['a comma', '6472,0552,0390,0001'],
    ['an underscore', '6472_0552_0390_0001'],
    ['a separator inside the serial', '6472 0552 0390 00 01'],
    ['a separator after an odd digit', '647 2055 2039 00001'],
    ['two separators together', '6472  0552 0390 0001'],
    ['a dot and a dash together', '6472.-0552.0390.0001'],
    ['a leading separator', '.6472055203900001'],
    ['a trailing separator', '6472-0552-0390-0001-'],
    ['15 digits', '6472 0552 0390 001'],
    ['17 digits', '6472 0552 0390 00011'],
    ['a tab between parts', '6472\t0552\t0390\t0001'],
    ['full-width digits', '\uff16\uff14\uff17\uff12055203900001'],
    ['an en dash', '6472\u20130552\u20130390\u20130001'],
  ])('refuses a NIK with %s, naming the field and never quoting it', async (_case, nik) => {
    const errors = await errorsOf(RseBody, { ...RSE, nik });
    expect(errors).toEqual([
      { field: 'nik', rule: 'matches', message: 'nik must be exactly 16 digits' },
    ]);
  });

  it('leaves what is not text to be refused as it is', async () => {
    expect(await errorsOf(RseBody, { ...RSE, nik: 6472055203900001 })).toEqual([
      { field: 'nik', rule: 'matches', message: 'nik must be exactly 16 digits' },
    ]);
  });
});

describe('normaliseNik', () => {
  it('gives 16 digits as they are', () => {
    expect(normaliseNik('6472055203900001')).toBe('6472055203900001');
  });

  it('gives nothing for text that is not a NIK written with separators', () => {
    for (const text of ['', ' ', '-', '6472-', 'NIK 6472055203900001', '6472 0552 0390 0001 x']) {
      expect(normaliseNik(text)).toBeUndefined();
    }
  });

  it('takes linear time on a long hostile text', () => {
    const started = process.hrtime.bigint();
    expect(normaliseNik('64 '.repeat(200_000))).toBeUndefined();
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});

describe('IsDateOrInstant', () => {
  it.each([
    '2025-03-15',
    '2024-02-29',
    '2025-03-15T02:00Z',
    '2025-03-15T02:00:00Z',
    '2025-03-15T02:00:00.5Z',
    '2025-03-15T02:00:00.000Z',
    // As the CSV and xlsx exports write recorded times (WITA, with its offset).
    '2025-03-15T10:00:00.000+08:00',
    '2025-03-15T10:00+08:00',
    '2025-03-14T21:00:00-05:00',
    '2025-03-15T02:00:00.000+00:00',
    '2025-03-15T02:00:00.000-00:00',
  ])('accepts %s', async (from) => {
    expect(await errorsOf(RangeQuery, { from })).toEqual([]);
  });

  it.each([
    'yesterday',
    '2025-02-30',
    '2025-3-15',
    '20250315',
    // No offset: whose 10:00 would it be?
    '2025-03-15T10:00:00',
    '2025-03-15T10:00:00.000',
    // A bare + in a URL arrives as a space.
    '2025-03-15T10:00:00.000 08:00',
    '2025-03-15T10:00:00.000+0800',
    '2025-03-15T10:00:00.000+08',
    '2025-03-15T10:00:00.000+24:00',
    '2025-03-15T10:00:00.000+08:60',
    '2025-03-15T24:00Z',
    '2025-03-15T10:60Z',
    '2025-03-15T10:00:60Z',
    '2025-03-15T10:00:00.0000Z',
    '2025-03-15T10Z',
    '2025-03-15t10:00z',
    '2025-02-29T12:00Z',
    '2025-03-15Z',
    ' 2025-03-15',
  ])('refuses %j, naming the field', async (from) => {
    expect(await errorsOf(RangeQuery, { from })).toEqual([
      {
        field: 'from',
        rule: 'isDateOrInstant',
        message:
          'from must be a date (YYYY-MM-DD) or an ISO instant with Z or an offset (…Z, …+08:00; + written %2B in a URL)',
      },
    ]);
  });

  it('refuses a value that is not text', async () => {
    expect(await errorsOf(RangeQuery, { from: 20250315 })).toMatchObject([
      { field: 'from', rule: 'isDateOrInstant' },
    ]);
  });
});
