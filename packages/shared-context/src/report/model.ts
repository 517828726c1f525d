/**
 * The report model: one structure that every format renders, so Markdown,
 * JSON, HTML and SARIF always agree (and all use the health check's score).
 * Findings are referenced, not copied: a model of 100,000 findings holds no
 * second copy of their text. A listed finding's suppression and baseline
 * state are looked up by its id ({@link suppressionOf}, {@link baselineStateOf})
 * rather than stored beside it, so marking costs nothing per finding.
 */
import type { BotId } from '../bots/roster.js';
import { rosterIndex } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import { tierOrder } from '../bots/tier.js';
import type { ExecutionStatus } from '../context/execution.js';
import type { SessionView } from '../context/session-view.js';
import type { Finding } from '../findings/finding.js';
import { CORE_RECORD } from '../findings/finding-record.js';
import { SEVERITIES, severityRank } from '../findings/severity.js';
import type { Severity } from '../findings/severity.js';
import { sessionHealth } from '../health/cache.js';
import { isoTime } from '../iso-time.js';
import type { HealthAlert, HealthStatus, TierHealth } from '../health/types.js';
import type { BaselineState, GroupBy, ReportOptions, ReportSuppression } from './options.js';
import { checkReportOptions } from './options.js';

/** One bot's line in the executions table. */
export interface ReportBot {
  readonly id: BotId;
  readonly name: string;
  readonly tier: Tier;
  readonly status: ExecutionStatus;
  readonly findings: number;
  readonly errors: number;
  /** ms; null when not started (running bots: time so far). */
  readonly durationMs: number | null;
}

/** A group of findings (one severity, bot, category or file). */
export interface ReportGroup {
  /** The group's key (a severity, bot id, category or file; `''` for none). */
  readonly key: string;
  /** Findings listed, in report order. */
  readonly findings: readonly Finding[];
  /** Findings of this group left out by `maxFindings`. */
  readonly omitted: number;
}

/** Everything a report shows. */
export interface ReportModel {
  readonly generatedAt: string;
  readonly repo: { readonly name: string; readonly path: string };
  readonly session: { readonly id: string; readonly startedAt: string; readonly completedAt: string | null; readonly durationMs: number };
  readonly health: { readonly status: HealthStatus; readonly score: number; readonly alerts: readonly HealthAlert[] };
  /** True while an unfixed error that no suppression accepts remains (`blockingErrors > 0`). */
  readonly releaseBlocked: boolean;
  /** Unfixed errors that no suppression accepts; the release is blocked when there is one. */
  readonly blockingErrors: number;
  readonly summary: {
    readonly totalBots: number;
    readonly completed: number;
    readonly inProgress: number;
    readonly pending: number;
    readonly failed: number;
    readonly skipped: number;
    readonly filesAnalyzed: number;
    readonly totalFindings: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly unfixedErrors: number;
    readonly fixable: number;
    readonly fixed: number;
    /** Findings of the session that the `suppressions` option marks (0 without it). */
    readonly suppressed: number;
    /** Findings of the session that are new since the baseline; only when `newFindings` was given. */
    readonly new?: number;
  };
  readonly bots: readonly ReportBot[];
  /** Findings in the set per source bot, most first (what the per-bot chart draws). */
  readonly findingsBySource: ReadonlyArray<readonly [BotId, number]>;
  readonly tiers: readonly TierHealth[];
  readonly groupBy: GroupBy;
  readonly groups: readonly ReportGroup[];
  /** Findings that pass `minSeverity`. */
  readonly matching: number;
  /** Findings listed (≤ maxFindings). */
  readonly listed: number;
  readonly minSeverity: Severity;
  /** Finding id → suppression (the `suppressions` option; empty without it). Read it with {@link suppressionOf}. */
  readonly suppressions: ReadonlyMap<string, ReportSuppression>;
  /** Ids of new findings (the `newFindings` option); null without a baseline. Read it with {@link baselineStateOf}. */
  readonly newFindings: ReadonlySet<string> | null;
}

const NO_SUPPRESSIONS: ReadonlyMap<string, ReportSuppression> = new Map();

/** The suppression of a finding in this report, if it is suppressed. */
export function suppressionOf(model: ReportModel, finding: Finding): ReportSuppression | undefined {
  return model.suppressions.get(finding.id);
}

/**
 * Whether findings get a Status column: something is suppressed, or a
 * baseline was given. Without either, reports keep their plain shape.
 */
export function hasStatusColumn(model: ReportModel): boolean {
  return model.summary.suppressed > 0 || model.newFindings !== null;
}

/** `'new'` or `'unchanged'` when the report has a baseline (`newFindings`), else undefined. */
export function baselineStateOf(model: ReportModel, finding: Finding): BaselineState | undefined {
  if (model.newFindings === null) return undefined;
  return model.newFindings.has(finding.id) ? 'new' : 'unchanged';
}

/**
 * Unfixed errors that no suppression accepts: the release is blocked when
 * there is one, the same rule as `fleet gate`'s default policy, so a report
 * never says "blocked" where the gate passes.
 */
function countBlockingErrors(ctx: SessionView, suppressions: ReadonlyMap<string, ReportSuppression> | undefined): number {
  let blocking = ctx.findings.countUnfixedErrors();
  if (blocking === 0 || suppressions === undefined) return blocking;
  for (const id of suppressions.keys()) {
    const f = ctx.findings.get(id);
    if (f !== undefined && f.severity === 'error' && !f.fixed) blocking--;
  }
  return blocking;
}

/** How many of `ids` are findings of the context: lookups by id, no scan of the findings. */
function countPresent(ctx: SessionView, ids: Iterable<string>): number {
  let n = 0;
  for (const id of ids) if (ctx.findings.has(id)) n++;
  return n;
}

