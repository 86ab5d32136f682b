import { negotiateLanguage } from './language';

describe('negotiateLanguage', () => {
  it.each([
    ['id', 'id'],
    ['id-ID', 'id'],
    ['ID-id', 'id'],
    ['in', 'id'],
    ['id-ID,id;q=0.9,en;q=0.8', 'id'],
    ['en-US,en;q=0.9,id;q=0.8', 'en'],
    ['en;q=0.5, id;q=0.6', 'id'],
    ['fr-FR, id;q=0.3', 'id'],
    ['id;q=0, en', 'en'],
    ['en;q=0, *', 'id'],
    ['fr, *;q=0.5', 'en'],
    ['id;q=0.5, en;q=0.5', 'id'],
  ])('%s gives %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a language not supported', 'fr-FR,de;q=0.8'],
    ['a weight that is no number', 'id;q=abc'],
    ['a weight above 1', 'id;q=2'],
    ['rubbish', ';;;,,,=q'],
  ])('falls back to English on %s', (_case, header) => {
    expect(negotiateLanguage(header)).toBe('en');
  });

  it('reads a list given as several headers', () => {
    expect(negotiateLanguage(['fr', 'id'])).toBe('id');
  });

  it('reads a huge header only as far as its start, at once', () => {
    const header = `${'xx;q=0.1,'.repeat(100_000)}id`;
    const started = process.hrtime.bigint();
    expect(negotiateLanguage(header)).toBe('en');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(200);
    expect(negotiateLanguage(`id,${header}`)).toBe('id');
  });
});
