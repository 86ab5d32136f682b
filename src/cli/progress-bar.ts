/**
 * A one-line progress bar with rate and ETA on a terminal; silent when the output is not a
 * terminal (CI logs, pipes), so scripts stay quiet.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDrawn = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = 'events',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const now = Date.now();
    if (!this.stream.isTTY || now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    this.stream.write(`\r${this.line(done, now)}\x1b[K`);
  }

  finish(done: number): void {
    if (this.stream.isTTY) this.stream.write(`\r${this.line(done, Date.now())}\x1b[K\n`);
  }

  private line(done: number, now: number): string {
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? Math.max(0, (this.total - done) / rate) : 0;
    return (
      `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ` +
      `${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${this.unit}, ` +
      `${Math.round(rate).toLocaleString('en-US')} ${this.unit}/s, ETA ${Math.ceil(eta)} s`
    );
  }
}
