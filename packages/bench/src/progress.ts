/**
 * Progress on a terminal, and nothing anywhere else: the redrawing escapes
 * would litter CI logs and files. Written to stderr so stdout (the tables)
 * stays clean even when both go to the terminal.
 */

/** The part of a stream progress needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
  write(chunk: string): unknown;
}

/** Go to the start of the line and erase it. */
const CLEAR = '\r\x1b[2K';

/**
 * Whether someone is watching: every stream is a terminal. When stdout goes
 * to a file or a pipe (`| tee`, CI) the run is being captured, so no progress
 * even if stderr is still a terminal.
 */
export function interactive(...streams: readonly ProgressStream[]): boolean {
  return streams.length > 0 && streams.every((s) => s.isTTY === true);
}

/** `benchmark 3 of 22: findings/add-single` (plus a note, e.g. that it is measured again). */
export function progressText(k: number, n: number, name: string, note?: string): string {
  return `benchmark ${k} of ${n}: ${name}${note === undefined ? '' : ` — ${note}`}`;
}

/** A one-line progress display, redrawn in place. */
export interface ProgressLine {
  show(k: number, n: number, name: string, note?: string): void;
  /** Erases the line (before printing something else, and at the end). */
  clear(): void;
}

/** A progress line on `stream`, drawn only when `enabled` (by default: when the stream is a terminal). */
export function progressLine(stream: ProgressStream, enabled = interactive(stream)): ProgressLine {
  let drawn = false;
  return {
    show(k, n, name, note) {
      if (!enabled) return;
      const text = progressText(k, n, name, note);
      // A line longer than the terminal wraps, and `\r` then redraws only its last part.
      const width = stream.columns !== undefined && stream.columns > 1 ? stream.columns - 1 : text.length;
      stream.write(`${CLEAR}${text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text}`);
      drawn = true;
    },
    clear() {
      if (!enabled || !drawn) return;
      stream.write(CLEAR);
      drawn = false;
    },
  };
}

/** A progress bar on stderr, only on a TTY (compare and gate-accuracy rounds). */
export function progressBar(label: string, stream: ProgressStream = process.stderr): { update(done: number, total: number): void; done(): void } {
  const tty = stream.isTTY === true;
  return {
    update(done, total) {
      if (!tty) return;
      const width = 30;
      const fill = Math.round((done / Math.max(1, total)) * width);
      stream.write(`\r${label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${total}`);
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
