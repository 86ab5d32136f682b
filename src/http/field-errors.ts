import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
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

/**
 * class-validator's whitelist looks field names up in a plain object, so a field named like a
 * member of Object.prototype (`constructor`, `__proto__`, `hasOwnProperty`…) would slip through.
 * No request field has such a name: they are refused here, at any depth.
 */
const PROTOTYPE_KEYS = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  '__proto__',
  // Nest's pipe deletes it before the whitelist could see it: refused here, not dropped.
  'prototype',
]);

function prototypeKeyErrors(value: unknown, parent = ''): FieldError[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const field = parent ? `${parent}.${key}` : key;
    const own: FieldError[] = PROTOTYPE_KEYS.has(key)
      ? [{ field, rule: 'whitelistValidation', message: `${field} is not a known field` }]
      : [];
    return [...own, ...prototypeKeyErrors((value as Record<string, unknown>)[key], field)];
  });
}

function refusePrototypeKeys(value: unknown): void {
  const errors = prototypeKeyErrors(value);
  if (errors.length > 0) throw new InvalidInputException(errors);
}

/** Unknown fields are refused, not dropped: a typo must not pass silently. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Query and path parameters are held to the same names as bodies.
    if (metadata.type !== 'custom') refusePrototypeKeys(value);
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => new InvalidInputException(toFieldErrors(errors)),
  });
}

/** The same validation for a body whose class is only known after looking at it (a union). */
export async function validateAs<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  refusePrototypeKeys(plain);
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw new InvalidInputException(toFieldErrors(errors));
  return instance;
}
