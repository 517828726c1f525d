/**
 * Context: one analysis session of one repository. It holds the registered
 * bots and their execution records, the findings, and data the bots share.
 * Every change bumps `version`, which caches (health, reports, the dashboard)
 * compare to know whether what they hold is still current.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { BotId, BotInfo } from '../bots/roster.js';
import { botInfo, rosterIndex, STANDARD_BOTS } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import { tierOrder } from '../bots/tier.js';
import { BotNotRegisteredError, InvalidTransitionError, ValidationError } from '../errors.js';
import type { Finding, FindingInput } from '../findings/finding.js';
import { FindingSet } from '../findings/finding-set.js';
import type { Issue } from '../issue.js';
import type { JsonValue } from '../json-value.js';
import { copyJson, setOwn } from '../json-value.js';
import { ContextHealthCache } from '../health/cache.js';
import type { HealthCacheStats } from '../health/cache.js';
import type { HealthCheckOptions } from '../health/options.js';
import type { FleetHealth } from '../health/types.js';
import { generateReport } from '../report/generate.js';
import type { ReportFormat, ReportOptions } from '../report/options.js';
import { parseWith } from '../validate.js';
import type { BotExecution, ExecutionStatus } from './execution.js';
import { canTransition, isDone } from './execution.js';
import type { BotInfoInput, ContextJSON } from './schema.js';
import { BotIdSchema, BotInfoInputSchema, CompletionSchema, CONTEXT_SCHEMA_VERSION, ContextJSONSchema } from './schema.js';

/** Options of a {@link Context}. */
export interface ContextOptions {
  /** Session id. @default a random UUID */
  readonly sessionId?: string;
  /** Clock in epoch milliseconds; inject one for reproducible tests. @default Date.now */
  readonly now?: () => number;
  /** Ids of findings added without one; see `CreateFindingOptions.newId`. @default random UUIDs */
  readonly newId?: () => string;
  /** When the session started, ISO 8601. @default now */
  readonly startedAt?: string;
  /** Time a health check may be served from cache, in ms; 0 disables caching. @default 5000 */
  readonly healthTtlMs?: number;
}

/** Counts of what a bot reported when it completed. */
export interface CompletionCounts {
  /** Findings the bot produced. */
  readonly findings: number;
  /** Error findings the bot produced. */
  readonly errors: number;
  /** Files the bot analysed. */
  readonly files: number;
}

/** The session at a glance. */
export interface ContextSummary {
  readonly sessionId: string;
  readonly repoName: string;
  /** Session duration in ms; null until the session is completed. */
  readonly durationMs: number | null;
  /** Bots that completed. */
  readonly botsRun: number;
  /** Bots that failed. */
  readonly botsFailed: number;
  readonly totalFindings: number;
  readonly totalErrors: number;
  readonly totalWarnings: number;
  /** Files analysed, summed over completed bots. */
  readonly totalFilesAnalyzed: number;
  /** True while an unfixed error finding remains. */
  readonly blocksRelease: boolean;
}

/** What changed in a context; see {@link Context.subscribe}. */
export type ContextEvent =
  | { readonly type: 'bot-registered'; readonly bot: BotId }
  | { readonly type: 'bot-transition'; readonly bot: BotId; readonly from: ExecutionStatus; readonly to: ExecutionStatus }
  | { readonly type: 'findings-added'; readonly count: number }
  | { readonly type: 'finding-fixed'; readonly id: string }
  | { readonly type: 'data-set'; readonly key: string }
  | { readonly type: 'session-completed' };

const NO_OPTIONS: ContextOptions = Object.freeze({});

// Reads Date.now at each call (not once), so fake timers and clock changes are seen.
const systemNow = (): number => Date.now();

function constructorIssues(repoName: unknown, repoPath: unknown, ttl: number): Issue[] {
  const issues: Issue[] = [];
  if (typeof repoName !== 'string' || repoName.length === 0) issues.push({ code: 'invalid_type', path: ['repoName'], message: 'must be a non-empty string' });
  if (typeof repoPath !== 'string') issues.push({ code: 'invalid_type', path: ['repoPath'], message: 'must be a string' });
  if (!Number.isFinite(ttl) || ttl < 0) issues.push({ code: 'too_small', path: ['options', 'healthTtlMs'], message: 'must be a finite number ≥ 0' });
  return issues;
}

