import {
  cleanText,
  describeTextProblem,
  escapeUnshowable,
  TEXT_PROBLEM_ORDER,
  textProblems,
  type TextKind,
} from './text';

describe('textProblems', () => {
  it.each([
    ['Siti Aminah', 'name'],
    ['Ni Luh Putu Ayu Wulandari, S.E.', 'name'],
    ['Wa Ode Nurhaliza', 'name'],
    ["Dg. Ma'ruf", 'name'],
    ['KUBe Mandiri Sejahtera 2', 'name'],
    ['Jl. Juanda No. 12 RT 03, Samarinda Ulu', 'text'],
    ['Kue basah & jajanan pasar (≈ 50 kotak/hari)', 'text'],
    ['2025', 'text'],
    ['Warung ❤️ kopi 😀', 'text'],
    ['Pesanan naik\nmenjelang Lebaran', 'lines'],
  ] as [string, TextKind][])('accepts %j as %s', (text, kind) => {
    expect(textProblems(text, kind)).toEqual([]);
  });

  it.each([
    ['NUL', 'Siti\u0000'],
    ['ESC (an ANSI sequence)', 'Siti \u001b[31mAminah'],
    ['TAB', 'Siti\tAminah'],
    ['a line break', 'Siti\nAminah'],
    ['a carriage return', 'Siti\rAminah'],
    ['DEL', 'Siti\u007f'],
    ['C1 CSI', 'Siti\u009b31m'],
    ['NEL', 'Siti\u0085Aminah'],
    ['a line separator', 'Siti\u2028Aminah'],
  ])('refuses %s in a single line as CONTROL_CHARACTER', (_label, text) => {
    expect(textProblems(text, 'name')).toEqual(['CONTROL_CHARACTER']);
    expect(textProblems(text, 'text')).toEqual(['CONTROL_CHARACTER']);
  });

  it('lets notes break lines, and nothing else of the kind', () => {
    expect(textProblems('satu\ndua', 'lines')).toEqual([]);
    expect(textProblems('satu\r\ndua', 'lines')).toEqual(['CONTROL_CHARACTER']);
    expect(textProblems('satu\tdua', 'lines')).toEqual(['CONTROL_CHARACTER']);
    expect(textProblems('satu\u001b[2Jdua', 'lines')).toEqual(['CONTROL_CHARACTER']);
  });

  it.each([
    ['U+202E RIGHT-TO-LEFT OVERRIDE', 'Siti \u202eanimA'],
    ['U+202A LEFT-TO-RIGHT EMBEDDING', 'Siti \u202aAminah'],
    ['U+2066 LEFT-TO-RIGHT ISOLATE', 'Siti \u2066Aminah\u2069'],
    ['U+2069 POP DIRECTIONAL ISOLATE', 'Siti\u2069'],
    ['U+200F RIGHT-TO-LEFT MARK', 'Siti\u200f'],
    ['U+061C ARABIC LETTER MARK', 'Siti\u061c'],
  ])('refuses %s as BIDI_CONTROL', (_label, text) => {
    expect(textProblems(text, 'name')).toEqual(['BIDI_CONTROL']);
  });

  it.each([
    ['U+200B ZERO WIDTH SPACE', 'Siti\u200bAminah'],
    ['U+200C ZERO WIDTH NON-JOINER', 'Siti\u200cAminah'],
    ['U+200D ZERO WIDTH JOINER (Indonesian names never need it)', 'Siti\u200dAminah'],
    ['U+2060 WORD JOINER', 'Siti\u2060'],
    ['U+FEFF (a byte-order mark)', '\ufeffSiti'],
    ['U+00AD SOFT HYPHEN', 'Si\u00adti'],
    ['U+3164 HANGUL FILLER (a "letter" that shows nothing)', 'Siti \u3164'],
    ['a tag character', 'Siti\u{e0041}'],
  ])('refuses %s as INVISIBLE_CHARACTER', (_label, text) => {
    expect(textProblems(text, 'name')).toEqual(['INVISIBLE_CHARACTER']);
  });

  it.each([
    ['U+FFFD (what invalid UTF-8 becomes)', 'Siti \ufffd'],
    ['an unpaired high surrogate', 'Siti \ud83d'],
    ['an unpaired low surrogate', '\ude00 Siti'],
    ['a noncharacter', 'Siti\uffff'],
  ])('refuses %s as ILL_FORMED', (_label, text) => {
    expect(textProblems(text, 'text')).toEqual(['ILL_FORMED']);
  });

  it('wants a letter in a name, a letter or a digit in other text', () => {
    expect(textProblems('12345', 'name')).toEqual(['NO_LETTER']);
    expect(textProblems('-.-', 'name')).toEqual(['NO_LETTER']);
    expect(textProblems('12345', 'text')).toEqual([]);
    expect(textProblems('-.-', 'text')).toEqual(['NO_LETTER_OR_DIGIT']);
    expect(textProblems('', 'lines')).toEqual(['NO_LETTER_OR_DIGIT']);
  });

  it('reports every problem of a reason made of one zero-width space', () => {
    expect(textProblems('\u200b', 'text')).toEqual(['INVISIBLE_CHARACTER', 'NO_LETTER_OR_DIGIT']);
  });

  it('explains every problem in words that follow the field name', () => {
    for (const problem of TEXT_PROBLEM_ORDER) {
      for (const kind of ['name', 'text', 'lines'] as const) {
        expect(describeTextProblem(problem, kind)).toMatch(/^must /);
      }
    }
    expect(`name ${describeTextProblem('CONTROL_CHARACTER', 'name')}`).toMatch(
      /^name must not contain control characters/,
    );
  });
});

