/** One field on which a stored document and its recomputed twin disagree. */
export interface FieldDifference {
  /** Dot path into the document (array items by index); `(document)` when one side has none. */
  field: string;
  stored: unknown;
  recomputed: unknown;
}

export const WHOLE_DOCUMENT = '(document)';

/** The fields on which two documents differ, leaf by leaf; empty when they are equal. */
export function diffDocuments(stored: object | null, recomputed: object | null): FieldDifference[] {
  if (stored === null || recomputed === null) {
    return stored === recomputed ? [] : [{ field: WHOLE_DOCUMENT, stored, recomputed }];
  }
  // Most documents agree: a quick equality test keeps the leaf walk for the ones that don't.
  if (sameJson(stored, recomputed)) return [];
  const left = leaves(stored);
  const right = leaves(recomputed);
  const differences: FieldDifference[] = [];
  for (const field of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(field);
    const b = right.get(field);
    if (!Object.is(a, b)) differences.push({ field, stored: a, recomputed: b });
  }
  // Leaves can coincide where shapes differ ('[]' as text against an empty list): name the whole.
  return differences.length > 0 ? differences : [{ field: WHOLE_DOCUMENT, stored, recomputed }];
}

/** Deep equality of two JSON values, stopping at the first difference. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameJson(item, b[index]));
  }
  // JSON leaves out fields that hold undefined: so does this comparison. (Loops, not arrays:
  // this runs for every document verify compares.)
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let fields = 0;
  for (const key in left) {
    if (left[key] === undefined) continue;
    fields++;
    if (!sameJson(left[key], right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) fields--;
  return fields === 0;
}

/** Every scalar of a JSON value by its dot path; empty arrays and objects count as leaves. */
function leaves(
  value: unknown,
  path = '',
  into = new Map<string, unknown>(),
): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) into.set(path, Array.isArray(value) ? '[]' : '{}');
    for (const [key, child] of entries) leaves(child, path ? `${path}.${key}` : key, into);
  } else {
    into.set(path, value);
  }
  return into;
}
