/** Severities, ordered from most to least severe. Only `error` blocks a release. */
export const SEVERITIES = ['error', 'warning', 'info', 'suggestion'] as const;

/** How bad a finding is: `error` > `warning` > `info` > `suggestion`. */
export type Severity = (typeof SEVERITIES)[number];

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, suggestion: 3 };

/** Rank of a severity: 0 for `error`, 3 for `suggestion`. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

/** Sort comparator, most severe first. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

/** True when `severity` is at least as severe as `min`. */
export function atLeast(severity: Severity, min: Severity): boolean {
  return RANK[severity] <= RANK[min];
}

/** True for one of {@link SEVERITIES}. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}
