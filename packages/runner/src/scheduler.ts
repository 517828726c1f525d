/**
 * The scheduler: runs a plan's bots as real commands, each as soon as its
 * dependencies are done and a slot is free (at most `jobs` at once), and
 * records every step in a session. A bot whose dependency failed is skipped
 * with that reason, and so are its own dependents; a bot whose `files` match
 * nothing is skipped, and counts as done. Interrupting (the signal) ends
 * every running bot's process group, skips what has not started, and records
 * the session as interrupted.
 */
import os from 'node:os';
import pLimit from 'p-limit';
import type { BotId, Finding, JsonValue, Severity } from '@fleetkit/shared-context';
import { Context } from '@fleetkit/shared-context';
import type { BotRunOutcome } from './bot-run.js';
import { failureMessage, runBot } from './bot-run.js';
import { describeRejected } from './bot-output.js';
import { matchesAnyFile } from './file-match.js';
import type { FleetPlan, PlannedBot } from './fleet-plan.js';
import type { RunRecorder } from './recorder.js';
import { RecordingQueue, stateOf } from './recorder.js';
import type { BotResult, RunEvent, RunResult } from './run-result.js';

/** Options of {@link runFleet}. */
export interface RunFleetOptions {
  /** Bots run at once. @default the plan's `jobs`, else the number of cores */
  readonly jobs?: number;
  /** Aborting it interrupts the run. */
  readonly signal?: AbortSignal;
  /** Where the session is recorded as it changes. */
  readonly recorder?: RunRecorder;
  /** Told of each bot event, in order. */
  readonly onEvent?: (event: RunEvent) => void;
  /** Wait between SIGTERM and SIGKILL when a bot is ended, ms. @default 5000 */
  readonly killGraceMs?: number;
  /** The environment bots' `env` is added to. @default process.env */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** The session's id. @default a random UUID */
  readonly sessionId?: string;
}

/**
 * Runs every bot of `plan`; resolves when each one is completed, failed or
 * skipped. Never throws for what a bot does; throws a `RunStorageError`
 * before running anything when the recorder cannot create the session.
 */
