import { WHOLE_DOCUMENT, diffDocuments } from './document-diff';

describe('diffDocuments', () => {
  it('finds nothing between equal documents, whatever their key order', () => {
    expect(diffDocuments({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
    expect(diffDocuments(null, null)).toEqual([]);
  });

  it('names each differing leaf by its dot path, array items by index', () => {
    expect(
      diffDocuments(
        { count: 2, items: [{ n: 'a' }, { n: 'b' }], gone: true, empty: [] },
        { count: 3, items: [{ n: 'a' }, { n: 'c' }], added: null, empty: {} },
      ),
    ).toEqual([
      { field: 'count', stored: 2, recomputed: 3 },
      { field: 'items.1.n', stored: 'b', recomputed: 'c' },
      { field: 'gone', stored: true, recomputed: undefined },
      { field: 'empty', stored: '[]', recomputed: '{}' },
      { field: 'added', stored: undefined, recomputed: null },
    ]);
  });

  it('names the whole document when one side has none', () => {
    expect(diffDocuments(null, { a: 1 })).toEqual([
      { field: WHOLE_DOCUMENT, stored: null, recomputed: { a: 1 } },
    ]);
  });

  it('names the whole document when shapes differ but their leaves coincide', () => {
    const stored = { a: '[]', 'x.y': 1 };
    const recomputed = { a: [], x: { y: 1 } };
    expect(diffDocuments(stored, recomputed)).toEqual([
      { field: WHOLE_DOCUMENT, stored, recomputed },
    ]);
  });

  it('treats a field holding undefined like a field JSON leaves out', () => {
    expect(diffDocuments({ a: 1 }, { a: 1, b: undefined })).toEqual([]);
  });
});
