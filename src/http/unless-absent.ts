import { ValidateIf } from 'class-validator';

/**
 * An optional field whose absence means "leave it as it is": checked by the rules below it
 * whenever it is present. Unlike IsOptional, null is not taken for absent, so a field that has no
 * meaning as null (a name, a NIK, a list) is refused with its rule rather than passed on as null.
 */
export const UnlessAbsent = (): PropertyDecorator =>
  ValidateIf((_: unknown, value: unknown) => value !== undefined);
