/**
 * Folding a finished (or running) session into its repository's history:
 * the session's record, the findings followed by fingerprint, the trend.
 * Pure functions of a {@link SessionView}; storage only saves the result.
 */
import type { SessionView } from '../context/session-view.js';
import type { Finding } from '../findings/finding.js';
import { findingFingerprint } from '../findings/finding.js';
import type { BotRunRecord, PersistentFinding, RepoState, SessionRecord, Trend } from './repo-state.js';
import { readSessionRecords, REPO_HISTORY_LIMIT } from './repo-state.js';

/** The record of one session, as history keeps it. */
export function sessionRecordOf(ctx: SessionView): SessionRecord {
  const s = ctx.summary();
  const bots: BotRunRecord[] = ctx.executions().map((e) => {
    switch (e.status) {
      case 'completed':
        return { bot: e.bot, status: e.status, durationMs: e.durationMs, findingsCount: e.findingsCount, errorsCount: e.errorsCount };
      case 'failed':
        return { bot: e.bot, status: e.status, durationMs: e.durationMs };
      default:
        return { bot: e.bot, status: e.status };
    }
  });
  return {
    sessionId: ctx.sessionId,
    startedAt: ctx.startedAt,
    completedAt: ctx.completedAt,
    durationMs: s.durationMs,
    totalFindings: s.totalFindings,
    errors: s.totalErrors,
    warnings: s.totalWarnings,
    blocksRelease: s.blocksRelease,
    bots,
  };
}

/**
 * Folds a session into a repo's state: appends (or replaces, for the same
 * session id) its record, keeps the last {@link REPO_HISTORY_LIMIT}, follows
 * each finding by fingerprint, and recomputes the trend. Pure: returns a new state.
 */
/**
 * True when the session was folded into this history: it records it, or the
 * history is full (the last REPO_HISTORY_LIMIT sessions) and its oldest record
 * completed after this session did, so a fold of it would have aged out since
 * (folding it now would make it the newest).
 */
export function foldedInto(state: RepoState, session: { readonly sessionId: string; readonly completedAt: string | null }): boolean {
  if (state.sessions.some((s) => (s as { sessionId?: unknown } | null)?.sessionId === session.sessionId)) return true;
  if (state.sessions.length < REPO_HISTORY_LIMIT || session.completedAt === null) return false;
  const oldest = readSessionRecords(state).records[0]?.completedAt;
  return oldest !== undefined && oldest !== null && Date.parse(oldest) > Date.parse(session.completedAt);
}

export function updateRepoState(state: RepoState | undefined, ctx: SessionView): RepoState {
  const now = new Date(ctx.now()).toISOString();
  const record = sessionRecordOf(ctx);
  const previous = (state?.sessions ?? []).filter((s) => (s as { sessionId?: unknown } | null)?.sessionId !== ctx.sessionId);
  const sessions = [...previous, record].slice(-REPO_HISTORY_LIMIT);

  const seenAt = ctx.completedAt ?? now;
  const present = new Map<string, { f: Finding }>();
  for (const f of ctx.findings) if (!f.fixed) present.set(findingFingerprint(f), { f });
  const findings: PersistentFinding[] = [];
  for (const p of state?.findings ?? []) {
    const hit = present.get(p.fingerprint);
    if (hit !== undefined) {
      present.delete(p.fingerprint);
      findings.push({ ...p, lastSeen: seenAt, sessionsPresent: p.sessionsPresent + 1, resolved: false, resolvedAt: undefined, severity: hit.f.severity, message: hit.f.message });
    } else if (!p.resolved) {
      findings.push({ ...p, resolved: true, resolvedAt: seenAt });
    } else {
      findings.push(p);
    }
  }
  for (const [fingerprint, { f }] of present) {
    findings.push({
      fingerprint,
      source: f.source,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      firstSeenSession: ctx.sessionId,
      firstSeen: seenAt,
      lastSeen: seenAt,
      sessionsPresent: 1,
      resolved: false,
    });
  }
  const next: RepoState = { schemaVersion: 1, repoName: ctx.repoName, updatedAt: now, sessions, findings, trend: 'stable' };
  return { ...next, trend: trendOf(readSessionRecords(next).records) };
}

/**
 * improving / declining / stable: the weighted load (errors × 3 + warnings) of
 * the last k sessions against the k before them (k = 3, or fewer when the
 * history is short); a change of more than 10% either way is a trend.
 */
export function trendOf(records: readonly SessionRecord[]): Trend {
  if (records.length < 2) return 'stable';
  const load = (r: SessionRecord): number => r.errors * 3 + r.warnings;
  const k = Math.min(3, Math.floor(records.length / 2));
  const recent = records.slice(-k);
  const base = records.slice(-2 * k, -k);
  const mean = (xs: readonly SessionRecord[]): number => xs.reduce((a, r) => a + load(r), 0) / xs.length;
  const a = mean(base);
  const b = mean(recent);
  if (a === 0 && b === 0) return 'stable';
  if (b < a * 0.9) return 'improving';
  if (b > a * 1.1) return 'declining';
  return 'stable';
}
