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
  ValidateBy({
    name: TEXT_RULES[problem],
    validator: {
      // Not text, or blank: the rules above say so, once.
      validate: (value: unknown) =>
        typeof value !== 'string' || !/\S/.test(value) || !hasTextProblem(value, kind, problem),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} ${describeTextProblem(problem, kind)}`,
    },
  });

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
    IsString({ message: '$property must be text' }),
    Matches(/\S/, { message: '$property must not be blank' }),
    Length(0, max, { message: `$property must be at most ${max} characters` }),
    ...textProblemsOfKind(kind).map((problem) => textRule(problem, kind)),
  );
}

/** A date written YYYY-MM-DD (whether it exists is the domain's check). */
export const IsDateText = (): PropertyDecorator =>
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date written YYYY-MM-DD' });

/** A region that exists nowhere is refused with the other input errors, before any hashing. */
const NIK_REGION_PROBLEMS: readonly NikProblem[] = ['UNKNOWN_PROVINCE', 'UNKNOWN_REGENCY'];

const nikRegionProblem = (value: string): NikProblem | undefined => {
  const checked = checkNik(value);
  return !checked.ok && NIK_REGION_PROBLEMS.includes(checked.problem) ? checked.problem : undefined;
};

/**
 * Sixteen digits whose province exists (and, in Kalimantan Timur, whose regency does); the date,
 * serial and 00 parts are the domain's to check (INVALID_NIK).
 */
export const IsNikText = (): PropertyDecorator =>
  applyDecorators(
    Matches(/^\d{16}$/, { message: '$property must be exactly 16 digits' }),
    ValidateBy({
      name: 'isNikRegion',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || !/^\d{16}$/.test(value) || !nikRegionProblem(value),
        defaultMessage: (args) => {
          const problem = nikRegionProblem(String(args?.value)) ?? 'UNKNOWN_PROVINCE';
          return `${args?.property ?? 'nik'} ${NIK_PROBLEMS[problem]}`;
        },
      },
    }),
  );

export const IsRegencyCode = (): PropertyDecorator =>
  Matches(/^\d{2}\.\d{2}$/, { message: '$property must be a Kemendagri code such as 64.72' });

/** Ids are lower case; one written in upper case names the same thing. */
export const LowerCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;

/** A real date (YYYY-MM-DD) or an instant in UTC (YYYY-MM-DDTHH:MM[:SS[.mmm]]Z). */
export const IsDateOrInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isDateOrInstant',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        INSTANT.test(value) &&
        isCalendarDate(value.slice(0, 10)) &&
        !Number.isNaN(Date.parse(value)),
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be a date (YYYY-MM-DD) or an instant in UTC (…Z)`,
    },
  });
