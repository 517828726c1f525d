/**
 * Context: one analysis session of one repository (bots, executions,
 * findings, shared data). Every change bumps `version`, which caches compare.
 * The class holds state and emits events; the rules are pure functions in the
 * modules beside it. Health and reports read it through {@link SessionView},
 * so they sit below this class, which only calls down.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { BotId, BotInfo } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import { BotNotRegisteredError, DependenciesNotDoneError, InvalidTransitionError, ValidationError } from '../errors.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import { FindingSet } from '../findings/finding-set.js';
import type { JsonValue } from '../json-value.js';
import type { ContextHealthCache, HealthCacheStats } from '../health/cache.js';
import { sessionHealthCache } from '../health/cache.js';
import type { HealthCheckOptions } from '../health/options.js';
import type { FleetHealth } from '../health/types.js';
import { generateReport } from '../report/generate.js';
import type { ReportFormat, ReportOptions } from '../report/options.js';
import { isoTime } from '../iso-time.js';
import type { BotExecution, ExecutionStatus } from './execution.js';
import { canTransition, isDone } from './execution.js';
import type { ContextEvent } from './events.js';
import { findingsOfTier } from './findings-facade.js';
import type { CompletionCounts, StartBotOptions } from './lifecycle.js';
import { STANDARD_REGISTRATIONS, checkCompletion, completedExecution, pendingDependencies, pendingExecution, failedExecution, readyBotsOf, resolveBotInfo, runningExecution, skippedExecution, tierOfBot, verifiersDone } from './lifecycle.js';
import type { ContextOptions } from './options.js';
import { constructorIssues, NO_OPTIONS, systemNow } from './options.js';
import type { BotInfoInput, ContextJSON } from './schema.js';
import { addSerializedFindings, contextToJSON, decodeContextJSON } from './serialization.js';
import type { ContextSummary, SessionView } from './session-view.js';
import { readSharedData, sharedDataValue } from './shared-data.js';
import { summarize } from './summary.js';
import { sameEntries } from './same-entries.js';

const NO_BOTS: Map<BotId, BotInfo> = new Map();
const NO_EXECUTIONS: Map<BotId, BotExecution> = new Map();
const NO_DATA: Map<string, JsonValue> = new Map();

/** A session: bots, their executions, findings and shared data. */
export class Context implements SessionView {

  /** Name of the repository analysed. */
  readonly repoName: string;
  /** Path of the repository analysed. */
  readonly repoPath: string;
  /** Every finding of the session, indexed. */
  readonly findings: FindingSet;
  /** Health cache TTL in ms (0: no caching). */
  readonly healthTtlMs: number;
  /** The context's clock, epoch milliseconds. */
  readonly now: () => number;

  #completedAt: string | null = null;
  // Creating a context is on the hot path of short-lived sessions: the id and
  // the ISO start time are made on first use, not in the constructor.
  #sessionId: string | undefined;
  #startedAt: string | undefined;
  readonly #startedAtMs: number;
  // Shared empty maps (never written) until the first bot or the first shared
  // value: a context that only collects findings allocates none of them.
  #bots: Map<BotId, BotInfo> = NO_BOTS;
  #executions: Map<BotId, BotExecution> = NO_EXECUTIONS;
  #data: Map<string, JsonValue> = NO_DATA;
  #version = 0;
  #executionList: readonly BotExecution[] | undefined;
  // Allocated on first use: most contexts never need them, and creation is on the hot path.
  #tierFindings: Map<Tier, { version: number; list: readonly Finding[] }> | undefined;
  #listeners: Set<(event: ContextEvent) => void> | undefined;
  // The session's cache lives in health/cache.ts (reports and monitors share
  // it); holding it here spares `healthCheck()` the lookup after the first call.
  #health: ContextHealthCache | undefined;

  constructor(repoName: string, repoPath: string, options: ContextOptions = NO_OPTIONS) {
    const ttl = options.healthTtlMs ?? 5000;
    if (typeof repoName !== 'string' || repoName.length === 0 || typeof repoPath !== 'string' || !Number.isFinite(ttl) || ttl < 0) {
      throw new ValidationError(constructorIssues(repoName, repoPath, ttl), 'new Context');
    }
    this.now = options.now ?? systemNow;
    this.#sessionId = options.sessionId;
    this.repoName = repoName;
    this.repoPath = repoPath;
    this.#startedAt = options.startedAt;
    this.#startedAtMs = options.startedAt === undefined ? this.now() : Date.parse(options.startedAt);
    this.healthTtlMs = ttl;
    this.findings = options.now === undefined && options.newId === undefined ? new FindingSet() : new FindingSet(undefined, { now: this.now, newId: options.newId });
  }

