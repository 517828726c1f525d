/**
 * Where a run is recorded as it happens. The scheduler keeps the session in
 * a Context of its own and says when it changed; a {@link RecordingQueue}
 * writes the changes through a {@link RunRecorder} (a storage that a
 * dashboard serves, or a dashboard's API) in the background, so a slow
 * storage never holds a bot back. Changes made while a write is under way
 * are written together by the next one.
 */
import type { BotId, Finding } from '@fleetkit/shared-context';
import { Context, sessionStateJSON } from '@fleetkit/shared-context';
import { RunStorageError } from './errors.js';

/** A destination of a run's changes. */
export interface RunRecorder {
  /** Where the session goes, for messages (a directory, a URL without password). */
  readonly location: string;
  /** The session's id where it is recorded, once opened (a dashboard names its own). */
  readonly sessionId: string | undefined;
  /** Creates the session: `initial` has the run's bots registered and nothing run yet. */
  open(initial: Context): Promise<void>;
  /** Stores findings a bot added. */
  appendFindings(ctx: Context, bot: BotId, findings: readonly Finding[]): Promise<void>;
  /** Stores the bots' states, the shared data and the completion of `state` (a copy of the session without its findings). */
  sync(state: Context): Promise<void>;
  /** After the last sync of a completed session: with `history`, adds it to its repository's history. */
  close(ctx: Context, options: { readonly history: boolean }): Promise<void>;
}

/**
 * Writes a run's changes in order, in the background. Findings are always
 * stored before any state that counts them, so a reader never sees a bot
 * completed without its findings. The first write that fails stops the rest
 * (later states without earlier ones would be a wrong record) and is kept as
 * {@link error}.
 */
export class RecordingQueue {
  readonly #recorder: RunRecorder;
  readonly #ctx: Context;
  #findings: { bot: BotId; findings: readonly Finding[] }[] = [];
  #dirty = false;
  #closing: { history: boolean } | undefined;
  #worker: Promise<void> | undefined;
  #opened: Promise<void>;
  #error: RunStorageError | undefined;

  /** Opens the session at once, from `ctx` as it is now. */
  constructor(recorder: RunRecorder, ctx: Context, initial: Context) {
    this.#recorder = recorder;
    this.#ctx = ctx;
    this.#opened = this.#guard('creating the session', () => recorder.open(initial));
  }

  /** Resolves once the session is created (or could not be: see {@link error}). */
  get opened(): Promise<void> {
    return this.#opened;
  }

  /** The first write that failed, if any. */
  get error(): RunStorageError | undefined {
    return this.#error;
  }

  /** The session changed; `findings` were added by `bot` in this change. */
  changed(bot?: BotId, findings: readonly Finding[] = []): void {
    if (bot !== undefined && findings.length > 0) this.#findings.push({ bot, findings });
    this.#dirty = true;
    this.#worker ??= this.#work();
  }

  /** Writes what is left and closes the session; resolves when every write is done. */
  async close(options: { readonly history: boolean }): Promise<void> {
    this.#closing = options;
    this.changed();
    while (this.#worker !== undefined) await this.#worker;
  }

  async #work(): Promise<void> {
    await this.#opened;
    while (this.#dirty && this.#error === undefined) {
      this.#dirty = false;
      // Taken together, synchronously: every bot completed in `state` has its findings in `batches` or stored before.
      const batches = this.#findings;
      this.#findings = [];
      const state = stateOf(this.#ctx);
      for (const b of batches) await this.#guard(`the findings of ${b.bot}`, () => this.#recorder.appendFindings(this.#ctx, b.bot, b.findings));
      await this.#guard('the bots\u2019 states', () => this.#recorder.sync(state));
    }
    const closing = this.#closing;
    if (closing !== undefined && !this.#dirty) await this.#guard('the end of the session', () => this.#recorder.close(this.#ctx, closing));
    this.#worker = undefined;
    if (this.#dirty && this.#error === undefined) this.#worker = this.#work();
  }

  async #guard(what: string, write: () => Promise<void>): Promise<void> {
    if (this.#error !== undefined) return;
    try {
      await write();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#error = new RunStorageError(`recording the run in ${this.#recorder.location} failed at ${what}: ${message}`, { cause: err });
    }
  }
}

/** A copy of the session's bots, executions, shared data and completion, without its findings (cheap whatever their number). */
export function stateOf(ctx: Context): Context {
  return Context.fromJSON(sessionStateJSON(ctx), { source: 'the run' });
}
