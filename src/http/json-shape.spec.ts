import { MAX_DEPTH, MAX_MEMBERS, MAX_VALUES, shapeProblem } from './json-shape';

describe('shapeProblem', () => {
  it.each([
    ['an object', '{"kind":"RSE","name":"Siti","members":[{"nik":"1"},{"nik":"2"}]}'],
    ['escapes, nesting and numbers', '{"a\\"b":[1,-2.5e3,true,null,{"c":"d\\\\"}],"e":{}}'],
    ['the same key in two objects', '{"members":[{"nik":"1"},{"nik":"1"}]}'],
    ['a list of MAX_MEMBERS items', `[${Array(MAX_MEMBERS).fill(0).join(',')}]`],
    ['nesting to MAX_DEPTH', `${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`],
    ['malformed text (left to JSON.parse)', '{"a":'],
  ])('lets %s pass', (_case, text) => {
    expect(shapeProblem(text)).toBeNull();
  });

  it.each([
    ['a field given twice', '{"nik":"1","name":"x","nik":"2"}', 'nik'],
    ['a field given twice, escaped the second time', '{"nik":"1","\\u006eik":"2"}', 'nik'],
    [
      'a field twice in a nested object',
      '{"members":[{"nik":"1"},{"nik":"2","nik":"3"}]}',
      'members.1.nik',
    ],
  ])('refuses %s, naming it', (_case, text, field) => {
    expect(shapeProblem(text)).toEqual({
      message: `The request body gives the field ${field} twice`,
      field,
    });
  });

  it.each([
    [
      'too many fields in one object',
      `{${Array.from({ length: MAX_MEMBERS + 1 }, (_, n) => `"f${n}":0`).join(',')}}`,
      /more than 1000 fields/,
    ],
    [
      'too many items in one list',
      `[${Array(MAX_MEMBERS + 1)
        .fill(0)
        .join(',')}]`,
      /more than 1000 items/,
    ],
    [
      'too many values',
      `[${Array.from({ length: 30 }, () => `[${Array(900).fill(0).join(',')}]`).join(',')}]`,
      new RegExp(`more than ${MAX_VALUES} values`),
    ],
    [
      'nesting deeper than MAX_DEPTH',
      `${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`,
      /deeper than 32/,
    ],
  ])('refuses %s', (_case, text, message) => {
    expect(shapeProblem(text)?.message).toMatch(message);
  });

  it('refuses a body of 90,000 fields at the 1,001st', () => {
    const text = `{${Array.from({ length: 90_000 }, (_, n) => `"f${n}":0`).join(',')}}`;
    expect(shapeProblem(text)?.message).toMatch(/more than 1000 fields in one object/);
  });
});