  /** Unique id of this session (a random UUID unless given). */
  get sessionId(): string {
    this.#sessionId ??= randomUUID();
    return this.#sessionId;
  }

  /** When the session started, ISO 8601. */
  get startedAt(): string {
    this.#startedAt ??= isoTime(this.#startedAtMs);
    return this.#startedAt;
  }

  /** When the session completed (ISO 8601), or null while it runs. */
  get completedAt(): string | null {
    return this.#completedAt;
  }

  /**
   * Increases on every change to the context or its findings. Two reads that
   * give the same number saw the same state.
   */
  get version(): number {
    return this.#version + this.findings.version;
  }

  // ── bots ────────────────────────────────────────────────────────────────

  /**
   * Registers a bot. Roster bots use their roster entry; other (custom) bots
   * take `info`, with tier `custom` unless given. Registering a registered bot
   * again changes nothing and returns its info.
   */
  registerBot(id: BotId, info?: BotInfoInput): BotInfo {
    const existing = this.#bots.get(id);
    if (existing !== undefined) return existing;
    const resolved = resolveBotInfo(id, info);
    if (this.#bots === NO_BOTS) {
      this.#bots = new Map();
      this.#executions = new Map();
    }
    this.#bots.set(resolved.id, resolved);
    this.#executions.set(resolved.id, pendingExecution(resolved.id));
    this.#changed();
    if (this.#listeners !== undefined) this.#emit({ type: 'bot-registered', bot: resolved.id });
    return resolved;
  }

  /** Registers the eleven standard bots (all of the roster but `oikosbot`). */
  registerAllBots(): void {
    // Their info and pending records are known: nothing to resolve per bot.
    const { infos, pending } = STANDARD_REGISTRATIONS;
    if (this.#bots === NO_BOTS) {
      this.#bots = new Map();
      this.#executions = new Map();
    }
    for (let i = 0; i < infos.length; i++) {
      const id = infos[i]!.id;
      if (this.#bots.has(id)) continue;
      this.#bots.set(id, infos[i]!);
      this.#executions.set(id, pending[i]!);
      this.#changed();
      if (this.#listeners !== undefined) this.#emit({ type: 'bot-registered', bot: id });
    }
  }

  /** Info of a registered bot, or undefined. */
  bot(id: BotId): BotInfo | undefined {
    return this.#bots.get(id);
  }

  /** Registered bots, in registration order. */
  bots(): IterableIterator<BotInfo> {
    return this.#bots.values();
  }

  /** Number of registered bots. */
  get botCount(): number {
    return this.#bots.size;
  }

  /** Tier of a bot: its registered tier, else its roster tier, else `custom`. */
  tierOf(id: BotId): Tier {
    return tierOfBot(this.#bots, id);
  }

  /**
   * pending → running. Throws {@link DependenciesNotDoneError} while a
   * dependency of the bot that this session registers is not done (completed
   * or skipped), unless `force`; an unregistered dependency holds nothing back.
   */
  startBot(id: BotId, options?: StartBotOptions): void {
    const prev = this.#checkTransition(id, 'running');
    const deps = this.#bots.get(id)!.dependsOn;
    // Most bots depend on none: no call then, on the start–complete hot path.
    if (deps.length !== 0 && options?.force !== true) {
      const pending = pendingDependencies(deps, this.#executions);
      if (pending.length > 0) throw new DependenciesNotDoneError(id, pending);
    }
    this.#record(id, prev, 'running', runningExecution(id, this.now()));
  }

  /** running → completed, with what the bot reports. */
  completeBot(id: BotId, counts: CompletionCounts): void {
    const c = checkCompletion(counts);
    const prev = this.#checkTransition(id, 'completed');
    this.#record(id, prev, 'completed', completedExecution(id, prev, c, this.now()));
  }

  /** running → failed. */
  failBot(id: BotId, message: string): void {
    const prev = this.#checkTransition(id, 'failed');
    this.#record(id, prev, 'failed', failedExecution(id, prev, message, this.now()));
  }

  /** pending → skipped. */
  skipBot(id: BotId, reason: string): void {
    const prev = this.#checkTransition(id, 'skipped');
    this.#record(id, prev, 'skipped', skippedExecution(id, this.#isoNow(), reason));
  }

  /** The execution record of a registered bot, or undefined. */
  execution(id: BotId): BotExecution | undefined {
    return this.#executions.get(id);
  }

  /** Every execution record, in registration order (a snapshot, cached until the next transition). */
  executions(): readonly BotExecution[] {
    this.#executionList ??= Object.freeze([...this.#executions.values()]);
    return this.#executionList;
  }

  /** True when the bot is done for dependency purposes (completed or skipped). */
  botCompleted(id: BotId): boolean {
    return isDone(this.#executions.get(id));
  }

  /** True when every registered verifier is done. */
  verifiersComplete(): boolean {
    return verifiersDone(this.#bots, this.#executions);
  }

  /** Pending bots whose dependencies are all done, by tier order, then roster order. */
  readyBots(): BotId[] {
    return readyBotsOf(this.#bots, this.#executions);
  }

  // ── findings ────────────────────────────────────────────────────────────

  /** Adds one finding (validated); see {@link FindingSet.add}. */
  addFinding(finding: Finding | FindingInput): Finding {
    return this.findings.add(finding);
  }

  /** Adds many findings, all or nothing; see {@link FindingSet.addAll}. */
  addFindings(findings: Iterable<Finding | FindingInput>): Finding[] {
    return this.findings.addAll(findings);
  }

  /** Findings from one bot. */
  findingsFrom(bot: BotId): readonly Finding[] {
    return this.findings.bySource(bot);
  }

  /** Findings from every bot of a tier (cached until the findings or bots change). */
  findingsFromTier(tier: Tier): readonly Finding[] {
    const v = this.version;
    const hit = this.#tierFindings?.get(tier);
    if (hit !== undefined && hit.version === v) return hit.list;
    const list = findingsOfTier(this.findings, this.#bots, tier);
    (this.#tierFindings ??= new Map()).set(tier, { version: v, list });
    return list;
  }

  /** Findings of one category. */
  findingsByCategory(category: string): readonly Finding[] {
    return this.findings.byCategory(category);
  }

  /** True when any finding is an error. */
  hasErrors(): boolean {
    return this.findings.hasErrors();
  }

  /** True while an unfixed error finding remains. */
  blocksRelease(): boolean {
    return this.findings.blocksRelease();
  }

  /** Marks a finding fixed; see {@link FindingSet.markFixed}. */
  markFixed(id: string): boolean {
    return this.findings.markFixed(id);
  }

  // ── shared data ─────────────────────────────────────────────────────────

  /** Stores a JSON value for other bots (copied; `__proto__` keys stay data). */
  setData(key: string, value: unknown): void {
    const v = sharedDataValue(key, value);
    if (this.#data === NO_DATA) this.#data = new Map();
    this.#data.set(key, v);
    this.#changed();
    this.#emit({ type: 'data-set', key });
  }

  /** Reads shared data; validated against `schema` when one is given. */
  getData(key: string): JsonValue | undefined;
  getData<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined;
  getData(key: string, schema?: z.ZodType): unknown {
    return readSharedData(key, this.#data.get(key), schema);
  }

  /** Keys of the shared data. */
  dataKeys(): IterableIterator<string> {
    return this.#data.keys();
  }

  // ── session ─────────────────────────────────────────────────────────────

  /** Marks the session complete. Completing it twice is an {@link InvalidTransitionError}. */
  completeSession(): void {
    if (this.#completedAt !== null) throw new InvalidTransitionError('(session)', 'completed', 'completed');
    this.#completedAt = this.#isoNow();
    this.#changed();
    this.#emit({ type: 'session-completed' });
  }

  /** Session duration in ms once completed, else null. */
  durationMs(): number | null {
    return this.#completedAt === null ? null : Math.max(0, Date.parse(this.#completedAt) - this.#startedAtMs);
  }

  /** Milliseconds since the session started (up to completion, once completed). */
  elapsedMs(): number {
    return this.durationMs() ?? Math.max(0, this.now() - this.#startedAtMs);
  }

  // ── health ──────────────────────────────────────────────────────────────

  /**
   * The fleet's health (rules in fleet-behaviour.md). Served from a cache
   * while nothing in the context changed and the result is younger than
   * `healthTtlMs`; any mutation invalidates it at once.
   */
  healthCheck(options?: HealthCheckOptions): FleetHealth {
    this.#health ??= sessionHealthCache(this);
    return this.#health.check(this, options);
  }

  /** Hits, misses and invalidations of this context's health cache, and the cached entry's age. */
  healthCacheStats(): HealthCacheStats {
    this.#health ??= sessionHealthCache(this);
    return this.#health.stats(this.now());
  }

  // ── reports ─────────────────────────────────────────────────────────────

  /** A report of this session; see {@link generateReport}. */
  generateReport(format: ReportFormat, options?: ReportOptions): string {
    return generateReport(this, format, options);
  }

  /** The session at a glance. */
  summary(): ContextSummary {
    return summarize(this.sessionId, this.repoName, this.durationMs(), this.#executions.values(), this.findings);
  }

  /**
   * Calls `listener` after each change. Finding additions made directly on
   * `ctx.findings` are reported too. Returns a function that unsubscribes.
   */
  subscribe(listener: (event: ContextEvent) => void): () => void {
    (this.#listeners ??= new Set()).add(listener);
    const off = this.findings.subscribe((e) => listener(e.type === 'added' ? { type: 'findings-added', count: e.count } : { type: 'finding-fixed', id: e.id }));
    return () => {
      this.#listeners?.delete(listener);
      off();
    };
  }

  /**
   * Takes the bots, executions, shared data and completion of `stored` — the
   * same session as a storage holds it, changed by another process — and
   * keeps this context's findings (for a replica following a shared storage
   * without reading every finding again). Returns true, bumps `version` and
   * emits `state-synced` when anything differed. Throws a
   * {@link ValidationError} for another session.
   */
  syncState(stored: Context): boolean {
    if (stored.sessionId !== this.sessionId || stored.repoName !== this.repoName) {
      throw new ValidationError([{ code: 'other_session', path: ['sessionId'], message: `is "${stored.sessionId}", not this session "${this.sessionId}"` }], 'syncState');
    }
    const same =
      this.#completedAt === stored.#completedAt &&
      sameEntries(this.#bots, stored.#bots) &&
      sameEntries(this.#executions, stored.#executions) &&
      JSON.stringify([...this.#data]) === JSON.stringify([...stored.#data]);
    if (same) return false;
    this.#bots = stored.#bots.size === 0 ? NO_BOTS : new Map(stored.#bots);
    this.#executions = stored.#executions.size === 0 ? NO_EXECUTIONS : new Map(stored.#executions);
    this.#data = stored.#data.size === 0 ? NO_DATA : new Map(stored.#data);
    this.#completedAt = stored.#completedAt;
    this.#tierFindings = undefined;
    this.#changed();
    this.#emit({ type: 'state-synced' });
    return true;
  }

  // ── serialization ───────────────────────────────────────────────────────

  /** The serialized form: JSON as it is (`JSON.stringify(ctx)` works). */
  toJSON(): ContextJSON {
    return contextToJSON(this, this.#bots, this.#executions, this.#data);
  }

  /**
   * Reads a serialized context (the output of {@link Context.toJSON}), checking
   * every field and the consistency between them. Throws a
   * {@link ValidationError} naming each problem and `source` (a file name).
   */
  static fromJSON(value: unknown, options: ContextOptions & { readonly source?: string } = {}): Context {
    const source = options.source ?? 'Context.fromJSON';
    const { json, bots, executions, data } = decodeContextJSON(value, source);
    const ctx = new Context(json.repoName, json.repoPath, { ...options, sessionId: json.sessionId, startedAt: json.startedAt });
    addSerializedFindings(ctx.findings, json.findings, source);
    ctx.#bots = new Map(bots);
    ctx.#executions = new Map(executions);
    const keys = Object.keys(data);
    if (keys.length > 0) ctx.#data = new Map(keys.map((key) => [key, data[key] as JsonValue]));
    ctx.#completedAt = json.completedAt;
    ctx.#version++;
    return ctx;
  }

  // Checking and recording are two steps so that startBot can refuse, between
  // them, on its dependencies, with nothing changed, and no closure is made per transition.
  #checkTransition(id: BotId, to: ExecutionStatus): BotExecution {
    const prev = this.#executions.get(id);
    if (prev === undefined) throw new BotNotRegisteredError(id);
    if (!canTransition(prev.status, to)) throw new InvalidTransitionError(id, prev.status, to);
    return prev;
  }

  #record(id: BotId, prev: BotExecution, to: ExecutionStatus, next: BotExecution): void {
    this.#executions.set(id, next);
    this.#changed();
    // The event is built only when someone listens: transitions are on the start–complete hot path.
    if (this.#listeners !== undefined) this.#emit({ type: 'bot-transition', bot: id, from: prev.status, to });
  }

  #changed(): void {
    this.#version++;
    this.#executionList = undefined;
  }

  #emit(event: ContextEvent): void {
    if (this.#listeners === undefined) return;
    for (const l of this.#listeners) l(event);
  }

  #isoNow(): string {
    return isoTime(this.now());
  }
}
