/** The languages error answers are written in; English is the default. */
export const LANGUAGES = ['en', 'id'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** `in` is the code Indonesian had before 1989; some older clients still send it. */
const PRIMARY: Record<string, Language> = { en: 'en', id: 'id', in: 'id' };

/** A header longer than any real list is read only this far: its start decides anyway. */
const MAX_ENTRIES = 32;

const Q = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

/**
 * The language of an answer, from `Accept-Language` (RFC 9110 §12.5.4): the supported language
 * with the highest weight, the earlier one on a tie; `id-ID`, `id` and `in` are Indonesian, any
 * `en-…` English. A weight of 0 refuses a language; `*` stands for the ones not named. A header
 * naming neither, or malformed, gets English.
 */
export function negotiateLanguage(header: string | readonly string[] | undefined): Language {
  const text = typeof header === 'string' ? header : (header ?? []).join(',');
  let best: { language: Language; weight: number } | undefined;
  const named = new Set<Language>();
  const entries = text.split(',', MAX_ENTRIES).map((entry) => parseEntry(entry));
  for (const entry of entries) if (entry?.language) named.add(entry.language);
  for (const entry of entries) {
    if (!entry || entry.weight === 0) continue;
    // `*` is every language the header does not name, English first.
    const language = entry.language ?? LANGUAGES.find((other) => !named.has(other));
    if (language && (!best || entry.weight > best.weight))
      best = { language, weight: entry.weight };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

/** One `tag;q=w` entry: its language (undefined for `*`), or undefined when unsupported or bad. */
function parseEntry(entry: string): { language?: Language; weight: number } | undefined {
  const [tag = '', ...parameters] = entry.split(';').map((part) => part.trim());
  let weight = 1;
  for (const parameter of parameters) {
    if (!/^q=/i.test(parameter)) continue;
    if (!Q.test(parameter)) return undefined;
    weight = Number(parameter.slice(2));
  }
  if (tag === '*') return { weight };
  const primary = /^([a-z]{2,3})(-[a-z0-9]{1,8})*$/i.exec(tag)?.[1]?.toLowerCase();
  const language = primary === undefined ? undefined : PRIMARY[primary];
  return language ? { language, weight } : undefined;
}
