/**
 * Appends to one session, grouped. The session row's lock orders appends, and
 * it is held until commit, durable commit included: one transaction per
 * batch would pay a WAL flush per batch, one after the other. So batches
 * for a session that arrive while one call is running wait, and go together
 * in the next call (`fleetkit_append`, one round trip, one commit); each is
 * still answered on its own (its range, or its replay). A group that fails
 * on a duplicate finding id is retried batch by batch, so only the batch at
 * fault fails, as if each had been sent alone.
 */
import type { Sql } from 'postgres';
import { IdempotencyKeyReusedError, NotFoundError, StorageError, tallyGroupsOf } from '@fleetkit/shared-context';
import type { AppendResult, Finding, TallyGroup } from '@fleetkit/shared-context';
import { arrayLiterals, columnBodies } from './finding-rows.js';

/** A validated batch waiting for its group. */
export interface QueuedBatch {
  readonly findings: readonly Finding[];
  readonly key: string | undefined;
  readonly fingerprint: string;
}

/**
 * A batch in the queue, as made on arrival: its rows' text and its counts,
 * not its finding objects. A batch may wait through several young-generation
 * collections while earlier groups run; what it holds meanwhile is copied
 * by each, so it holds one flat string per column, its ids (for an error
 * naming a duplicate) and its counts, not 10,000 finding objects.
 */
interface Waiting {
  readonly key: string | undefined;
  readonly fingerprint: string;
  /** The batch's finding ids, in order (so also its size). */
  readonly ids: readonly string[];
  readonly tally: readonly TallyGroup[];
  /** The batch's columns as array-literal bodies. */
  readonly columns: readonly string[];
  resolve(r: AppendResult): void;
  reject(err: unknown): void;
}

interface AppendRow {
  batch: number;
  added: number;
  first_seq: number;
  replayed: boolean;
  fingerprint: string | null;
}

/** A group stops growing past this many findings (bounded statements and memory); a larger batch still goes alone. */
const GROUP_FINDINGS = 20_000;

/** Runs `fleetkit_append` for the groups of each session, one group of a session at a time. */
export class AppendQueue {
  readonly #sql: Sql<{ int8: number }>;
  readonly #errorOf: (err: unknown, sessionId: string, ids: readonly string[]) => Promise<unknown>;
  readonly #queues = new Map<string, Waiting[]>();
  readonly #unavailable: (err: unknown) => boolean;

  /**
   * @param errorOf turns a failed call into the error a batch of it gets (a
   *   duplicate id into a ValidationError naming it, a lost connection into
   *   StorageUnavailableError), one batch at a time.
   * @param unavailable true for a failure of the database, not of a batch
   *   (a group that meets one fails whole; any other is retried batch by batch).
   */
  constructor(
    sql: Sql<{ int8: number }>,
    errorOf: (err: unknown, sessionId: string, ids: readonly string[]) => Promise<unknown>,
    unavailable: (err: unknown) => boolean,
  ) {
    this.#sql = sql;
    this.#errorOf = errorOf;
    this.#unavailable = unavailable;
  }

