/**
 * The count signal's decision. Counts of the same code differ by well under
 * 0.5% (measured: see the bench README), so no statistics are needed: a
 * benchmark regresses when head executes at least `threshold` more
 * instructions per operation than base. A benchmark not measured on either
 * side is "not measured", and the gate fails on it.
 */

/** One side's count of one benchmark, as decided on. */
export type CountValue = { readonly state: 'measured'; readonly irPerOp: number } | { readonly state: 'not measured'; readonly reason: string };

/** The count signal's finding for one benchmark. */
export interface CountRow {
  readonly name: string;
  readonly baseIrPerOp: number | null;
  readonly headIrPerOp: number | null;
  /** head / base − 1; null when not measured. */
  readonly change: number | null;
  readonly verdict: 'regressed' | 'improved' | 'unchanged' | 'not measured';
  /** Why it was not measured. */
  readonly reason?: string;
}

/** The default count threshold: +1% instructions per operation. */
export const DEFAULT_COUNT_THRESHOLD = 0.01;

export function decideCounts(names: readonly string[], base: ReadonlyMap<string, CountValue>, head: ReadonlyMap<string, CountValue>, threshold = DEFAULT_COUNT_THRESHOLD): CountRow[] {
  return names.map((name): CountRow => {
    const b = base.get(name);
    const h = head.get(name);
    const missing = (side: string, v: CountValue | undefined): string | undefined => (v === undefined ? `${side}: not counted` : v.state === 'not measured' ? `${side}: ${v.reason}` : undefined);
    const reasons = [missing('base', b), missing('head', h)].filter((r): r is string => r !== undefined);
    if (reasons.length > 0 || b?.state !== 'measured' || h?.state !== 'measured') {
      return { name, baseIrPerOp: b?.state === 'measured' ? b.irPerOp : null, headIrPerOp: h?.state === 'measured' ? h.irPerOp : null, change: null, verdict: 'not measured', reason: reasons.join('; ') };
    }
    const change = h.irPerOp / b.irPerOp - 1;
    // A hair under the threshold still counts: 1.01 / 1 − 1 is 0.010000000000000009 or 0.00999… depending on rounding.
    const eps = 1e-9;
    const verdict = change >= threshold - eps ? 'regressed' : change <= -threshold + eps ? 'improved' : 'unchanged';
    return { name, baseIrPerOp: b.irPerOp, headIrPerOp: h.irPerOp, change, verdict };
  });
}
