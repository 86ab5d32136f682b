import {
  UndeclaredFieldError,
  UnsupportedConditionError,
  type Condition,
  type FindOptions,
  type SortKey,
} from './document-store.port';

/** A dot path into the document, optionally ending in `[]` (an element index). */
export const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\[\])?$/;

export const isElementField = (field: string): boolean => field.endsWith('[]');

/**
 * A compound index: declared scalar fields joined by commas (`sortName,registeredPosition`), for
 * a sort by those keys in that order, or an equality on the first and a sort by the next. It is
 * no field: filters and sorts name its fields, each declared on its own.
 */
export const isCompound = (entry: string): boolean => entry.includes(',');

export const fieldsOfCompound = (entry: string): string[] => entry.split(',');

/** The fields that a collection's queries may name: its declared entries but compound indexes. */
export const queryFieldsOf = (indexes: readonly string[]): Set<string> =>
  new Set(indexes.filter((entry) => !isCompound(entry)));

/** Each entry is a field, or a compound index of scalar fields declared on their own. */
export function checkIndexes(collection: string, indexes: readonly string[]): void {
  const fields = queryFieldsOf(indexes);
  for (const entry of indexes) {
    if (!isCompound(entry)) {
      if (!FIELD.test(entry)) throw new UndeclaredFieldError(collection, entry);
      continue;
    }
    for (const field of fieldsOfCompound(entry)) {
      if (!fields.has(field)) throw new UndeclaredFieldError(collection, field);
      if (isElementField(field))
        throw new UnsupportedConditionError(
          collection,
          field,
          'is an element index: it cannot be part of a compound one',
        );
    }
  }
}

/** The dot path of a declared field, without the `[]` of an element index. */
export const pathOf = (field: string): string =>
  isElementField(field) ? field.slice(0, -2) : field;

/** A field's conditions as a list (a single condition or several that must all hold). */
export function conditionsOf(value: Condition | readonly Condition[]): Condition[] {
  return Array.isArray(value) ? [...(value as readonly Condition[])] : [value as Condition];
}

export const isPrefix = (condition: Condition): condition is { startsWith: string } =>
  typeof condition === 'object' && condition !== null && 'startsWith' in condition;

/**
 * What an element index takes: equality, `in` and `startsWith` on non-null values. A range could
 * be met by two different elements (one above, one below) in one store and not in the other, and
 * null would mean "no element" in one and "a null element" in the other, so both are refused.
 */
export function checkElementCondition(
  collection: string,
  field: string,
  condition: Condition,
): void {
  if (condition === null)
    throw new UnsupportedConditionError(
      collection,
      field,
      'is an element index: null is not a value of it',
    );
  if (typeof condition !== 'object' || isPrefix(condition)) return;
  if ('in' in condition) {
    if (condition.in.some((value) => value === null))
      throw new UnsupportedConditionError(
        collection,
        field,
        'is an element index: null is not a value of it',
      );
    return;
  }
  throw new UnsupportedConditionError(collection, field, 'is an element index: it takes no range');
}

export function sortKeysOf(sort: FindOptions['sort']): SortKey[] {
  if (sort === undefined) return [];
  return Array.isArray(sort) ? [...(sort as readonly SortKey[])] : [sort as SortKey];
}

/**
 * The least string above every string that begins with `prefix`, in code point order (which is
 * how SQLite compares UTF-8 text): the prefix with its last code point raised by one. Undefined
 * when there is none (an empty prefix, or one of only the highest code point).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((char) => char.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) {
      // Surrogate code points are not characters: step over them.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return String.fromCodePoint(...points, next);
    }
  }
  return undefined;
}

/** A prefix as an anchored regular expression that matches it literally. */
export function prefixPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}
