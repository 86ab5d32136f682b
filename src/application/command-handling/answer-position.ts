/**
 * The `position` a command answers, as a decimal string: the global position of its last event,
 * which read endpoints can wait for. "0" when the command changed nothing.
 */
export function answerPosition(...results: { position?: bigint }[]): string {
  return results
    .reduce((max, result) => {
      const position = result.position ?? 0n;
      return position > max ? position : max;
    }, 0n)
    .toString();
}
