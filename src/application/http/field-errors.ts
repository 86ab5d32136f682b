import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

/** One broken rule of one request field; `field` is a path such as `members.2.nik`. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export class InvalidInputException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super({
      code: 'INVALID_INPUT',
      message: errors.map((error) => error.message).join('; '),
      errors,
    });
  }
}

/** Flattens class-validator's tree into one entry per field and rule. */
export function toFieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/** Unknown fields are refused, not dropped: a typo must not pass silently. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidInputException(toFieldErrors(errors)),
  });
}

/** The same validation for a body whose class is only known after looking at it (a union). */
export async function validateAs<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw new InvalidInputException(toFieldErrors(errors));
  return instance;
}
