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
  // Most documents agree; comparing their JSON first keeps the leaf walk for the ones that don't.
  if (JSON.stringify(stored) === JSON.stringify(recomputed)) return [];
  const left = leaves(stored);
  const right = leaves(recomputed);
  const differences: FieldDifference[] = [];
  for (const field of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(field);
    const b = right.get(field);
    if (!Object.is(a, b)) differences.push({ field, stored: a, recomputed: b });
  }
  return differences;
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
