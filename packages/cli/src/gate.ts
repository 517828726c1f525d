/** The release gate as a pure function: counted findings and thresholds in, conditions and a verdict out. */
import type { Finding } from '@fleetkit/shared-context';

/** One condition the gate checked: `actual comparator threshold` must hold. */
export interface GateCondition {
  /** What was counted, e.g. `errors` or `new warnings`. */
  readonly metric: string;
  readonly comparator: '<=';
  readonly threshold: number;
  readonly actual: number;
  readonly passed: boolean;
}

/** The gate's verdict. */
export interface GateVerdict {
  readonly passed: boolean;
  readonly conditions: readonly GateCondition[];
}

/** Gate policy. */
export interface GatePolicy {
  /** Block on any finding this severe or worse. @default 'error' */
  readonly failOn?: 'error' | 'warning';
  /** Allowed error findings; overrides `failOn` for errors. */
  readonly maxErrors?: number;
  /** Allowed warning findings; overrides `failOn` for warnings. */
  readonly maxWarnings?: number;
  /** Prefix for metric names, e.g. `new `. @default '' */
  readonly label?: string;
}

/** Evaluates the gate over `counted` (unfixed, unsuppressed findings already selected by the caller). */
export function evaluateGate(counted: readonly Finding[], policy: GatePolicy): GateVerdict {
  const label = policy.label ?? '';
  const errors = counted.filter((f) => f.severity === 'error').length;
  const warnings = counted.filter((f) => f.severity === 'warning').length;
  const conditions: GateCondition[] = [];
  const add = (metric: string, threshold: number, actual: number): void => {
    conditions.push({ metric: `${label}${metric}`, comparator: '<=', threshold, actual, passed: actual <= threshold });
  };
  const failOn = policy.failOn ?? 'error';
  add('errors', policy.maxErrors ?? 0, errors);
  if (policy.maxWarnings !== undefined || failOn === 'warning') add('warnings', policy.maxWarnings ?? 0, warnings);
  return { passed: conditions.every((c) => c.passed), conditions };
}
