/** The colour classes the page gives status badges: one per bot state, severity, health status and alert level, and the release verdicts. */
import { ALERT_SEVERITIES, EXECUTION_STATUSES, HEALTH_STATUSES, SEVERITIES } from '@fleetkit/shared-context';

export const STATUS_CLASSES: readonly string[] = [
  ...EXECUTION_STATUSES.map((s) => `st-${s}`),
  ...SEVERITIES.map((s) => `sev-${s}`),
  ...HEALTH_STATUSES.map((s) => `health-${s}`),
  ...ALERT_SEVERITIES.map((s) => `alert-${s}`),
  'verdict-ok',
  'verdict-block',
];
