/** Output for auditors written a piece at a time: large answers never sit in one string. */

/** A JSON array, one item a line. */
export function* jsonArrayLines(items: Iterable<unknown>): Generator<string> {
  let first = true;
  yield '[';
  for (const item of items) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(item)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/** A fixed-width table for a terminal: a header, a rule under it if asked, one line a row. */
export function* tableLines(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { rule = false } = {},
): Generator<string> {
  const widths = header.map((title) => title.length);
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column], cell.length);
    });
  }
  const line = (cells: readonly string[]) =>
    `${cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd()}\n`;
  yield line(header);
  if (rule) yield line(widths.map((width) => '-'.repeat(width)));
  for (const row of rows) yield line(row);
}
