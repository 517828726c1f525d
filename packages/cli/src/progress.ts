/** The "files read / total" line of a long import, shown on a terminal only and redrawn at most every 100 ms. */
import type { Writable } from 'node:stream';

/** A progress line; `done` clears it. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const NONE: Progress = { update() {}, done() {} };

/** A progress line on `stream` when it is a terminal and `enabled`, else one that prints nothing. */
export function createProgress(stream: Writable & { isTTY?: boolean }, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || stream.isTTY !== true) return NONE;
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      shown = true;
      stream.write(`\r\u001b[2Kimporting: ${done}/${total} files read`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
