/** No request of this API nests deeper; deeper bodies are refused before anything walks them. */
export const MAX_DEPTH = 32;
/** Fields in one object or items in one list: the largest request has about a hundred. */
export const MAX_MEMBERS = 1000;
/** Values in one body, all levels together. */
export const MAX_VALUES = 20_000;

/** What is wrong with a JSON text's shape, and where (`members.2.nik`); `field` when one is named. */
export interface ShapeProblem {
  message: string;
  field?: string;
}

/** Which limit a body broke, and the limit: for the message in other languages. */
export interface DescribedShapeProblem extends ShapeProblem {
  problem: 'FIELD_TWICE' | 'TOO_MANY_FIELDS' | 'TOO_MANY_ITEMS' | 'TOO_MANY_VALUES' | 'TOO_DEEP';
  limit?: number;
}

interface Container {
  object: boolean;
  members: number;
  keys?: Set<string>;
  path: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Checks a JSON text's shape in one pass, before it is parsed: a field given twice (JSON.parse
 * would keep the last silently), nesting deeper than MAX_DEPTH, more than MAX_MEMBERS members
 * in one object or list, more than MAX_VALUES values. Its cost is linear in the text and it stops
 * at the first problem, so an oversized body costs no more than reading it. Syntax is left to
 * JSON.parse: a malformed text passes here and is refused there.
 */
export function shapeProblem(text: string): ShapeProblem | null {
  const described = describeShapeProblem(text);
  if (!described) return null;
  const { message, field } = described;
  return field === undefined ? { message } : { message, field };
}

/** shapeProblem, with which problem it is and its limit. */
export function describeShapeProblem(text: string): DescribedShapeProblem | null {
  const open: Container[] = [];
  let values = 0;
  // A string is a key when it directly follows `{` or `,` inside an object.
  let expectingKey = false;
  // The path of the key just read: the value that follows it lives there.
  let keyPath = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0x3a) continue;
    const top = open[open.length - 1];
    if (code === 0x2c) {
      expectingKey = top?.object ?? false;
      continue;
    }
    if (code === 0x7d || code === 0x5d) {
      open.pop();
      expectingKey = false;
      continue;
    }
    if (code === QUOTE && expectingKey && top) {
      const end = stringEnd(text, i);
      const key = keyOf(text.slice(i + 1, end));
      i = end;
      expectingKey = false;
      const field = top.path ? `${top.path}.${key}` : key;
      if (top.keys?.has(key))
        return {
          message: `The request body gives the field ${field} twice`,
          field,
          problem: 'FIELD_TWICE',
        };
      top.keys?.add(key);
      if (++top.members > MAX_MEMBERS)
        return {
          message: `The request body has more than ${MAX_MEMBERS} fields in one object`,
          problem: 'TOO_MANY_FIELDS',
          limit: MAX_MEMBERS,
        };
      keyPath = field;
      continue;
    }
    // A value starts here.
    if (++values > MAX_VALUES)
      return {
        message: `The request body has more than ${MAX_VALUES} values`,
        problem: 'TOO_MANY_VALUES',
        limit: MAX_VALUES,
      };
    let path = '';
    if (top && !top.object) {
      if (++top.members > MAX_MEMBERS)
        return {
          message: `The request body has more than ${MAX_MEMBERS} items in one list`,
          problem: 'TOO_MANY_ITEMS',
          limit: MAX_MEMBERS,
        };
      path = top.path ? `${top.path}.${top.members - 1}` : String(top.members - 1);
    } else if (top) {
      path = keyPath;
    }
    if (code === 0x7b || code === 0x5b) {
      if (open.length >= MAX_DEPTH)
        return {
          message: `The request body nests deeper than ${MAX_DEPTH} levels`,
          problem: 'TOO_DEEP',
          limit: MAX_DEPTH,
        };
      const object = code === 0x7b;
      open.push({ object, members: 0, path, ...(object ? { keys: new Set<string>() } : {}) });
      expectingKey = object;
    } else if (code === QUOTE) {
      i = stringEnd(text, i);
    } else {
      // A number or true, false, null: runs to the next delimiter.
      while (i + 1 < text.length && !isDelimiter(text.charCodeAt(i + 1))) i++;
    }
  }
  return null;
}

/** The index of the quote that closes the string opened at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  return text.length;
}

/** A key as JSON.parse would read it; escapes are rare in keys, so they alone pay for decoding. */
function keyOf(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function isDelimiter(code: number): boolean {
  return (
    code === 0x2c ||
    code === 0x7d ||
    code === 0x5d ||
    code === 0x3a ||
    code === 0x20 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x09
  );
}
