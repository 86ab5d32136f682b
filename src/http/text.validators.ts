import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches, ValidateBy } from 'class-validator';
import { isCalendarDate } from '../domain/programme/calendar-date';

/** A required piece of text: a string, not blank, at most `max` characters. */
export function IsText(max: number): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be text' }),
    Matches(/\S/, { message: '$property must not be blank' }),
    Length(1, max, { message: `$property must be at most ${max} characters` }),
  );
}

/** A date written YYYY-MM-DD (whether it exists is the domain's check). */
export const IsDateText = (): PropertyDecorator =>
  Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date written YYYY-MM-DD' });

export const IsNikText = (): PropertyDecorator =>
  Matches(/^\d{16}$/, { message: '$property must be exactly 16 digits' });

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
