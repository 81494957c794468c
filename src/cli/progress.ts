// A progress bar on stderr for commands that may take more than a second.
//
// Shown only when the stream is a terminal (never in a pipe, a file or a test's capture, so
// scripts see clean output), and only once the work has run for a second (quick runs never
// flash a bar). Redrawn in place with a carriage return, at most ten times a second, and
// erased by done(), so the command's own output starts on a clean line.

/** Where a bar is drawn: what it needs of a tty.WriteStream. */
export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface ProgressOptions {
  stream?: BarStream;
  /** Milliseconds since some fixed moment (a test's clock; performance.now by default). */
  now?: () => number;
}

/** Milliseconds before a bar first appears. */
export const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

export class Progress {
  private readonly stream: BarStream;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw: number;
  private drawn: boolean;

  constructor(
    private readonly label: string,
    opts: ProgressOptions = {},
  ) {
    this.stream = opts.stream ?? process.stderr;
    this.now = opts.now ?? (() => performance.now());
    this.start = this.now();
    this.lastDraw = -Infinity;
    this.drawn = false;
  }

  /** Reports `done` of `total` units finished; `note` says what is running now. */
  update(done: number, total: number, note = ""): void {
    if (this.stream.isTTY !== true) return;
    const t = this.now();
    if (t - this.start < SHOW_AFTER_MS || t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.drawn = true;
    this.stream.write(`\r${this.line(done, total, note, t)}\x1b[K`);
  }

  /** Erases the bar, if one was drawn. */
  done(): void {
    if (this.drawn) this.stream.write("\r\x1b[K");
    this.drawn = false;
  }

  /** "label [#####.....] 12/40 3s note", cut to the terminal's width. */
  private line(done: number, total: number, note: string, t: number): string {
    const width = 24;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const full = Math.round(frac * width);
    const secs = Math.floor((t - this.start) / 1000);
    const text = `${this.label} [${"#".repeat(full)}${".".repeat(width - full)}] ${done}/${total} ${secs}s${note === "" ? "" : " " + note}`;
    // A pty with no window size reports 0 columns: its width is unknown, as with none.
    const cols = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80;
    return text.length < cols ? text : text.slice(0, cols - 1);
  }
}
