/**
 * Counts of a session's findings matching a filter (a findings page's
 * `total`), kept and brought up to date instead of counted again: a count
 * scans every match, and a running session changes with every batch.
 *
 * Exact because findings are only appended, fixed, or replaced with their
 * session: a count of the findings up to sequence number N stays right while
 * they are not replaced (the session's `generation`, new whenever the
 * session is stored whole or made again) and, for a `fixed` filter, none is
 * fixed (its `fixes`, bumped by every fix); new findings are counted by
 * their sequence numbers alone. Migration 4 adds both.
 */
import type { Sql } from 'postgres';
import { LRUCache } from 'lru-cache';
import { NotFoundError, botsOfTier, filterKey } from '@fleetkit/shared-context';
import type { BotInfo, FindingFilters } from '@fleetkit/shared-context';
import type { Fragment } from './filters-sql.js';

/** What a page query reads of its session with the page (one snapshot). */
export interface SessionMarks {
  readonly session_last_seq: number;
  /** New whenever the session's findings are replaced (migration 4). */
  readonly session_generation: number;
  /** Bumped by every fix of one of its findings (migration 4). */
  readonly session_fixes: number;
}

/** A count kept: of the matches through `through`, as of the session's generation and fixes. */
interface KeptTotal {
  readonly generation: number;
  readonly fixes: number;
  readonly through: number;
  readonly n: number;
}

/** Kept counts of one storage's queries (bounded: the most recently used filters). */
export class KeptTotals {
  readonly #sql: Sql<{ int8: number }>;
  readonly #kept = new LRUCache<string, KeptTotal>({ max: 1024 });
  readonly #counting = new Map<string, Promise<KeptTotal>>();

  constructor(sql: Sql<{ int8: number }>) {
    this.#sql = sql;
  }

  /**
   * Findings matching `filters` among the session's first `marks.session_last_seq`.
   * A count scans every match, so counts are kept and brought to the page's
   * last sequence number by counting only the findings between the two, while
   * the findings counted are unchanged: the session's generation (new when its
   * findings are replaced) is the same, and for a `fixed` filter its count of
   * fixes too. Concurrent askers of a count that must be made whole share one.
   */
  async total(sessionId: string, marks: SessionMarks, filters: FindingFilters, bots: readonly BotInfo[], where: Fragment): Promise<number> {
    // A tier is the bots in it when asked: a bot registered later changes which findings it holds.
    const key = `${sessionId}\u0000${filterKey(filters)}${filters.tier === undefined ? '' : `\u0000${JSON.stringify(botsOfTier(bots, filters.tier))}`}`;
    const byFixed = filters.fixed !== undefined;
    const through = marks.session_last_seq;
    const kept = this.#kept.get(key);
    const fits = kept !== undefined && kept.generation === marks.session_generation && (!byFixed || kept.fixes === marks.session_fixes);
    const base = fits ? kept : await this.#wholeCount(key, sessionId, through, where);
    if (base.through === through) return base.n;
    // The findings between the count kept and this page's end, on either side (a page may have read before it).
    const [lo, hi] = base.through < through ? [base.through, through] : [through, base.through];
    const row = await this.#countIn(sessionId, where, lo, hi);
    // Changed since it was counted: counted whole again, to this page's end.
    if (row.generation !== base.generation || (byFixed && row.fixes !== base.fixes)) {
      const whole = await this.#countIn(sessionId, where, 0, through);
      this.#kept.set(key, { generation: whole.generation, fixes: whole.fixes, through, n: whole.n });
      return whole.n;
    }
    const n = base.through < through ? base.n + row.n : base.n - row.n;
    if (through > base.through) this.#kept.set(key, { generation: row.generation, fixes: row.fixes, through, n });
    return n;
  }

  /** Counts the matches through `through` and keeps the count; one at a time per key (others asking share it). */
  #wholeCount(key: string, sessionId: string, through: number, where: Fragment): Promise<KeptTotal> {
    let counting = this.#counting.get(key);
    if (counting === undefined) {
      counting = this.#countIn(sessionId, where, 0, through).then((row) => {
        const total = { generation: row.generation, fixes: row.fixes, through, n: row.n };
        this.#kept.set(key, total);
        return total;
      });
      this.#counting.set(key, counting);
      const done = counting;
      void done.catch(() => undefined).finally(() => {
        if (this.#counting.get(key) === done) this.#counting.delete(key);
      });
    }
    return counting;
  }

  /** Matches with sequence numbers in (lo, hi], with the session's generation and fixes read in the same statement. */
  async #countIn(sessionId: string, where: Fragment, lo: number, hi: number): Promise<{ generation: number; fixes: number; n: number }> {
    const [row] = await this.#sql<{ generation: number; fixes: number; n: number }[]>`
      SELECT s.generation, s.fixes,
        (SELECT count(*)::int8 FROM fleetkit_findings WHERE ${where} AND seq > ${lo} AND seq <= ${hi}) AS n
      FROM fleetkit_sessions s WHERE s.session_id = ${sessionId}`;
    if (row === undefined) throw new NotFoundError('session', sessionId);
    return row;
  }
}