// Most comparisons are between findings of one severity and one bot: equal
// keys are told by identity first, before the rank and roster lookups. Two
// records without optional fields have no file and no line to compare, and
// reading a property an object does not have is the slow kind of read.
type MaybeCore = Finding & { readonly [CORE_RECORD]?: true };
const compareFindings = (a: MaybeCore, b: MaybeCore): number =>
  (a.severity === b.severity ? 0 : severityRank(a.severity) - severityRank(b.severity)) ||
  (a.source === b.source ? 0 : rosterIndex(a.source) - rosterIndex(b.source) || (a.source < b.source ? -1 : 1)) ||
  (a[CORE_RECORD] === true && b[CORE_RECORD] === true ? 0 : compareLocations(a, b)) ||
  (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

const compareLocations = (a: Finding, b: Finding): number =>
  (a.file === b.file ? 0 : (a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0);

function keyOf(f: Finding, by: GroupBy): string {
  switch (by) {
    case 'severity':
      return f.severity;
    case 'bot':
      return f.source;
    case 'category':
      return f.category;
    case 'file':
      return f.file ?? '';
  }
}

function orderKeys(keys: string[], by: GroupBy): string[] {
  if (by === 'severity') return keys.sort((a, b) => severityRank(a as Severity) - severityRank(b as Severity));
  if (by === 'bot') return keys.sort((a, b) => rosterIndex(a) - rosterIndex(b) || (a < b ? -1 : a > b ? 1 : 0));
  return keys.sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

/** Builds the report model of a context. Options are validated. */
export function buildReport(ctx: SessionView, options?: ReportOptions): ReportModel {
  const o = checkReportOptions(options);
  const now = (o.now ?? ctx.now)();
  // The session's own cache: a report right after `ctx.healthCheck()` reuses its result.
  const health = sessionHealth(ctx);
  const groupBy = o.groupBy ?? 'severity';
  const minSeverity = o.minSeverity ?? 'suggestion';
  const max = o.maxFindings ?? Number.POSITIVE_INFINITY;

  // Candidates come from the severity index: no scan of findings below minSeverity.
  const included: Finding[] = [];
  for (const sev of SEVERITIES) if (severityRank(sev) <= severityRank(minSeverity)) for (const f of ctx.findings.bySeverity(sev)) included.push(f);
  included.sort(compareFindings);

  const byKey = new Map<string, Finding[]>();
  for (const f of included) {
    const k = keyOf(f, groupBy);
    const list = byKey.get(k);
    if (list === undefined) byKey.set(k, [f]);
    else list.push(f);
  }
  let budget = max;
  const groups: ReportGroup[] = orderKeys([...byKey.keys()], groupBy).map((key) => {
    const all = byKey.get(key) as Finding[];
    const take = Math.max(0, Math.min(all.length, budget));
    budget -= take;
    return { key, findings: take === all.length ? all : all.slice(0, take), omitted: all.length - take };
  });

  let completed = 0;
  let inProgress = 0;
  let pending = 0;
  let failed = 0;
  let skipped = 0;
  let files = 0;
  const bots: ReportBot[] = [];
  for (const info of ctx.bots()) {
    const e = ctx.execution(info.id)!;
    const bh = health.botHealth[info.id];
    if (e.status === 'completed') {
      completed++;
      files += e.filesAnalyzed;
    } else if (e.status === 'running') inProgress++;
    else if (e.status === 'pending') pending++;
    else if (e.status === 'failed') failed++;
    else skipped++;
    bots.push({ id: info.id, name: info.name, tier: info.tier, status: e.status, findings: bh?.findingsCount ?? 0, errors: bh?.errorsCount ?? 0, durationMs: bh?.durationMs ?? null });
  }
  bots.sort((a, b) => tierOrder(a.tier) - tierOrder(b.tier) || rosterIndex(a.id) - rosterIndex(b.id));

  const counts = ctx.findings.countBySeverity();
  const blockingErrors = countBlockingErrors(ctx, o.suppressions);
  return {
    generatedAt: isoTime(now),
    repo: { name: ctx.repoName, path: ctx.repoPath },
    session: { id: ctx.sessionId, startedAt: ctx.startedAt, completedAt: ctx.completedAt, durationMs: ctx.elapsedMs() },
    health: { status: health.status, score: health.healthScore, alerts: health.alerts },
    releaseBlocked: blockingErrors > 0,
    blockingErrors,
    summary: {
      totalBots: bots.length,
      completed,
      inProgress,
      pending,
      failed,
      skipped,
      filesAnalyzed: files,
      totalFindings: ctx.findings.size,
      bySeverity: counts,
      unfixedErrors: ctx.findings.countUnfixedErrors(),
      fixable: ctx.findings.fixable().length,
      fixed: ctx.findings.fixedCount(),
      suppressed: o.suppressions === undefined ? 0 : countPresent(ctx, o.suppressions.keys()),
      ...(o.newFindings === undefined ? {} : { new: countPresent(ctx, o.newFindings) }),
    },
    bots,
    findingsBySource: Object.entries(ctx.findings.countBySource()).sort((a, b) => b[1] - a[1] || rosterIndex(a[0]) - rosterIndex(b[0])),
    tiers: Object.values(health.tierHealth) as TierHealth[],
    groupBy,
    groups,
    matching: included.length,
    listed: Number.isFinite(max) ? Math.min(max, included.length) : included.length,
    minSeverity,
    suppressions: o.suppressions ?? NO_SUPPRESSIONS,
    newFindings: o.newFindings ?? null,
  };
}
