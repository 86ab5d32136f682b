import { SqliteReadStore } from '../../src/platform/read-store/sqlite/sqlite-read-store';
import { describeRecipientSearch } from '../../test/helpers/recipient-search-suite';
import { foldedWords, searchTokensOf, sortNameOf } from './recipient-registry.search';

describe('folding names for search', () => {
  it.each([
    ['Sití Aminah', ['siti', 'aminah']],
    ["Nur'aini Ma’ruf", ['nuraini', 'maruf']],
    ['H. Rahmat-Hidayat, S.Pd.', ['h', 'rahmat', 'hidayat', 's', 'pd']],
    ['ÇAĞLAR Øster Straße', ['caglar', 'oster', 'strasse']],
    ['ＫＵＢＥ　Ｍａｊｕ', ['kube', 'maju']],
    ['  --  ', []],
  ])('%s → %j', (name, words) => {
    expect(foldedWords(name)).toEqual(words);
  });

  it('keeps each word once, in the order it first appears', () => {
    expect(searchTokensOf(['KUBe Dewi Lestari', 'Dewi Lestari', 'Nur Dewi'])).toEqual([
      'kube',
      'dewi',
      'lestari',
      'nur',
    ]);
  });

  it('sorts names by their folded form', () => {
    expect(['Zaenab', 'Ágnes', 'agus'].map(sortNameOf).sort()).toEqual(['agnes', 'agus', 'zaenab']);
  });
});

describeRecipientSearch('SQLite', async () => {
  const store = new SqliteReadStore({ file: ':memory:' });
  return {
    store,
    explain: (collection, options) => store.explain(collection, options),
    dispose: () => store.close(),
  };
});
