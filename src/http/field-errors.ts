import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidationTypes } from 'class-validator';
import type { MessageParams, MessageRef } from './messages/catalogue';
import { MESSAGE_CONTEXT, type RuleMessage } from './messages/validation-messages';

/** One broken rule of one request field; `field` is a path such as `members.2.nik`. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * 400 with every broken rule. `refs` say each message again apart from its language (by key and
 * parameters), for the error filter to answer in the caller's; by default the rule names it.
 */
export class InvalidInputException extends BadRequestException {
  readonly refs: readonly MessageRef[];

  constructor(
    readonly errors: FieldError[],
    refs?: readonly MessageRef[],
  ) {
    super({
      code: 'INVALID_INPUT',
      message: errors.map((error) => error.message).join('; '),
      errors,
    });
    this.refs = refs ?? errors.map(({ field, rule }) => ({ key: rule, params: { field } }));
  }
}

interface LocalisableFieldError {
  error: FieldError;
  ref: MessageRef;
}

function invalidInput(errors: readonly ValidationError[]): InvalidInputException {
  const flat = flatten(errors);
  return new InvalidInputException(
    flat.map(({ error }) => error),
    flat.map(({ ref }) => ref),
  );
}

/** Flattens class-validator's tree into one entry per field and rule. */
function flatten(errors: readonly ValidationError[], parent = ''): LocalisableFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation'
        ? {
            error: { field, rule, message: `${field} is not a known field` },
            ref: { key: rule, params: { field } },
          }
        : { error: { field, rule, message }, ref: refOf(error, rule) },
    );
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The message key of a broken rule: the one its decorator declared (says / localisedAs), else
 * the rule's name, with the property and the rule's constraints (`c0`, `c1`: Min's bound, IsIn's
 * values…) looked up in class-validator's metadata, so that rules declared anywhere translate.
 */
function refOf(error: ValidationError, rule: string): MessageRef {
  const declared = (error.contexts?.[rule] as Record<string, RuleMessage> | undefined)?.[
    MESSAGE_CONTEXT
  ];
  const given =
    typeof declared?.params === 'function'
      ? declared.params(error.value, error.target)
      : declared?.params;
  return {
    key: declared?.key ?? rule,
    params: { field: error.property, ...constraintsOf(error, rule), ...given },
  };
}

function constraintsOf(error: ValidationError, rule: string): MessageParams {
  const target = error.target;
  if (typeof target !== 'object' || target === null) return {};
  const storage = getMetadataStorage();
  const metadata = storage
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find(
      (candidate) =>
        candidate.propertyName === error.property &&
        (candidate.type === ValidationTypes.CUSTOM_VALIDATION
          ? storage.getTargetValidatorConstraints(candidate.constraintCls)[0]?.name
          : candidate.type) === rule,
    );
  return Object.fromEntries(
    (metadata?.constraints ?? []).map((value: unknown, index) => [
      `c${index}`,
      Array.isArray(value) ? value.join(', ') : String(value),
    ]),
  );
}

/**
 * The target and value stay in class-validator's errors only for the messages' parameters
 * (a rule's constraints, which NIK problem): neither reaches an answer or a log.
 */
const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: true, value: true },
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
    exceptionFactory: (errors) => invalidInput(errors),
  });
}

/** The same validation for a body whose class is only known after looking at it (a union). */
export async function validateAs<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  refusePrototypeKeys(plain);
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length > 0) throw invalidInput(errors);
  return instance;
}