describe('cleanText', () => {
  it('trims surrounding white space, a pasted line end included', () => {
    expect(cleanText('  Siti Aminah \n', 'name')).toBe('Siti Aminah');
    expect(cleanText('\u00a0Siti\u3000', 'name')).toBe('Siti');
    expect(cleanText('   ', 'text')).toBe('');
  });

  it('keeps other characters at either end, to be refused', () => {
    expect(cleanText('\ufeffSiti\u200b', 'name')).toBe('\ufeffSiti\u200b');
    expect(cleanText('Budi\u0085', 'name')).toBe('Budi\u0085');
    expect(cleanText('Budi\u2028', 'name')).toBe('Budi\u2028');
    expect(cleanText('Budi\u000b', 'name')).toBe('Budi\u000b');
    expect(cleanText('Siti \u001b', 'name')).toBe('Siti \u001b');
  });

  it('makes Windows line ends of notes plain line breaks', () => {
    expect(cleanText('satu\r\ndua\r\n', 'lines')).toBe('satu\ndua');
    expect(cleanText('satu\r\ndua', 'text')).toBe('satu\r\ndua');
  });
});

describe('escapeUnshowable', () => {
  it('writes control characters as escapes', () => {
    expect(escapeUnshowable('a\u001b[31mb\u0000c\u009bd\u007f')).toBe(
      'a\\x1b[31mb\\x00c\\x9bd\\x7f',
    );
    expect(escapeUnshowable('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
  });

  it('writes bidi, invisible and broken characters as escapes', () => {
    expect(escapeUnshowable('a\u202eb\u2066c\u200bd\ufeffe\u2028f')).toBe(
      'a\\u202eb\\u2066c\\u200bd\\ufeffe\\u2028f',
    );
    expect(escapeUnshowable('a\ud800b\u{e0041}')).toBe('a\\ud800b\\u{e0041}');
  });

  it('leaves printable text alone, emoji and their variation selectors included', () => {
    const text = 'Siti Aminah — Rp1.000.000 (kue ❤️ 😀) \\x1b';
    expect(escapeUnshowable(text)).toBe(text);
  });

  it('keeps line ends when asked, but no carriage return of its own', () => {
    expect(escapeUnshowable('a\nb\u001b', { keepLineBreaks: true })).toBe('a\nb\\x1b');
    expect(escapeUnshowable('a\r\nb\rc', { keepLineBreaks: true })).toBe('a\r\nb\\rc');
  });

  it('writes JSON escapes in JSON text, which then means the same', () => {
    const value = { name: 'a\u009bb\u202ec\u{e0041}d\u2028e \\x1b' };
    const escaped = escapeUnshowable(JSON.stringify(value), { json: true });
    expect(escaped).toBe('{"name":"a\\u009bb\\u202ec\\udb40\\udc41d\\u2028e \\\\x1b"}');
    expect(JSON.parse(escaped)).toEqual(value);
  });
});
