/**
 * A session held as its lifecycle state plus counts of its findings, not the
 * findings themselves: how a replica over a database holds a session. What
 * the dashboard shows of a held session (health, summary, status, live state,
 * metrics) reads only counts; the findings stay in the database, which
 * filters and pages them in SQL. A session of 100,000 findings costs a
 * replica a few kilobytes instead of a few hundred megabytes, and garbage
 * collection no longer walks it on every major cycle.
 */
import { SEVERITIES, sessionHealthCache, summarize } from '@fleetkit/shared-context';
import type {
  BotExecution,
  BotId,
  BotInfo,
  Context,
  ContextEvent,
  ContextSummary,
  FindingCounts,
  FleetHealth,
  HealthCacheStats,
  HealthCheckOptions,
  JsonValue,
  SessionCountsView,
  Severity,
  TallyGroup,
} from '@fleetkit/shared-context';

/**
 * A session as the dashboard holds it: a whole `Context` (over a storage that
 * queries in memory anyway) or a {@link CountedSession}.
 */
export type HeldSession = SessionCountsView & Pick<Context, 'readyBots' | 'healthCheck' | 'healthCacheStats' | 'subscribe'>;

const zeroSeverities = (): Record<Severity, number> => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;

/**
 * Counts of a session's findings, kept from tallies: counted in ranges of
 * sequence numbers as they are appended (so `size` is also the last
 * sequence number counted), with the fixed ones recounted when a finding is
 * fixed. Count records handed out are frozen and replaced on change, as a
 * FindingSet's are.
 */
export class CountedFindings implements FindingCounts {
  #size = 0;
  #version = 0;
  #bySeverity = zeroSeverities();
  #bySource = new Map<string, number>();
  #fixed = 0;
  #fixedErrors = 0;
  #severityView: Readonly<Record<Severity, number>> | undefined;
  #sourceView: Readonly<Record<BotId, number>> | undefined;
  readonly #listeners = new Set<(e: ContextEvent) => void>();

  /** Findings counted: the session's findings up to sequence number `size`. */
  get size(): number {
    return this.#size;
  }

  /** Increases on every change of the counts. */
  get version(): number {
    return this.#version;
  }

  /** Counts the findings after those counted, given as their tally groups. */
  append(groups: Iterable<Pick<TallyGroup, 'severity' | 'source' | 'fixed' | 'count'>>): void {
    let added = 0;
    for (const g of groups) {
      added += g.count;
      this.#bySeverity[g.severity] += g.count;
      this.#bySource.set(g.source, (this.#bySource.get(g.source) ?? 0) + g.count);
      if (g.fixed) {
        this.#fixed += g.count;
        if (g.severity === 'error') this.#fixedErrors += g.count;
      }
    }
    if (added === 0) return;
    this.#size += added;
    this.#changed({ type: 'findings-added', count: added });
  }

  /** Takes a fresh count of the fixed findings among those counted (after `findingId` was fixed). Returns true when it differed. */
  setFixed(groups: Iterable<Pick<TallyGroup, 'severity' | 'count'>>, findingId: string): boolean {
    let fixed = 0;
    let errors = 0;
    for (const g of groups) {
      fixed += g.count;
      if (g.severity === 'error') errors += g.count;
    }
    if (fixed === this.#fixed && errors === this.#fixedErrors) return false;
    this.#fixed = fixed;
    this.#fixedErrors = errors;
    this.#changed({ type: 'finding-fixed', id: findingId });
    return true;
  }

  fixedCount(): number {
    return this.#fixed;
  }

  countUnfixedErrors(): number {
    return this.#bySeverity.error - this.#fixedErrors;
  }

  blocksRelease(): boolean {
    return this.countUnfixedErrors() > 0;
  }

  countBySeverity(): Readonly<Record<Severity, number>> {
    return (this.#severityView ??= Object.freeze({ ...this.#bySeverity }));
  }

  countBySource(): Readonly<Record<BotId, number>> {
    return (this.#sourceView ??= Object.freeze(Object.fromEntries(this.#bySource)));
  }

  /** Calls `listener` after each change of the counts; returns a function that stops. */
  subscribe(listener: (e: ContextEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(event: ContextEvent): void {
    this.#version++;
    this.#severityView = undefined;
    this.#sourceView = undefined;
    for (const l of this.#listeners) l(event);
  }
}

/**
 * A session held as its state (a `Context` loaded without findings, kept
 * current with `syncState`) and {@link CountedFindings}. Health and summary
 * come from the library's own code over these counts, so they are the ones
 * the whole session would give.
 */
export class CountedSession implements HeldSession {
  readonly state: Context;
  readonly findings: CountedFindings;

  constructor(state: Context, findings: CountedFindings) {
    this.state = state;
    this.findings = findings;
  }

  get sessionId(): string {
    return this.state.sessionId;
  }
  get repoName(): string {
    return this.state.repoName;
  }
  get repoPath(): string {
    return this.state.repoPath;
  }
  get startedAt(): string {
    return this.state.startedAt;
  }
  get completedAt(): string | null {
    return this.state.completedAt;
  }
  /** Changes with the state or the counts (both only grow, so their sum never repeats). */
  get version(): number {
    return this.state.version + this.findings.version;
  }
  get healthTtlMs(): number {
    return this.state.healthTtlMs;
  }
  get now(): () => number {
    return this.state.now;
  }

  bots(): Iterable<BotInfo> {
    return this.state.bots();
  }
  bot(id: BotId): BotInfo | undefined {
    return this.state.bot(id);
  }
  execution(id: BotId): BotExecution | undefined {
    return this.state.execution(id);
  }
  executions(): readonly BotExecution[] {
    return this.state.executions();
  }
  readyBots(): BotId[] {
    return this.state.readyBots();
  }
  durationMs(): number | null {
    return this.state.durationMs();
  }
  elapsedMs(): number {
    return this.state.elapsedMs();
  }
  getData(key: string): JsonValue | undefined {
    return this.state.getData(key);
  }
  dataKeys(): Iterable<string> {
    return this.state.dataKeys();
  }

  summary(): ContextSummary {
    return summarize(this.sessionId, this.repoName, this.durationMs(), this.executions(), this.findings);
  }

  healthCheck(options?: HealthCheckOptions): FleetHealth {
    return sessionHealthCache(this).check(this, options);
  }

  healthCacheStats(): HealthCacheStats {
    return sessionHealthCache(this).stats(this.now());
  }

  /** Calls `listener` after each change of the state or the counts; returns a function that stops. */
  subscribe(listener: (e: ContextEvent) => void): () => void {
    const offState = this.state.subscribe(listener);
    const offCounts = this.findings.subscribe(listener);
    return () => {
      offState();
      offCounts();
    };
  }
}
