/**
 * Epoch milliseconds as ISO 8601 UTC (`2026-12-01T02:10:05.123Z`), the form
 * `Date.prototype.toISOString` writes, without building a Date per call.
 *
 * Timestamps are on the hot paths (every finding has one, every bot start and
 * completion two), and `toISOString` costs ~450 ns here. Within one minute
 * only the seconds and milliseconds change, so the date-and-minute prefix is
 * formatted once and the rest comes from tables.
 */

const TWO: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let minuteStart = Number.NaN;
let minutePrefix = '';
let lastMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()` for any time value that method accepts
 * (RangeError otherwise, as it does). The last result is kept: many findings
 * of a batch share one millisecond.
 */
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  const offset = ms - minuteStart;
  let iso: string;
  if (offset >= 0 && offset < 60_000 && Number.isInteger(ms)) {
    const seconds = (offset / 1000) | 0;
    iso = `${minutePrefix}${TWO[seconds]!}.${THREE[offset - seconds * 1000]!}Z`;
  } else {
    // A new minute (or a fractional or out-of-range value, which Date handles).
    iso = new Date(ms).toISOString();
    const start = ms - (((ms % 60_000) + 60_000) % 60_000);
    // Only minutes of four-digit years share the fixed-width prefix.
    if (Number.isInteger(ms) && iso.length === 24) {
      minuteStart = start;
      minutePrefix = iso.slice(0, 17);
    }
  }
  lastMs = ms;
  lastIso = iso;
  return iso;
}
