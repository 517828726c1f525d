/** Comparing a session with an older one: each finding is new or unchanged, and old ones may be absent. */
import type { Finding } from '@fleetkit/shared-context';
import { findingFingerprint } from '@fleetkit/shared-context';

/** The comparison of current findings with a baseline's. */
export interface BaselineComparison {
  /** Ids of current findings whose fingerprint the baseline does not have. */
  readonly newIds: ReadonlySet<string>;
  /** Number of current findings the baseline also has. */
  readonly unchanged: number;
  /** Baseline findings that are gone. */
  readonly absent: readonly Finding[];
}

/**
 * Compares by fingerprint (source, rule, file, normalised message; not the
 * line, so a finding that only moved is unchanged). Pure.
 */
export function compareWithBaseline(current: Iterable<Finding>, baseline: Iterable<Finding>): BaselineComparison {
  const before = new Map<string, Finding>();
  for (const f of baseline) before.set(findingFingerprint(f), f);
  const seen = new Set<string>();
  const newIds = new Set<string>();
  let unchanged = 0;
  for (const f of current) {
    const fp = findingFingerprint(f);
    seen.add(fp);
    if (before.has(fp)) unchanged++;
    else newIds.add(f.id);
  }
  const absent = [...before].filter(([fp]) => !seen.has(fp)).map(([, f]) => f);
  return { newIds, unchanged, absent };
}
