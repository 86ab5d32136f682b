import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches, ValidateBy } from 'class-validator';
import { isCalendarDate } from '../domain/programme/calendar-date';
import { checkNik, NIK_PROBLEMS, type NikProblem } from '../domain/programme/nik';
import {
  cleanText,
  describeTextProblem,
  hasTextProblem,
  textProblemsOfKind,
  type TextKind,
  type TextProblem,
} from '../domain/programme/text';
import { localisedAs, says } from './messages/validation-messages';

/** The class-validator rule each text problem is reported under. */
const TEXT_RULES: Record<TextProblem, string> = {
  CONTROL_CHARACTER: 'noControlCharacters',
  BIDI_CONTROL: 'noBidiControls',
  INVISIBLE_CHARACTER: 'noInvisibleCharacters',
  ILL_FORMED: 'wellFormedText',
  NO_LETTER: 'containsLetter',
  NO_LETTER_OR_DIGIT: 'containsLetterOrDigit',
};

const textRule = (problem: TextProblem, kind: TextKind): PropertyDecorator =>
  ValidateBy(
    {
      name: TEXT_RULES[problem],
      validator: {
        // Not text, or blank: the rules above say so, once.
        validate: (value: unknown) =>
          typeof value !== 'string' || !/\S/.test(value) || !hasTextProblem(value, kind, problem),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${describeTextProblem(problem, kind)}`,
      },
    },
    localisedAs('INVALID_TEXT', { problem, kind }),
  );

/**
 * A required piece of text: a string, not blank, at most `max` characters, trimmed, and without
 * anything that hides or steers what is shown (see domain/programme/text). `name`: a person's or
 * a group's name, which must hold a letter; `lines`: notes, which may break lines.
 */
export function IsText(max: number, kind: TextKind = 'text'): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? cleanText(value, kind) : value,
    ),
    IsString(says('$property must be text', 'isString')),
    Matches(/\S/, says('$property must not be blank', 'notBlank')),
    Length(0, max, says(`$property must be at most ${max} characters`, 'isLength', { c1: max })),
    ...textProblemsOfKind(kind).map((problem) => textRule(problem, kind)),
  );
}

/** A date written YYYY-MM-DD (whether it exists is the domain's check). */
export const IsDateText = (): PropertyDecorator =>
  Matches(/^\d{4}-\d{2}-\d{2}$/, says('$property must be a date written YYYY-MM-DD', 'dateText'));

/** A region that exists nowhere is refused with the other input errors, before any hashing. */
const NIK_REGION_PROBLEMS: readonly NikProblem[] = ['UNKNOWN_PROVINCE', 'UNKNOWN_REGENCY'];

const nikRegionProblem = (value: string): NikProblem | undefined => {
  const checked = checkNik(value);
  return !checked.ok && NIK_REGION_PROBLEMS.includes(checked.problem) ? checked.problem : undefined;
};

/** Digits after which a separator may stand: the two-digit parts of the region and the date. */
const NIK_CUTS = new Set([2, 4, 6, 8, 10, 12]);
const NIK_SEPARATORS = new Set([' ', '\u00a0', '.', '-']);

/**
 * A NIK as people write it, made the 16 digits it stands for: `6472 0552 0390 0013`,
 * `6472.0552.0390.0013`, `64.72.05.520390.0013`, `647205-520390-0013`. A space (or no-break
 * space), a dot or a dash may stand, one at a time, between two digits where a part of the NIK
 * ends (after digit 2, 4, 6, 8, 10 or 12: province, regency, district, day, month, year), and
 * surrounding spaces are dropped. Anything else — letters, other punctuation, a separator
 * elsewhere or doubled — gives undefined, and the text is refused as it stands.
 */
export function normaliseNik(text: string): string | undefined {
  const trimmed = text.trim();
  let digits = '';
  for (let at = 0; at < trimmed.length; at++) {
    const char = trimmed[at];
    if (char >= '0' && char <= '9') {
      digits += char;
    } else if (
      !NIK_SEPARATORS.has(char) ||
      !NIK_CUTS.has(digits.length) ||
      !/[0-9]/.test(trimmed[at - 1] ?? '') ||
      !/[0-9]/.test(trimmed[at + 1] ?? '')
    ) {
      return undefined;
    }
  }
  return digits.length === 16 ? digits : undefined;
}

/**
 * Sixteen digits whose province exists (and, in Kalimantan Timur, whose regency does), written
 * with or without separators (normaliseNik), and carried on as 16 digits: what is validated,
 * hashed and masked. The date, serial and 00 parts are the domain's to check (INVALID_NIK).
 * Messages never quote the NIK.
 */
export const IsNikText = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (normaliseNik(value) ?? value) : value,
    ),
    Matches(
      /^\d{16}$/,
      says('$property must be exactly 16 digits', 'INVALID_NIK', { problem: 'NOT_16_DIGITS' }),
    ),
    ValidateBy(
      {
        name: 'isNikRegion',
        validator: {
          validate: (value: unknown) =>
            typeof value !== 'string' || !/^\d{16}$/.test(value) || !nikRegionProblem(value),
          defaultMessage: (args) => {
            const problem = nikRegionProblem(String(args?.value)) ?? 'UNKNOWN_PROVINCE';
            return `${args?.property ?? 'nik'} ${NIK_PROBLEMS[problem]}`;
          },
        },
      },
      localisedAs('INVALID_NIK', (value) => ({
        problem: nikRegionProblem(String(value)) ?? 'UNKNOWN_PROVINCE',
      })),
    ),
  );

export const IsRegencyCode = (): PropertyDecorator =>
  Matches(
    /^\d{2}\.\d{2}$/,
    says('$property must be a Kemendagri code such as 64.72', 'regencyCode'),
  );

/** Ids are lower case; one written in upper case names the same thing. */
export const LowerCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );

/** YYYY-MM-DD, or an instant: time to the minute, second or millisecond, then Z or ±HH:MM. */
const DATE_OR_INSTANT =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * A real date (YYYY-MM-DD), or an ISO 8601 instant with its offset: in UTC (…Z) or as the
 * exports write it, with `±HH:MM` (2025-03-15T10:00:00.000+08:00). Hours 00–23, minutes and
 * seconds 00–59; anything else, a time without an offset included, is refused. In a URL `+` is
 * written `%2B` (a bare `+` reads as a space).
 */
export function isDateOrInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = DATE_OR_INSTANT.exec(value);
  if (parts === null || !isCalendarDate(parts[1])) return false;
  const [hours, minutes, seconds, offsetHours, offsetMinutes] = parts.slice(2).map(Number);
  return (
    !(hours > 23 || minutes > 59 || seconds > 59 || offsetHours > 23 || offsetMinutes > 59) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** See isDateOrInstant. */
export const IsDateOrInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDateOrInstant',
    validator: {
      validate: (value: unknown) => isDateOrInstant(value),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a date (YYYY-MM-DD) or an ISO instant with Z or an offset (…Z, …+08:00; + written %2B in a URL)`,
    },
  });
