/**
 * Free text a person types (names, reasons, notes…) is shown on screens, in CSV files and in
 * auditors' terminals, so nothing in it may be invisible or steer the display: no control
 * characters (a terminal obeys ESC sequences), no bidirectional controls (they reorder what is
 * shown), no zero-width or other format characters (two texts that look alike would differ, and
 * words could hide), and nothing that betrays text broken on its way in (an unpaired surrogate,
 * U+FFFD, a noncharacter). Zero-width joiners are refused with the rest: Indonesian names and
 * addresses do not need them.
 */

/** `name`: a person's or a group's name; `text`: one line; `lines`: notes, which may break lines. */
export type TextKind = 'name' | 'text' | 'lines';

export type TextProblem =
  | 'CONTROL_CHARACTER'
  | 'BIDI_CONTROL'
  | 'INVISIBLE_CHARACTER'
  | 'ILL_FORMED'
  | 'NO_LETTER'
  | 'NO_LETTER_OR_DIGIT';

// U+2028/U+2029 break lines like a control character does.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const CONTROL_BUT_NEWLINE = /(?!\n)[\p{Cc}\u2028\u2029]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Format and default-ignorable characters, but for the bidi ones (reported as such) and the
// emoji variation selectors, which only choose how a visible character is drawn.
const INVISIBLE =
  /(?![\uFE00-\uFE0F])(?![\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069])[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
// With the u flag, [\uD800-\uDFFF] matches only a surrogate without its pair.
const ILL_FORMED = /[\uD800-\uDFFF\uFFFD\p{Noncharacter_Code_Point}]/u;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

const TESTS: Record<TextProblem, (text: string, kind: TextKind) => boolean> = {
  CONTROL_CHARACTER: (text, kind) => (kind === 'lines' ? CONTROL_BUT_NEWLINE : CONTROL).test(text),
  BIDI_CONTROL: (text) => BIDI.test(text),
  INVISIBLE_CHARACTER: (text) => INVISIBLE.test(text),
  ILL_FORMED: (text) => ILL_FORMED.test(text),
  NO_LETTER: (text, kind) => kind === 'name' && !LETTER.test(text),
  NO_LETTER_OR_DIGIT: (text, kind) => kind !== 'name' && !LETTER_OR_DIGIT.test(text),
};

export const TEXT_PROBLEM_ORDER = Object.keys(TESTS) as TextProblem[];

/** The problems text of this kind can have (a name needs a letter, other text a letter or digit). */
export function textProblemsOfKind(kind: TextKind): TextProblem[] {
  const unwanted: TextProblem = kind === 'name' ? 'NO_LETTER_OR_DIGIT' : 'NO_LETTER';
  return TEXT_PROBLEM_ORDER.filter((problem) => problem !== unwanted);
}

/** Whether `text` has this problem, for a field of this kind. */
export function hasTextProblem(text: string, kind: TextKind, problem: TextProblem): boolean {
  return TESTS[problem](text, kind);
}

/** Every problem of `text`, in a fixed order; none when it is acceptable. */
export function textProblems(text: string, kind: TextKind): TextProblem[] {
  return TEXT_PROBLEM_ORDER.filter((problem) => TESTS[problem](text, kind));
}

/** What the field must be, to follow its name: `${field} ${describeTextProblem(…)}`. */
export function describeTextProblem(problem: TextProblem, kind: TextKind): string {
  switch (problem) {
    case 'CONTROL_CHARACTER':
      return kind === 'lines'
        ? 'must not contain control characters other than line breaks'
        : 'must not contain control characters (such as a tab, a line break or ESC)';
    case 'BIDI_CONTROL':
      return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)';
    case 'INVISIBLE_CHARACTER':
      return 'must not contain invisible characters (such as a zero-width space or joiner, U+2060 or U+FEFF)';
    case 'ILL_FORMED':
      return 'must be valid Unicode text (no U+FFFD replacement character, unpaired surrogate or noncharacter)';
    case 'NO_LETTER':
      return 'must contain a letter';
    case 'NO_LETTER_OR_DIGIT':
      return 'must contain a letter or a digit';
  }
}

// Spaces of any width, and the tab and line ends a paste brings; not NEL, U+2028 or U+FEFF.
const SURROUNDING_SPACE = /^[\p{Zs}\t\r\n]+|[\p{Zs}\t\r\n]+$/gu;

/**
 * Text as the person meant it: without surrounding spaces (a leading blank, a pasted trailing
 * line end), and with Windows line ends of notes made plain line breaks. Rarer characters at
 * either end (NEL, U+2028, U+FEFF, zero-width spaces) stay, to be refused.
 */
export function cleanText(text: string, kind: TextKind): string {
  const trimmed = text.replace(SURROUNDING_SPACE, '');
  return kind === 'lines' ? trimmed.replace(/\r\n/g, '\n') : trimmed;
}

// What a display must not pass on as it is: every character refused above that does not show
// as itself (U+FFFD and noncharacters do).
const UNSHOWABLE =
  /(?![\uFE00-\uFE0F])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\uD800-\uDFFF]/gu;
const SHORT_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Text safe to print on a terminal: each unshowable character written as an escape (`\x1b`,
 * `\u202e`, `\u{e0041}`), so that text stored long ago cannot drive the terminal or disguise
 * itself. `keepLineBreaks` leaves line ends (`\n`, `\r\n`) as they are, for text of several
 * lines; `json` writes every escape as JSON does (`\u001b`, a surrogate pair beyond U+FFFF), for
 * JSON text, whose strings then mean what they meant.
 */
export function escapeUnshowable(
  text: string,
  { keepLineBreaks = false, json = false } = {},
): string {
  return text.replace(UNSHOWABLE, (char, at: number) => {
    if (keepLineBreaks && (char === '\n' || (char === '\r' && text[at + 1] === '\n'))) {
      return char;
    }
    if (json) {
      let units = '';
      for (let unit = 0; unit < char.length; unit++) {
        units += `\\u${char.charCodeAt(unit).toString(16).padStart(4, '0')}`;
      }
      return units;
    }
    const short = SHORT_ESCAPES[char];
    if (short) return short;
    const code = char.codePointAt(0) ?? 0;
    const hex = code.toString(16);
    if (code < 0x100) return `\\x${hex.padStart(2, '0')}`;
    return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });
}
