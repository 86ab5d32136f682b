import { ID } from './id';
import type { Language } from './language';

/** The values a message is built from: the field, a limit, which problem… */
export type MessageParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** A message in one language: fixed text, or text built from the parameters. */
export type Message = string | ((params: MessageParams) => string);

/** Messages by key: an error `code` (`QUOTA_EXHAUSTED`) or a validation rule (`isInt`). */
export type Catalogue = Readonly<Record<string, Message>>;

/** What an error says, apart from the language it is said in. */
export interface MessageRef {
  key: string;
  params: MessageParams;
}

/** The catalogues besides English, whose text stays where the error is raised. */
const CATALOGUES: Record<Exclude<Language, 'en'>, Catalogue> = { id: ID };

/** Whether `language` has a message for `key`. */
export function hasMessage(language: Exclude<Language, 'en'>, key: string): boolean {
  return Object.hasOwn(CATALOGUES[language], key);
}

/**
 * The message in `language`: the English text as raised, or the catalogue's entry for the key
 * with its parameters. A key the catalogue lacks (a test keeps that from happening) falls back
 * to English rather than to nothing.
 */
export function localise(language: Language, ref: MessageRef | undefined, english: string): string {
  if (language === 'en' || !ref || !hasMessage(language, ref.key)) return english;
  const entry = CATALOGUES[language][ref.key];
  return typeof entry === 'string' ? entry : entry(ref.params);
}
