import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

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