/** A session: bots, their executions, findings and shared data. */
export class Context {

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
  readonly #bots = new Map<BotId, BotInfo>();
  readonly #executions = new Map<BotId, BotExecution>();
  readonly #data = new Map<string, JsonValue>();
  #version = 0;
  #executionList: readonly BotExecution[] | undefined;
  // Allocated on first use: most contexts never need them, and creation is on the hot path.
  #tierFindings: Map<Tier, { version: number; list: readonly Finding[] }> | undefined;
  #listeners: Set<(event: ContextEvent) => void> | undefined;
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
    this.#startedAt ??= new Date(this.#startedAtMs).toISOString();
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
    // Roster ids are known-good: only custom ids and custom info go through zod.
    const standard = typeof id === 'string' ? botInfo(id) : undefined;
    const botId = standard?.id ?? parseWith(BotIdSchema, id, { source: 'registerBot', path: ['id'] });
    let resolved: BotInfo;
    if (standard !== undefined && info === undefined) {
      resolved = standard;
    } else {
      const given = parseWith(BotInfoInputSchema, info ?? {}, { source: 'registerBot', path: ['info'] });
      if (given.id !== undefined && given.id !== botId) {
        throw new ValidationError([{ code: 'custom', path: ['info', 'id'], message: `must match the bot id "${botId}"` }], 'registerBot');
      }
      resolved = Object.freeze({
        id: botId,
        name: given.name ?? standard?.name ?? botId,
        description: given.description ?? standard?.description ?? '',
        version: given.version ?? standard?.version ?? '0.0.0',
        tier: given.tier ?? standard?.tier ?? 'custom',
        categories: Object.freeze([...(given.categories ?? standard?.categories ?? [])]),
        canFix: given.canFix ?? standard?.canFix ?? false,
        dependsOn: Object.freeze([...(given.dependsOn ?? standard?.dependsOn ?? [])]),
      });
    }
    this.#bots.set(botId, resolved);
    this.#executions.set(botId, { bot: botId, status: 'pending' });
    this.#changed({ type: 'bot-registered', bot: botId });
    return resolved;
  }

  /** Registers the eleven standard bots (all of the roster but `oikosbot`). */
  registerAllBots(): void {
    for (const id of STANDARD_BOTS) this.registerBot(id);
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
    return this.#bots.get(id)?.tier ?? botInfo(id)?.tier ?? 'custom';
  }

  /** pending → running. */
  startBot(id: BotId): void {
    this.#transition(id, 'running', () => ({ bot: id, status: 'running', startedAt: this.#isoNow() }));
  }

  /** running → completed, with what the bot reports. */
  completeBot(id: BotId, counts: CompletionCounts): void {
    const c = parseWith(CompletionSchema, counts, { source: 'completeBot', path: ['counts'] });
    this.#transition(id, 'completed', (prev) => {
      const startedAt = (prev as { startedAt: string }).startedAt;
      const end = this.now();
      return {
        bot: id,
        status: 'completed',
        startedAt,
        completedAt: new Date(end).toISOString(),
        durationMs: Math.max(0, end - Date.parse(startedAt)),
        findingsCount: c.findings,
        errorsCount: c.errors,
        filesAnalyzed: c.files,
      };
    });
  }

  /** running → failed. */
  failBot(id: BotId, message: string): void {
    this.#transition(id, 'failed', (prev) => {
      const startedAt = (prev as { startedAt: string }).startedAt;
      const end = this.now();
      return { bot: id, status: 'failed', startedAt, completedAt: new Date(end).toISOString(), durationMs: Math.max(0, end - Date.parse(startedAt)), error: String(message) };
    });
  }

  /** pending → skipped. */
  skipBot(id: BotId, reason: string): void {
    this.#transition(id, 'skipped', () => ({ bot: id, status: 'skipped', completedAt: this.#isoNow(), reason: String(reason) }));
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
    for (const [id, info] of this.#bots) if (info.tier === 'verifier' && !isDone(this.#executions.get(id))) return false;
    return true;
  }

  /** Pending bots whose dependencies are all done, by tier order, then roster order. */
  readyBots(): BotId[] {
    const ready: BotId[] = [];
    for (const [id, info] of this.#bots) {
      if (this.#executions.get(id)?.status !== 'pending') continue;
      if (info.dependsOn.every((dep) => isDone(this.#executions.get(dep)))) ready.push(id);
    }
    const reg = [...this.#bots.keys()];
    return ready.sort(
      (a, b) =>
        tierOrder(this.tierOf(a)) - tierOrder(this.tierOf(b)) ||
        rosterIndex(a) - rosterIndex(b) ||
        reg.indexOf(a) - reg.indexOf(b),
    );
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
    const list: Finding[] = [];
    for (const source of this.findings.sources()) if (this.tierOf(source) === tier) list.push(...this.findings.bySource(source));
    const frozen = Object.freeze(list);
    (this.#tierFindings ??= new Map()).set(tier, { version: v, list: frozen });
    return frozen;
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
    const issues: Issue[] = [];
    if (typeof key !== 'string' || key.length === 0) issues.push({ code: 'invalid_type', path: ['key'], message: 'must be a non-empty string' });
    const copy = copyJson(value, ['value'], issues);
    if (value === undefined) issues.push({ code: 'invalid_type', path: ['value'], message: 'undefined is not JSON' });
    if (issues.length > 0) throw new ValidationError(issues, 'setData');
    this.#data.set(key, copy as JsonValue);
    this.#changed({ type: 'data-set', key });
  }

  /** Reads shared data; validated against `schema` when one is given. */
  getData(key: string): JsonValue | undefined;
  getData<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined;
  getData(key: string, schema?: z.ZodType): unknown {
    const value = this.#data.get(key);
    if (value === undefined || schema === undefined) return value;
    return parseWith(schema, value, { source: `getData(${JSON.stringify(key)})` });
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
    this.#changed({ type: 'session-completed' });
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
    this.#health ??= new ContextHealthCache();
    return this.#health.check(this, options);
  }

  /** Hits, misses and invalidations of this context's health cache, and the cached entry's age. */
  healthCacheStats(): HealthCacheStats {
    this.#health ??= new ContextHealthCache();
    return this.#health.stats(this.now());
  }

  // ── reports ─────────────────────────────────────────────────────────────

  /** A report of this session; see {@link generateReport}. */
  generateReport(format: ReportFormat, options?: ReportOptions): string {
    return generateReport(this, format, options);
  }

  /** The session at a glance. */
  summary(): ContextSummary {
    let botsRun = 0;
    let botsFailed = 0;
    let files = 0;
    for (const e of this.#executions.values()) {
      if (e.status === 'completed') {
        botsRun++;
        files += e.filesAnalyzed;
      } else if (e.status === 'failed') botsFailed++;
    }
    const counts = this.findings.countBySeverity();
    return {
      sessionId: this.sessionId,
      repoName: this.repoName,
      durationMs: this.durationMs(),
      botsRun,
      botsFailed,
      totalFindings: this.findings.size,
      totalErrors: counts.error,
      totalWarnings: counts.warning,
      totalFilesAnalyzed: files,
      blocksRelease: this.blocksRelease(),
    };
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

  /** The serialized form: JSON as it is (`JSON.stringify(ctx)` works). */
  toJSON(): ContextJSON {
    const data: Record<string, JsonValue> = {};
    for (const [k, v] of this.#data) setOwn(data, k, v);
    return {
      schemaVersion: CONTEXT_SCHEMA_VERSION,
      sessionId: this.sessionId,
      repoName: this.repoName,
      repoPath: this.repoPath,
      startedAt: this.startedAt,
      completedAt: this.#completedAt,
      bots: [...this.#bots.values()] as ContextJSON['bots'],
      executions: [...this.#executions.values()],
      findings: this.findings.all() as ContextJSON['findings'],
      data,
    };
  }

  /**
   * Reads a serialized context (the output of {@link Context.toJSON}), checking
   * every field and the consistency between them. Throws a
   * {@link ValidationError} naming each problem and `source` (a file name).
   */
  static fromJSON(value: unknown, options: ContextOptions & { readonly source?: string } = {}): Context {
    const json = parseWith(ContextJSONSchema, value, { source: options.source ?? 'Context.fromJSON' });
    const issues: Issue[] = [];
    const bots = new Map<BotId, BotInfo>();
    json.bots.forEach((b, i) => {
      if (bots.has(b.id)) issues.push({ code: 'duplicate', path: ['bots', i, 'id'], message: `bot "${b.id}" is listed twice` });
      bots.set(b.id, Object.freeze({ ...b, categories: Object.freeze(b.categories), dependsOn: Object.freeze(b.dependsOn) }));
    });
    const executions = new Map<BotId, BotExecution>();
    json.executions.forEach((e, i) => {
      if (!bots.has(e.bot)) issues.push({ code: 'unknown_bot', path: ['executions', i, 'bot'], message: `bot "${e.bot}" has an execution but is not in "bots"` });
      if (executions.has(e.bot)) issues.push({ code: 'duplicate', path: ['executions', i, 'bot'], message: `bot "${e.bot}" has two executions` });
      executions.set(e.bot, e);
    });
    for (const id of bots.keys()) if (!executions.has(id)) issues.push({ code: 'missing_execution', path: ['executions'], message: `bot "${id}" has no execution record` });
    const data = copyJson(json.data, ['data'], issues) as Record<string, JsonValue> | undefined;
    if (issues.length > 0) throw new ValidationError(issues, options.source ?? 'Context.fromJSON');
    const ctx = new Context(json.repoName, json.repoPath, { ...options, sessionId: json.sessionId, startedAt: json.startedAt });
    try {
      ctx.findings.addAll(json.findings);
    } catch (err) {
      if (err instanceof ValidationError) throw new ValidationError(err.issues, options.source ?? 'Context.fromJSON', { cause: err });
      throw err;
    }
    for (const [id, info] of bots) ctx.#bots.set(id, info);
    for (const [id, e] of executions) ctx.#executions.set(id, e);
    for (const key of Object.keys(data ?? {})) ctx.#data.set(key, (data as Record<string, JsonValue>)[key] as JsonValue);
    ctx.#completedAt = json.completedAt;
    ctx.#version++;
    return ctx;
  }

  #transition(id: BotId, to: ExecutionStatus, next: (prev: BotExecution) => BotExecution): void {
    const prev = this.#executions.get(id);
    if (prev === undefined) throw new BotNotRegisteredError(id);
    if (!canTransition(prev.status, to)) throw new InvalidTransitionError(id, prev.status, to);
    this.#executions.set(id, next(prev));
    this.#changed({ type: 'bot-transition', bot: id, from: prev.status, to });
  }

  #changed(event: ContextEvent): void {
    this.#version++;
    this.#executionList = undefined;
    this.#emit(event);
  }

  #emit(event: ContextEvent): void {
    if (this.#listeners === undefined) return;
    for (const l of this.#listeners) l(event);
  }

  #isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
