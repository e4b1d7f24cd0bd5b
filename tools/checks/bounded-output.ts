// Output collected from a process that may print without end: the reader's server (its stderr
// holds their errors and stack traces) or the vitest run behind `npm run check`. Only the first
// and the last part are kept, so a loop that prints gigabytes costs the collector a few hundred
// kilobytes, and what is shown says how much was cut in between. The first part holds the first
// error; the last holds whatever was printed just before the process ended.

/** Characters kept from the start, and from the end, of the output. */
export const KEEP_CHARS = 64 * 1024;

export class BoundedOutput {
  private head = '';
  /** The latest output: up to twice `keep` long, trimmed to `keep` whenever it gets longer. */
  private tail = '';
  /** Characters dropped from the front of `tail` so far. */
  private dropped = 0;
  /** Every character written so far, kept or not. */
  written = 0;

  constructor(private readonly keep = KEEP_CHARS) {}

  write(chunk: string | Buffer) {
    let text = String(chunk);
    this.written += text.length;
    if (this.head.length < this.keep) {
      const room = this.keep - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > 2 * this.keep) {
      const drop = this.tail.length - this.keep;
      this.tail = this.tail.slice(drop);
      this.dropped += drop;
    }
  }

  /** Everything written, or its first and last parts with a note of how much was cut. */
  text(): string {
    return this.since(0);
  }

  /** What was written after the first `mark` characters (a value of `written` read earlier). */
  since(mark: number): string {
    const shown = this.tail.slice(-this.keep);
    const tailStart = this.written - shown.length; // where `shown` starts in the whole output
    if (mark >= tailStart) return shown.slice(mark - tailStart);
    const fromHead = this.head.slice(mark);
    const cut = tailStart - Math.max(mark, this.head.length);
    return cut > 0
      ? `${fromHead}\n[… ${cut} characters of output cut here …]\n${shown}`
      : fromHead + shown;
  }
}
