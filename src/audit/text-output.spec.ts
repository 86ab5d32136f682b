import { jsonArrayLines, tableLines, terminalJson, terminalText } from './text-output';

/** What an attacker might have stored before the input checks: ANSI, C1 CSI, bidi, invisible. */
const HOSTILE = 'Siti\u001b[2J\u001b]0;pwned\u0007 \u009b31m\u202eanimA\u2066\u200b\nx';

const joined = (lines: Iterable<string>) => [...lines].join('');

/** Whether any character a terminal could act on, or that would not show as itself, is left. */
const unsafe = (text: string): boolean =>
  [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (
      (code < 0x20 && char !== '\n') ||
      (code >= 0x7f && code <= 0x9f) ||
      (code >= 0x200b && code <= 0x200f) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2060 && code <= 0x2069) ||
      code === 0xfeff
    );
  });

describe('tableLines', () => {
  it('escapes control, bidi and invisible characters stored in a cell', () => {
    expect(unsafe(HOSTILE)).toBe(true);
    const text = joined(tableLines(['id', 'name'], [['r-1', HOSTILE]]));
    expect(unsafe(text)).toBe(false);
    expect(text).toContain('Siti\\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m\\u202eanimA\\u2066\\u200b\\nx');
  });

  it('keeps a row on one line and the columns aligned by the escaped width', () => {
    const lines = joined(
      tableLines(
        ['name', 'kind'],
        [
          ['a\nb', 'RSE'],
          ['Siti Aminah', 'KUBE'],
        ],
      ),
    ).split('\n');
    expect(lines).toEqual(['name         kind', 'a\\nb         RSE', 'Siti Aminah  KUBE', '']);
  });

  it('leaves ordinary text as it was', () => {
    expect(joined(tableLines(['name'], [['Ni Luh Putu Ayu — Rp1.000.000']], { rule: true }))).toBe(
      'name\n-----------------------------\nNi Luh Putu Ayu — Rp1.000.000\n',
    );
  });
});

describe('jsonArrayLines and terminalJson', () => {
  it('escape what JSON.stringify leaves raw, and parse back to the same values', () => {
    const items = [{ id: 'r-1', document: { name: HOSTILE, note: 'Rp\u00a01.000 ❤️' } }];
    const text = joined(jsonArrayLines(items));
    expect(unsafe(text)).toBe(false);
    expect(JSON.parse(text)).toEqual(items);
    expect(JSON.parse(terminalJson(items, 2))).toEqual(items);
    expect(unsafe(terminalJson(items, 2))).toBe(false);
  });
});

describe('terminalText', () => {
  it('keeps the lines of a report and escapes what is in them', () => {
    expect(terminalText('a\u001b[31m\nb\u202e\r\n')).toBe('a\\x1b[31m\nb\\u202e\r\n');
  });
});