  /** Appends `batch` to `sessionId` in the next group; resolves with its own result. */
  add(sessionId: string, batch: QueuedBatch): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const f = batch.findings;
      const waiting: Waiting = {
        key: batch.key,
        fingerprint: batch.fingerprint,
        ids: f.map((x) => x.id),
        tally: tallyGroupsOf(f),
        columns: columnBodies(f),
        resolve,
        reject,
      };
      const queue = this.#queues.get(sessionId);
      if (queue !== undefined) {
        queue.push(waiting);
        return;
      }
      this.#queues.set(sessionId, [waiting]);
      void this.#drain(sessionId);
    });
  }

  async #drain(sessionId: string): Promise<void> {
    const queue = this.#queues.get(sessionId)!;
    try {
      while (queue.length > 0) {
        const group = takeGroup(queue);
        await this.#runGroup(sessionId, group);
      }
    } finally {
      // Whatever happened, later appends start a queue of their own rather than wait on this one.
      this.#queues.delete(sessionId);
      for (const w of queue.splice(0)) w.reject(new StorageError('append', 'the append queue of this session stopped; retry the batch'));
    }
  }

  async #runGroup(sessionId: string, group: Waiting[]): Promise<void> {
    try {
      const rows = await this.#call(sessionId, group);
      settle(sessionId, group, rows);
    } catch (err) {
      if (group.length > 1 && !this.#unavailable(err)) {
        // A batch of the group is at fault (an id the session has, a value the database refuses): find which, as if each were sent alone.
        for (const w of group) await this.#runGroup(sessionId, [w]);
        return;
      }
      for (const w of group) w.reject(await this.#errorOf(err, sessionId, w.ids).catch((e: unknown) => e));
    }
  }

  async #call(sessionId: string, group: readonly Waiting[]): Promise<AppendRow[]> {
    const sql = this.#sql;
    const counts = group.map((w) => w.ids.length);
    const c = arrayLiterals(group.map((w) => w.columns), counts);
    const rowBatch = `{${counts.flatMap((n, i) => (n === 0 ? [] : [`${i + 1},`.repeat(n).slice(0, -1)])).join(',')}}`;
    return sql<AppendRow[]>`
      SELECT batch, added, first_seq, replayed, fingerprint FROM fleetkit_append(
        ${sessionId}, ${sql.array(group.map((w) => w.key ?? null) as string[], 25)}::text[], ${sql.array(group.map((w) => w.fingerprint), 25)}::text[],
        ${sql.array(counts, 23)}::int4[], ${rowBatch}::int4[],
        ${c[0]!}::text[], ${c[1]!}::text[], ${c[2]!}::text[], ${c[3]!}::text[], ${c[4]!}::text[], ${c[5]!}::text[], ${c[6]!}::text[],
        ${c[7]!}::text[], ${c[8]!}::text[], ${c[9]!}::text[], ${c[10]!}::text[], ${c[11]!}::text[], ${c[12]!}::text[], ${c[13]!}::text[],
        ${c[14]!}::text[], ${c[15]!}::text[], ${c[16]!}::text[], ${c[17]!}::text[], ${c[18]!}::text[], ${c[19]!}::text[])`;
  }
}

/** The first batches of `queue` up to {@link GROUP_FINDINGS} findings (at least one), removed from it. */
function takeGroup(queue: Waiting[]): Waiting[] {
  let n = 0;
  let k = 0;
  while (k < queue.length && (k === 0 || n + queue[k]!.ids.length <= GROUP_FINDINGS)) n += queue[k++]!.ids.length;
  return queue.splice(0, k);
}

function settle(sessionId: string, group: readonly Waiting[], rows: readonly AppendRow[]): void {
  // No rows: the session is not stored.
  if (rows.length === 0) {
    for (const w of group) w.reject(new NotFoundError('session', sessionId));
    return;
  }
  for (const r of rows) {
    const w = group[r.batch - 1]!;
    if (r.replayed && r.fingerprint !== w.fingerprint) w.reject(new IdempotencyKeyReusedError(sessionId, w.key!));
    else if (r.replayed) w.resolve({ added: r.added, firstSeq: r.first_seq, lastSeq: r.first_seq + r.added - 1, replayed: true });
    // The batch's counts, so a replica holding the session as counts need not read them back.
    else w.resolve({ added: r.added, firstSeq: r.first_seq, lastSeq: r.first_seq + r.added - 1, replayed: false, tally: w.tally });
  }
}

/** The batch holds a finding id its session already has. */
export function isDuplicateId(err: unknown): boolean {
  return (err as { code?: unknown }).code === '23505' && (err as { constraint_name?: unknown }).constraint_name === 'fleetkit_findings_id';
}

