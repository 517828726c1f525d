/**
 * How the store reads a session and keeps the copy it holds current, in one
 * of two ways picked by the storage:
 *
 * - {@link WholeSessions}: the whole `Context`, findings and all. For a
 *   storage that answers queries from memory anyway (files), so the copy held
 *   here serves the findings explorer and no second copy is made.
 * - {@link CountedSessions}: the lifecycle state and counts of the findings
 *   ({@link CountedSession}). For a database, which filters and pages findings
 *   in SQL: a replica then holds a few kilobytes per session, whatever its
 *   size, and learns of new findings by counting them, not reading them.
 */
import { StorageError, tallyGroupsOf } from '@fleetkit/shared-context';
import type { Context, SessionStorage, TallyGroup } from '@fleetkit/shared-context';
import { CountedFindings, CountedSession } from './counted-session.js';
import type { HeldSession } from './counted-session.js';

/** Reads sessions of a storage and brings copies of them up to date. */
export interface SessionReader<H extends HeldSession = HeldSession> {
  /** A fresh copy of the stored session; throws NotFoundError. */
  read(sessionId: string): Promise<H>;
  /** The copy to hold of a session just created here (and stored) as `ctx`. */
  created(ctx: Context): H;
  /**
   * Adds what is stored after what `held` has. False when `held` is not a
   * beginning of what is stored (it must be read again).
   */
  catchUp(sessionId: string, held: H): Promise<boolean>;
  /** Takes in that these findings were fixed. False when `held` must be read again. */
  fixed(sessionId: string, held: H, findingIds: readonly string[]): Promise<boolean>;
  /**
   * Takes in the counts of a batch that comes right after what `held` has
   * (as the storage handed them back). A whole session cannot (it needs the
   * findings themselves): the catch-up that follows reads them.
   */
  add(held: H, tally: readonly TallyGroup[]): void;
  /** Takes the stored bots, executions, data and completion into `held` (no findings are read). */
  restate(sessionId: string, held: H): Promise<void>;
  /** `held` as a whole session with its findings, when it is one (else undefined: read them from the storage). */
  wholeOf(held: H): Context | undefined;
}

// Findings fetched per query when catching up with a whole session.
const SYNC_PAGE = 10_000;

/** Whole sessions, findings and all (for a storage that queries in memory). */
export class WholeSessions implements SessionReader<Context> {
  readonly #storage: SessionStorage;

  constructor(storage: SessionStorage) {
    this.#storage = storage;
  }

  read(sessionId: string): Promise<Context> {
    return this.#storage.loadSession(sessionId);
  }

  created(ctx: Context): Context {
    return ctx;
  }

  async catchUp(sessionId: string, held: Context): Promise<boolean> {
    for (;;) {
      const size = held.findings.size;
      // From the storage itself (never from the copy held here): this is how the copy learns what is new.
      const page = await this.#storage.queryFindings(sessionId, {}, { afterSeq: size, limit: SYNC_PAGE });
      if (page.items.length === 0) return true;
      // Sequence numbers are positions: a gap means this copy is not what is stored.
      if (page.seqs[0] !== size + 1) return false;
      held.addFindings(page.items);
      if (!page.more) return true;
    }
  }

  async fixed(sessionId: string, held: Context, findingIds: readonly string[]): Promise<boolean> {
    // Not held yet: the findings that hold it are still to come.
    if (findingIds.some((id) => !held.findings.has(id)) && !(await this.catchUp(sessionId, held))) return false;
    for (const id of findingIds) if (held.findings.has(id)) held.markFixed(id);
    return true;
  }

  add(): void {
    // Counts are no findings: the catch-up after an append reads them.
  }

  async restate(sessionId: string, held: Context): Promise<void> {
    held.syncState(await this.#storage.loadSession(sessionId, { findings: false }));
  }

  wholeOf(held: Context): Context {
    return held;
  }
}

/** Sessions as state and counts (for a storage that queries in SQL). */
export class CountedSessions implements SessionReader<CountedSession> {
  readonly #storage: SessionStorage;

  constructor(storage: SessionStorage) {
    this.#storage = storage;
  }

  async read(sessionId: string): Promise<CountedSession> {
    const held = new CountedSession(await this.#storage.loadSession(sessionId, { findings: false }), new CountedFindings());
    // From 0 in one statement the count is the session's: anything else is a storage breaking its own contract.
    if (!(await this.catchUp(sessionId, held))) throw new StorageError(this.#storage.location, `session "${sessionId}": the sequence numbers of its findings have gaps`);
    return held;
  }

  created(ctx: Context): CountedSession {
    const held = new CountedSession(ctx, new CountedFindings());
    held.findings.append(tallyGroupsOf(ctx.findings));
    return held;
  }

  async catchUp(sessionId: string, held: CountedSession): Promise<boolean> {
    const size = held.findings.size;
    const tally = await this.#storage.tallyFindings(sessionId, {}, { afterSeq: size });
    let counted = 0;
    for (const g of tally.groups) counted += g.count;
    // Sequence numbers are positions with no gaps: anything else means this copy is not what is stored.
    if (tally.lastSeq < size || counted !== tally.lastSeq - size) return false;
    held.findings.append(tally.groups);
    return true;
  }

  async fixed(sessionId: string, held: CountedSession, findingIds: readonly string[]): Promise<boolean> {
    // Counted first, so the recount below covers the findings fixed.
    if (!(await this.catchUp(sessionId, held))) return false;
    // A recount, not a decrement: a notice may come twice, or after a count that had the fix already.
    const tally = await this.#storage.tallyFindings(sessionId, { fixed: true }, { throughSeq: held.findings.size });
    held.findings.setFixed(tally.groups, findingIds.at(-1)!);
    return true;
  }

  add(held: CountedSession, tally: readonly TallyGroup[]): void {
    held.findings.append(tally);
  }

  async restate(sessionId: string, held: CountedSession): Promise<void> {
    held.state.syncState(await this.#storage.loadSession(sessionId, { findings: false }));
  }

  wholeOf(): undefined {
    return undefined;
  }
}

/** The reader a storage calls for: whole sessions when it queries in memory, counted ones otherwise. */
export function readerFor(storage: SessionStorage): SessionReader {
  return storage.queriesInMemory ? (new WholeSessions(storage) as SessionReader<Context>) : new CountedSessions(storage);
}
