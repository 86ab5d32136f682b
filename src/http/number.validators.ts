import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { says } from './messages/validation-messages';

/** Decimal digits only, at most 15 of them: every such number is exact in a double. */
const DECIMAL = /^-?\d{1,15}$/;

/**
 * A whole number in a query or path parameter, written in decimal digits, within bounds.
 * `1e20`, `0x7E9`, ` 12` or 16 digits stay text and are refused as not a whole number, rather
 * than converted by Number() into something the caller did not write.
 */
export function WholeNumber(field: string, min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value,
    ),
    IsInt(says(`${field} must be a whole number`, 'isInt', { field })),
    Min(min, says(`${field} must be at least ${min}`, 'min', { field, c0: min })),
    Max(max, says(`${field} must be at most ${max}`, 'max', { field, c0: max })),
  );
}

/** Programme years a query may name. */
export const YEARS = { min: 2000, max: 2100 } as const;
