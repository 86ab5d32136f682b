/**
 * Output for auditors written a piece at a time: large answers never sit in one string. Stored
 * text may predate the input checks: whatever of it would not show as itself (ESC, C0/C1
 * controls, bidi and zero-width characters) is written as an escape, so it cannot drive the
 * auditor's terminal or disguise itself.
 */
import { escapeUnshowable } from '../domain/programme/text';

/**
 * JSON with the unshowable characters JSON.stringify leaves raw (DEL, C1, bidi, zero-width…)
 * written as \u escapes: the same JSON value, safe on a terminal.
 */
export function terminalJson(value: unknown, space?: number): string {
  return escapeUnshowable(JSON.stringify(value, null, space), { keepLineBreaks: true, json: true });
}

/** Text of several lines for a terminal: line breaks kept, anything else unshowable escaped. */
export function terminalText(text: string): string {
  return escapeUnshowable(text, { keepLineBreaks: true });
}

/** A JSON array, one item a line. */
export function* jsonArrayLines(items: Iterable<unknown>): Generator<string> {
  let first = true;
  yield '[';
  for (const item of items) {
    yield `${first ? '' : ','}\n  ${terminalJson(item)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/**
 * A fixed-width table for a terminal: a header, a rule under it if asked, one line a row. Every
 * cell is escaped (a line break in one, too), so that a row stays one line.
 */
export function* tableLines(
  rawHeader: readonly string[],
  rawRows: readonly (readonly string[])[],
  { rule = false } = {},
): Generator<string> {
  const header = rawHeader.map((title) => escapeUnshowable(title));
  const rows = rawRows.map((row) => row.map((cell) => escapeUnshowable(cell)));
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
