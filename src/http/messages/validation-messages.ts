import type { ValidationOptions } from 'class-validator';
import type { MessageParams } from './catalogue';

/** Where a rule's message key travels, in class-validator's `context` of the rule. */
export const MESSAGE_CONTEXT = 'message';

/**
 * Parameters fixed when the rule is declared, or read from the value refused (after transforms)
 * and the object that holds it (for a rule on several fields).
 */
export type RuleParams = MessageParams | ((value: unknown, object: unknown) => MessageParams);

export interface RuleMessage {
  key: string;
  params?: RuleParams;
}

/**
 * A rule's English message and the catalogue key (with parameters) other languages use:
 * `@Min(1, says('quantity must be at least 1', 'min', { c0: 1 }))`. Rules declared without it
 * are translated by their own name and constraints (`min`, `isIn`…), which suffices for most.
 */
export function says(english: string, key: string, params?: RuleParams): ValidationOptions {
  return { message: english, ...localisedAs(key, params) };
}

/** Only the key, for rules whose English message is their default one (ValidateBy). */
export function localisedAs(key: string, params?: RuleParams): ValidationOptions {
  const message: RuleMessage = { key, ...(params === undefined ? {} : { params }) };
  return { context: { [MESSAGE_CONTEXT]: message } };
}
