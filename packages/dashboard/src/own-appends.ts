/**
 * Appends this replica is running, per session. A storage that hands the
 * stored findings back (PostgreSQL) lets the replica add its own batch
 * without reading it back; but the storage also announces that batch, and a
 * notice fetched at once would read it anyway. So while an own append of a
 * session runs, notices of new findings are only noted (the highest sequence
 * number announced), and whoever applies next fetches what it does not hold.
 */
export class OwnAppends {
  readonly #running = new Map<string, number>();
  readonly #announced = new Map<string, number>();

  /** An append of `sessionId` starts. */
  begin(sessionId: string): void {
    this.#running.set(sessionId, (this.#running.get(sessionId) ?? 0) + 1);
  }

  /**
   * An append of `sessionId` ended (applied or failed). When it was the last
   * one running, returns the highest sequence number announced meanwhile and
   * not yet taken (for the caller to fetch), else undefined.
   */
  end(sessionId: string): number | undefined {
    const left = this.#running.get(sessionId)! - 1;
    if (left > 0) {
      this.#running.set(sessionId, left);
      return undefined;
    }
    this.#running.delete(sessionId);
    const announced = this.#announced.get(sessionId);
    this.#announced.delete(sessionId);
    return announced;
  }

  /** Notes a notice of findings up to `toSeq`; true when an own append runs and will see to it, false to fetch now. */
  defer(sessionId: string, toSeq: number): boolean {
    if (!this.#running.has(sessionId)) return false;
    this.#announced.set(sessionId, Math.max(this.#announced.get(sessionId) ?? 0, toSeq));
    return true;
  }

  /** The highest sequence number announced while appends ran (0 when none); forgotten once `held` covers it. */
  announced(sessionId: string, held: number): number {
    const to = this.#announced.get(sessionId) ?? 0;
    if (to <= held) this.#announced.delete(sessionId);
    return to;
  }
}
