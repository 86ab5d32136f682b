/**
 * How the registry finds a name from a fragment typed in the field: names are folded into words
 * (lower case, accents and apostrophes dropped, any other punctuation a break between words), the
 * document keeps those words, and a search matches when each word it is given begins one of them.
 * A prefix of a word is a range of an index, in SQLite and MongoDB alike; a fragment from the
 * middle of a word ("minah" for "Aminah") is not, and is not searched for.
 */

/** Letters NFKD leaves whole, as a person types them on a plain keyboard. */
const PLAIN: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Apostrophes inside a name ("Ma'ruf", "Nur’aini") join the word: people type "maruf". */
const APOSTROPHES = /['’ʼ‘`´]/g;

/** The words of a text, folded: "Sití Nur'aini-Binti H." → siti, nuraini, binti, h. */
export function foldedWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðþı]/g, (letter) => PLAIN[letter] ?? letter)
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** The distinct folded words of several names, in the order they first appear. */
export function searchTokensOf(names: readonly string[]): string[] {
  return [...new Set(names.flatMap(foldedWords))];
}

/** A name as the registry sorts it: folded, so "Ágnes" sorts with "agnes", not after "Zaenab". */
export function sortNameOf(name: string): string {
  return foldedWords(name).join(' ');
}