export async function runFleet(plan: FleetPlan, options: RunFleetOptions = {}): Promise<RunResult> {
  const jobs = options.jobs ?? plan.jobs ?? os.availableParallelism();
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a whole number ≥ 1 (got ${jobs})`);
  return new FleetRun(plan, jobs, options).run();
}

const emptyCounts = (): Record<Severity, number> => ({ error: 0, warning: 0, info: 0, suggestion: 0 });

/** The state of one run; used once. */
class FleetRun {
  readonly #plan: FleetPlan;
  readonly #jobs: number;
  readonly #options: RunFleetOptions;
  readonly #ctx: Context;
  readonly #queue: RecordingQueue | undefined;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #bots: ReadonlyMap<BotId, PlannedBot>;
  readonly #dependents = new Map<BotId, BotId[]>();
  readonly #waiting = new Map<BotId, number>();
  readonly #results = new Map<BotId, BotResult>();
  // Dependencies that failed but allow failure: their dependents start anyway, by force.
  readonly #forced = new Set<BotId>();
  readonly #stop = new AbortController();
  #running = 0;
  #peak = 0;
  #interrupted = false;
  #settle: () => void = () => {};

  constructor(plan: FleetPlan, jobs: number, options: RunFleetOptions) {
    this.#plan = plan;
    this.#jobs = jobs;
    this.#options = options;
    this.#ctx = new Context(plan.repoName, plan.repoPath, options.sessionId === undefined ? {} : { sessionId: options.sessionId });
    this.#limit = pLimit(jobs);
    this.#bots = new Map(plan.bots.map((b) => [b.id, b]));
    for (const b of plan.bots) {
      this.#ctx.registerBot(b.id, { ...b.info, categories: [...b.info.categories], dependsOn: [...b.info.dependsOn] });
      this.#waiting.set(b.id, b.info.dependsOn.length);
      for (const d of b.info.dependsOn) {
        const list = this.#dependents.get(d);
        if (list === undefined) this.#dependents.set(d, [b.id]);
        else list.push(b.id);
      }
    }
    // The session is created as it is now (bots registered, nothing run), whenever the write happens.
    this.#queue = options.recorder === undefined ? undefined : new RecordingQueue(options.recorder, this.#ctx, stateOf(this.#ctx));
  }

  async run(): Promise<RunResult> {
    // A destination that cannot even create the session refuses the run before any bot starts.
    await this.#queue?.opened;
    if (this.#queue?.error !== undefined) throw this.#queue.error;
    const started = performance.now();
    const signal = this.#options.signal;
    const onAbort = (): void => this.#interrupt();
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const all = new Promise<void>((resolve) => (this.#settle = resolve));
      if (this.#results.size < this.#plan.bots.length) {
        for (const b of this.#plan.bots) if (this.#waiting.get(b.id) === 0 && !this.#results.has(b.id)) this.#schedule(b);
        await all;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const wallMs = performance.now() - started;
    this.#finish(wallMs);
    // An interrupted run's durations are cut short: they would mislead the slow-run anomalies of later runs.
    await this.#queue?.close({ history: !this.#interrupted });
    const bots = this.#plan.bots.map((b) => this.#results.get(b.id)!);
    return {
      ctx: this.#ctx,
      bots,
      interrupted: this.#interrupted,
      failed: bots.filter((b) => b.status === 'failed' && !b.allowFailure).map((b) => b.id),
      jobs: this.#jobs,
      peakConcurrency: this.#peak,
      wallMs,
      recordingError: this.#queue?.error,
      recordedAs: this.#options.recorder?.sessionId,
    };
  }

  #schedule(bot: PlannedBot): void {
    void this.#limit(() => this.#runOne(bot));
  }

  async #runOne(bot: PlannedBot): Promise<void> {
    if (this.#interrupted || this.#results.has(bot.id)) return;
    if (bot.files !== undefined && !(await matchesAnyFile(bot.files, this.#plan.repoPath))) {
      this.#skip(bot.id, `no file matches its files (${bot.files.map((g) => JSON.stringify(g)).join(', ')})`, true);
      return;
    }
    if (this.#interrupted) return;
    const force = bot.info.dependsOn.some((d) => this.#forced.has(d));
    this.#ctx.startBot(bot.id, { force });
    this.#emit({ type: 'started', bot: bot.id });
    this.#queue?.changed();
    this.#peak = Math.max(this.#peak, ++this.#running);
    let outcome: BotRunOutcome;
    try {
      outcome = await runBot(bot, { signal: this.#stop.signal, killGraceMs: this.#options.killGraceMs, baseEnv: this.#options.baseEnv });
    } finally {
      this.#running--;
    }
    if (outcome.status === 'completed') this.#complete(bot, outcome);
    else this.#fail(bot, outcome);
  }

  #complete(bot: PlannedBot, outcome: Extract<BotRunOutcome, { status: 'completed' }>): void {
    let added: Finding[];
    try {
      added = this.#ctx.addFindings(outcome.findings);
    } catch (err) {
      this.#fail(bot, { status: 'failed', cause: 'output', reason: `its findings could not be added: ${err instanceof Error ? err.message : String(err)}`, exitCode: outcome.exitCode, stderrTail: outcome.stderrTail });
      return;
    }
    const counts = emptyCounts();
    const files = new Set<string>();
    let own = 0;
    for (const f of added) {
      if (f.source !== bot.id) continue;
      own++;
      counts[f.severity]++;
      if (f.file !== undefined) files.add(f.file);
    }
    this.#ctx.completeBot(bot.id, { findings: own, errors: counts.error, files: files.size });
    const execution = this.#ctx.execution(bot.id);
    const durationMs = execution?.status === 'completed' ? execution.durationMs : 0;
    for (const message of describeRejected(outcome.rejected)) this.#emit({ type: 'warning', bot: bot.id, message: `rejected record ${message}` });
    this.#results.set(bot.id, { id: bot.id, status: 'completed', allowFailure: bot.allowFailure, durationMs, findings: own, severities: counts, rejected: outcome.rejected.length, format: outcome.format, exitCode: outcome.exitCode });
    this.#emit({ type: 'completed', bot: bot.id, durationMs, findings: own, severities: counts, rejected: outcome.rejected.length });
    this.#queue?.changed(bot.id, added);
    this.#released(bot.id);
  }

  #fail(bot: PlannedBot, outcome: Extract<BotRunOutcome, { status: 'failed' }>): void {
    this.#ctx.failBot(bot.id, failureMessage(outcome));
    const execution = this.#ctx.execution(bot.id);
    const durationMs = execution?.status === 'failed' ? execution.durationMs : 0;
    this.#results.set(bot.id, { id: bot.id, status: 'failed', allowFailure: bot.allowFailure, durationMs, findings: 0, severities: emptyCounts(), rejected: 0, reason: outcome.reason, cause: outcome.cause, stderrTail: outcome.stderrTail, exitCode: outcome.exitCode });
    this.#emit({ type: 'failed', bot: bot.id, durationMs, reason: outcome.reason, stderrTail: outcome.stderrTail, allowFailure: bot.allowFailure });
    this.#queue?.changed();
    if (bot.allowFailure) {
      this.#forced.add(bot.id);
      this.#released(bot.id);
    } else {
      this.#skipDependents(bot.id, `dependency "${bot.id}" failed`);
    }
  }

  /** Skips a bot that has not started. `done`: it counts as done for its dependents (nothing to run), else they are skipped too. */
  #skip(id: BotId, reason: string, done: boolean): void {
    if (this.#results.has(id)) return;
    this.#ctx.skipBot(id, reason);
    this.#results.set(id, { id, status: 'skipped', allowFailure: this.#bots.get(id)?.allowFailure ?? false, durationMs: 0, findings: 0, severities: emptyCounts(), rejected: 0, reason });
    this.#emit({ type: 'skipped', bot: id, reason });
    this.#queue?.changed();
    if (done) this.#released(id);
    else this.#skipDependents(id, `dependency "${id}" was skipped (${reason})`);
  }

  #skipDependents(id: BotId, reason: string): void {
    for (const d of this.#dependents.get(id) ?? []) this.#skip(d, reason, false);
    this.#check();
  }

  /** `id` is done: dependents whose dependencies are now all done become ready. */
  #released(id: BotId): void {
    for (const d of this.#dependents.get(id) ?? []) {
      const left = (this.#waiting.get(d) ?? 1) - 1;
      this.#waiting.set(d, left);
      if (left === 0 && !this.#results.has(d) && !this.#interrupted) this.#schedule(this.#bots.get(d)!);
    }
    this.#check();
  }

  #check(): void {
    if (this.#results.size === this.#plan.bots.length) this.#settle();
  }

  #interrupt(): void {
    if (this.#interrupted) return;
    this.#interrupted = true;
    this.#limit.clearQueue();
    this.#stop.abort();
    // Running bots end through the signal and are recorded failed; nothing else will start.
    for (const b of this.#plan.bots) if (this.#ctx.execution(b.id)?.status === 'pending') this.#skip(b.id, 'the run was interrupted before it started', true);
    this.#check();
  }

  #finish(wallMs: number): void {
    const data: Record<string, JsonValue> = {
      status: this.#interrupted ? 'interrupted' : 'completed',
      configFile: this.#plan.configFile,
      jobs: this.#jobs,
      peakConcurrency: this.#peak,
      wallMs: Math.round(wallMs),
      bots: Object.fromEntries(
        [...this.#results.values()].map((r) => [r.id, { status: r.status, exitCode: r.exitCode ?? null, format: r.format ?? null, rejected: r.rejected, cause: r.cause ?? null, stderrTail: r.stderrTail?.slice(-2000) ?? null }]),
      ),
    };
    this.#ctx.setData('fleet.run', data);
    this.#ctx.completeSession();
  }

  #emit(event: RunEvent): void {
    this.#options.onEvent?.(event);
  }
}


