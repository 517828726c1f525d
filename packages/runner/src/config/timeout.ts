/**
 * Timeouts of the fleet file: seconds as a number, or a duration string
 * (`500ms`, `30s`, `1.5s`, `10m`, `1h`), both turned into milliseconds here.
 */

/** A duration string: a decimal number and a unit. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/**
 * The longest timeout: 24 days. Node's timers hold at most 2^31-1 ms (about
 * 24.8 days) and fire after 1 ms for anything longer, so a longer timeout
 * would kill a bot at once rather than never.
 */
export const MAX_TIMEOUT_MS = 24 * 24 * 3_600_000;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of a timeout as written in the fleet file (a number is
 * seconds), rounded to whole ms and at least 1; NaN for a string that is not
 * a duration.
 */
export function timeoutMs(value: number | string): number {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else {
    const match = DURATION_PATTERN.exec(value);
    if (match === null) return Number.NaN;
    ms = Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  // A positive timeout below 1 ms still means "some time", not "no time".
  return ms > 0 ? Math.max(1, Math.round(ms)) : ms;
}
