/**
 * What live clients see of a session, and the difference between two
 * states: only what changed is pushed (health status, score and alerts, bot
 * transitions, finding counts), never the whole session.
 */
import type { HeldSession } from './counted-session.js';
import type { ExecutionStatus, FleetHealth, HealthAlert, HealthStatus, Severity } from '@fleetkit/shared-context';

/** One bot as live clients see it. */
export interface LiveBot {
  readonly status: ExecutionStatus;
  readonly durationMs: number | null;
}

/** Finding counts as live clients see them. */
export interface LiveFindings {
  readonly total: number;
  readonly fixed: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** The session as live clients see it. */
export interface LiveState {
  readonly sessionId: string;
  readonly version: number;
  readonly completed: boolean;
  readonly health: { readonly status: HealthStatus; readonly score: number; readonly alerts: readonly HealthAlert[] };
  readonly bots: Readonly<Record<string, LiveBot>>;
  readonly findings: LiveFindings;
}

/** A live update: the fields that changed since the previous state sent. */
export interface LiveDelta {
  readonly sessionId: string;
  readonly version: number;
  readonly completed?: boolean;
  readonly health?: LiveState['health'];
  /** Bots whose status or duration changed. */
  readonly bots?: Readonly<Record<string, LiveBot>>;
  readonly findings?: LiveFindings;
}

/** The live state of a context, with its health. */
export function liveStateOf(ctx: HeldSession, health: FleetHealth): LiveState {
  const bots: Record<string, LiveBot> = {};
  for (const e of ctx.executions()) {
    bots[e.bot] = { status: e.status, durationMs: 'durationMs' in e ? e.durationMs : null };
  }
  return {
    sessionId: ctx.sessionId,
    version: ctx.version,
    completed: ctx.completedAt !== null,
    health: { status: health.status, score: health.healthScore, alerts: health.alerts },
    bots,
    findings: { total: ctx.findings.size, fixed: ctx.findings.fixedCount(), bySeverity: { ...ctx.findings.countBySeverity() } },
  };
}

const alertKey = (alerts: readonly HealthAlert[]): string => alerts.map((a) => `${a.severity}|${a.category}|${a.bot ?? ''}|${a.message}`).join('\n');

/** What changed from `prev` to `next`; undefined when nothing a client shows did. */
export function liveDelta(prev: LiveState, next: LiveState): LiveDelta | undefined {
  let changed = false;
  const out: { -readonly [K in keyof LiveDelta]: LiveDelta[K] } = { sessionId: next.sessionId, version: next.version };
  if (prev.completed !== next.completed) {
    out.completed = next.completed;
    changed = true;
  }
  const ph = prev.health;
  const nh = next.health;
  if (ph.status !== nh.status || ph.score !== nh.score || alertKey(ph.alerts) !== alertKey(nh.alerts)) {
    out.health = nh;
    changed = true;
  }
  let bots: Record<string, LiveBot> | undefined;
  for (const [id, b] of Object.entries(next.bots)) {
    const p = prev.bots[id];
    if (p === undefined || p.status !== b.status || p.durationMs !== b.durationMs) (bots ??= {})[id] = b;
  }
  if (bots !== undefined) {
    out.bots = bots;
    changed = true;
  }
  const pf = prev.findings;
  const nf = next.findings;
  if (pf.total !== nf.total || pf.fixed !== nf.fixed || (Object.keys(nf.bySeverity) as Severity[]).some((s) => pf.bySeverity[s] !== nf.bySeverity[s])) {
    out.findings = nf;
    changed = true;
  }
  return changed ? out : undefined;
}
